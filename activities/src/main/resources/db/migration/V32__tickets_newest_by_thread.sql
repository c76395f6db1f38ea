-- GET /api/tickets lists one second's tickets newest first too (audit 16b F5.2): Telegram dates a
-- topic in whole seconds, so the list orders by created_at desc, thread_id desc, id. V24's index
-- (created_at desc, id) left each page's ties to a sort; this one is walked in the list's order.
drop index tickets_newest;
create index tickets_newest on tickets (created_at desc, thread_id desc, id);
