-- The sender reads each chat's oldest rows first (Outbox.queue ranks the pending rows per chat):
-- with one read of the 200 first rows in turn order, the support group's backlog of hundreds of
-- messages (20 a minute) filled the whole read, and an agent's DM, the Level 2 group and relay
-- replies to customers waited minutes behind it while their own chats had room. The ranking reads
-- every pending row, which outbox_status_created finds; the index for the read by turn alone
-- (outbox_turn) has no reader left and only cost each enqueue and status change a write.
drop index outbox_turn;

-- Messages pending when V12 came got their own (priority, id) as their turn, so a topic's URGENT
-- message went before the LOW acknowledgement queued ahead of it in the same topic. Each waiting
-- message takes the turn its topic's enqueues would have given it (Outbox.takeTurn): the most
-- urgent (priority, id) among it and the messages waiting behind it in its topic, the earliest of
-- equally urgent ones. A message enqueued since V12 has that turn already; rows that are no
-- message keep their own. Same method list as Outbox.MESSAGE_METHODS.
update outbox set turn_priority = (
    select min(s.priority) from outbox s
    where s.status = 'PENDING' and s.chat_id = outbox.chat_id and s.thread_id is not distinct from outbox.thread_id
      and s.method in ('sendMessage', 'sendPhoto', 'sendDocument', 'forwardMessage', 'copyMessage')
      and s.id >= outbox.id)
  where status = 'PENDING' and method in ('sendMessage', 'sendPhoto', 'sendDocument', 'forwardMessage', 'copyMessage');
update outbox set turn_id = (
    select min(s.id) from outbox s
    where s.status = 'PENDING' and s.chat_id = outbox.chat_id and s.thread_id is not distinct from outbox.thread_id
      and s.method in ('sendMessage', 'sendPhoto', 'sendDocument', 'forwardMessage', 'copyMessage')
      and s.id >= outbox.id and s.priority = outbox.turn_priority)
  where status = 'PENDING' and method in ('sendMessage', 'sendPhoto', 'sendDocument', 'forwardMessage', 'copyMessage');
