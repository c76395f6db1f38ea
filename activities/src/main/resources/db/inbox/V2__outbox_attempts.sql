-- The embedded outbox's calls to Telegram, journaled in this file (synchronous=FULL) before each
-- call: the H2 file lost its last commits at a kill -9, the row's SENDING mark among them, and the
-- message went a second time after the restart (audit 11, F3). Outbox.recoverInterrupted reads it.
-- By the row's key: H2 may have lost the row itself, which its ticket, restored, enqueues again.
-- attempts: the row's attempts when the call began; every outcome written to the row adds one.
create table outbox_attempts (
  idem_key   varchar(300) not null,
  attempts   integer not null,
  started_at timestamp not null,
  primary key (idem_key, attempts)
);
create index outbox_attempts_started on outbox_attempts (started_at);
