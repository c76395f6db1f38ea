-- Relay mode (support.mode: relay): customers write to the bot privately, and Forumdesk opens a
-- topic per ticket in the agents' forum. One row per topic it opened: whose it is, and which
-- update opened it (a redelivered update reuses the topic instead of opening a second one).
create table relay_topics (
  chat_id     bigint not null,
  thread_id   bigint not null,
  customer_id bigint not null,
  ticket_id   varchar(100) not null,
  opened_by   varchar(40) not null,
  created_at  timestamp with time zone not null,
  primary key (chat_id, thread_id)
);
create unique index relay_topics_opened_by on relay_topics (opened_by);
create index relay_topics_customer on relay_topics (customer_id, created_at);
