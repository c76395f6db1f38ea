-- The title the help desk's twin was last given (the topic can be renamed): null for a twin made
-- before this column, whose title is pushed at its next change.
alter table help_desk_links add column synced_title varchar(400);
