-- A ticket whose comments keep failing (the help desk times out for that ticket only) is backed off:
-- how many passes in a row its comments failed, and when they are tried again (null: at the next
-- pass). Both reset once one of its messages goes. Other tickets' comments go on meanwhile.
alter table help_desk_links add column messages_attempts int;
alter table help_desk_links add column messages_retry_at timestamp with time zone;
