-- help-desk.kind request-tracker: the messages of a mirrored ticket's topic (the customer's and the
-- agents'), kept until they are comments on its twin, in the order they were written.
create table help_desk_messages (
  event_id  varchar(60) primary key,
  ticket_id varchar(100) not null,
  author    varchar(200) not null,
  role      varchar(20) not null,
  body      text not null,
  at        timestamp with time zone not null,
  pushed_at timestamp with time zone
);
create index help_desk_messages_unpushed on help_desk_messages (pushed_at, at);
