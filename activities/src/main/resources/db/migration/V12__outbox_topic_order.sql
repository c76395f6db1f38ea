-- A topic's messages go out in the order they were enqueued; priority only decides which topic goes
-- first. Ordering by each row's own priority let a ticket's URGENT breach notice, its hold reply or
-- even its "Resolved" go out minutes before its LOW acknowledgement while a group was over its 20
-- messages a minute (black-box audit). The sender takes rows by their turn instead:
-- (turn_priority, turn_id) is the most urgent (priority, id) among the row and the messages queued
-- behind it in its topic, so an URGENT notice takes the topic's older messages with it, in order,
-- and urgent topics go in the order their urgency arose. Rows pending at the upgrade keep their own.
alter table outbox add column turn_priority integer;
alter table outbox add column turn_id bigint;
update outbox set turn_priority = priority, turn_id = id;
alter table outbox alter column turn_priority set not null;
alter table outbox alter column turn_id set not null;
-- the sender's read: pending rows in turn order, from the index alone
create index outbox_turn on outbox (status, turn_priority, turn_id, id);
drop index outbox_due;
-- an enqueue raises the turn of the topic's waiting messages
create index outbox_topic on outbox (chat_id, thread_id, status);
