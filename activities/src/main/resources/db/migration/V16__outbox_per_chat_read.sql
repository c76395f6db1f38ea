-- The sender reads each chat's oldest rows first (Outbox.queue ranks the pending rows per chat):
-- with one read of the 200 first rows in turn order, the support group's backlog of hundreds of
-- messages (20 a minute) filled the whole read, and an agent's DM, the Level 2 group and relay
-- replies to customers waited minutes behind it while their own chats had room. The ranking reads
-- every pending row, which outbox_status_created finds; the index for the read by turn alone
-- (outbox_turn) has no reader left and only cost each enqueue and status change a write.
drop index outbox_turn;
