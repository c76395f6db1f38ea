-- GET /api/tickets lists newest first (order by created_at desc, id) a page of 200: without an
-- index each call sorted every ticket of the filter, a year's resolved ones included (50,000: H2
-- p50 45 ms, PostgreSQL 131 ms, 321 ms at offset 1000). Walking this index reads only the page.
create index tickets_newest on tickets (created_at desc, id);
-- The periodic sweep forgets Idempotency-Keys older than api.idempotency-keep (V23 kept them all).
create index api_idempotency_keys_created on api_idempotency_keys (created_at);
