-- Workload-based assignment (issue 7). Written once for both H2 (MODE=PostgreSQL) and PostgreSQL.

-- One row per configured agent: the row lock that serializes assignment, and shift state that
-- must survive a restart (the embedded Temporal server does not).
create table agents (
  id               bigint primary key,
  on_shift         boolean not null default true,
  shift_changed_at timestamp with time zone,
  last_assigned_at timestamp with time zone
);

-- Who holds which ticket and how heavy it is. A ticket counts towards its agent's load while the
-- read model shows it open (or has not projected it yet).
create table assignments (
  ticket_id   varchar(100) primary key,
  agent_id    bigint not null,
  weight      double precision not null,
  assigned_at timestamp with time zone not null,
  reason      varchar(1000)
);
create index assignments_agent on assignments (agent_id);
