-- The recorded message (help_desk_messages.event_id) that is a twin's content: only that one is
-- left out of the comments. A follow-up run reuses its ticket's twin, whose content is the first
-- run's message, so the follow-up's first message must become a comment (it was taken for the
-- content and lost). Null for twins made with the title, and for twins made before this column.
alter table help_desk_links add column content_event_id varchar(60);
-- Why the ticket's messages could not be added to its twin as comments (the help desk down,
-- refusing); null once one of them went. While set, the ticket's sync is FAILED with this error.
alter table help_desk_links add column messages_error text;
