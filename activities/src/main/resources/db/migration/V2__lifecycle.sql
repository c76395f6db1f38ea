-- Lifecycle: DM fallbacks in the outbox, Level 2 topics, and what the SLA report reads.

-- A DM that Telegram refuses (403: the agent never started the bot) is replaced by the fallback
-- message in the ticket's topic, and the ticket hears about it.
alter table outbox add column ticket_id varchar(100);
alter table outbox add column fallback text;

-- The topic opened in the Level 2 group for an escalated ticket; replies there are mirrored.
create table level2_topics (
  ticket_id  varchar(100) primary key,
  chat_id    bigint not null,
  thread_id  bigint not null,
  created_at timestamp with time zone not null
);
create unique index level2_topics_thread on level2_topics (chat_id, thread_id);
