-- An agent's load sums the assignments of open tickets. Joining every assignment ever made with the
-- read model made each assignment cost a scan of the desk's whole past (`./forumdesk bench --only
-- history`: 0.6 s per assignment with 50,000 resolved tickets). The projection now keeps a flag on the assignment instead, and a
-- load reads only the open ones, at most the agents' caps.
alter table assignments add column ticket_open boolean not null default true;
update assignments set ticket_open = false
  where exists (select 1 from tickets t where t.id = assignments.ticket_id and t.status in ('RESOLVED', 'CLOSED'));
create index assignments_open on assignments (ticket_open, agent_id);
