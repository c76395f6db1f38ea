-- When Forumdesk first sent the create of a ticket's twin, stored before it is sent: an attempt
-- whose answer is lost (a timeout while the help desk is slow, a reset, a restart) may have made
-- the twin all the same, so the next attempt looks for it from then before creating one. Null for
-- a ticket not tried yet (and for twins made before this column).
alter table help_desk_links add column create_tried_at timestamp with time zone;
