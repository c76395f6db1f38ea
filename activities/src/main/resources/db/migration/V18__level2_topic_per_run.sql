-- A follow-up run (a message in a CLOSED ticket's topic starts a new run of the same ticket id) that
-- escalates gets a Level 2 topic of its own. Keyed by ticket id alone, it was given the closed run's
-- topic, and its summary, keyed the same, was taken by the outbox for the one posted there before:
-- the Level 2 group heard nothing of the new escalation. A topic is now keyed by its run, named like
-- the run's outbox keys: the ticket id for a ticket's first run (every topic so far), '<ticket id>:after:
-- <previous run>' for a follow-up. The table is rebuilt because its primary key changes (H2 and
-- PostgreSQL drop a primary key differently).
create table level2_topics_by_run (
  run_key    varchar(200) primary key,
  ticket_id  varchar(100) not null,
  chat_id    bigint not null,
  thread_id  bigint not null,
  created_at timestamp with time zone not null
);
insert into level2_topics_by_run (run_key, ticket_id, chat_id, thread_id, created_at)
  select ticket_id, ticket_id, chat_id, thread_id, created_at from level2_topics;
drop table level2_topics;
alter table level2_topics_by_run rename to level2_topics;
create unique index level2_topics_thread on level2_topics (chat_id, thread_id);
