-- An API action's Idempotency-Key becomes its Temporal update id (api:<key>), so a retry is applied
-- once. The key is kept here with a digest of the request it was first used for (the ticket, the
-- action, the actor and its argument): a reuse for another request is refused (422), not answered
-- with the first request's result while the new one is dropped.
create table api_idempotency_keys (
  idempotency_key varchar(255) primary key,
  request_digest  varchar(64) not null,
  created_at      timestamp with time zone not null
);
