-- Issue 6: the outbox records that an attempt is under way (SENDING) before calling Telegram, so a
-- crash mid-call is recognised at restart: idempotent methods are retried, others are marked
-- UNKNOWN instead of risking a second copy. Coalesced notices point at the row that carried them.
-- Status values now: PENDING, SENDING, SENT, FAILED, UNKNOWN.
alter table outbox add column coalesced_into bigint;
alter table outbox add column attempt_started_at timestamp with time zone;
create index outbox_status_created on outbox (status, created_at);
create index inbox_ticket_pending on inbox (ticket_id, status, update_id);
