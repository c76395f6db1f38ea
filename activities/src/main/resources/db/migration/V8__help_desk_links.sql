-- help-desk.kind request-tracker: each ticket's twin in the external help desk, what was pushed
-- there last, and how the last attempt went. A ticket without a row is not mirrored yet (PENDING).
create table help_desk_links (
  ticket_id       varchar(100) primary key,
  kind            varchar(40) not null,
  external_id     varchar(100),
  synced_version  bigint not null,
  synced_status   varchar(20),
  sync            varchar(10) not null,
  last_error      text,
  attempts        int not null,
  next_attempt_at timestamp with time zone not null,
  updated_at      timestamp with time zone not null
);
create index help_desk_links_external on help_desk_links (kind, external_id);

-- How far the status changes made in the help desk have been pulled back.
create table help_desk_cursor (
  kind  varchar(40) primary key,
  since timestamp with time zone not null
);
