-- The embedded inbox's own SQLite file (WAL): only the inbox's writers write it, so an
-- acknowledgement never waits behind read-model or outbox commits. With PostgreSQL the inbox is
-- the table of the main schema (db/migration V1, V3) and this file is not used.
-- Times are stored as epoch milliseconds (sqlite-jdbc's default for timestamps).
create table inbox (
  update_id       bigint primary key,
  received_at     timestamp not null,
  ticket_id       varchar(100),
  kind            varchar(32) not null,
  payload         text not null,
  status          varchar(16) not null,       -- PENDING, DELIVERED, APPLIED, IGNORED
  attempts        integer not null default 0,
  next_attempt_at timestamp not null,
  last_error      varchar(1000),
  delivered_at    timestamp
);
create index inbox_pending on inbox (status, update_id);
create index inbox_ticket_pending on inbox (ticket_id, status, update_id);
