-- Whether a twin in the help desk was created with the customer's first message as its content
-- (true), or with the title because the topic's first message had not come yet (false): only in
-- the first case is that message left out of the comments. Null for twins made before: as before.
alter table help_desk_links add column content_is_message boolean;
