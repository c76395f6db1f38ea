-- Every run of a ticket that ended CLOSED, as it closed. The tickets table holds one row per
-- ticket id, its current run: when the customer writes in a CLOSED ticket's topic, the follow-up
-- run replaced that row, and the daily SLA report lost the closed run (its in-time first response,
-- its resolution). The report reads the days' closed runs from here and the open ones from tickets.
create table closed_runs (
  ticket_id  varchar(100) not null,
  run_id     varchar(100) not null,
  created_at timestamp with time zone,
  state      text not null,
  primary key (ticket_id, run_id)
);
create index closed_runs_created on closed_runs (created_at);
-- tickets closed before this table: their current row is their closed run
insert into closed_runs (ticket_id, run_id, created_at, state)
  select id, 'before-v13', created_at, state from tickets where status = 'CLOSED';
