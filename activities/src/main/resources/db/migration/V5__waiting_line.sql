-- Tickets waiting for an agent (issue 7): every capable agent was at cap, away or off shift when
-- they asked. When capacity frees, the line is served oldest first under the assignment lock, with
-- the requirements and weight the ticket's routing decided.
create table waiting_line (
  ticket_id       varchar(100) primary key,
  language        varchar(20),
  skill           varchar(100),
  team            varchar(100),
  min_level       int not null,
  preferred_agent bigint,
  weight          double precision not null,
  since           timestamp with time zone not null
);
create index waiting_line_since on waiting_line (since);
