-- One-off steps of an upgrade that need more than this file holds: each row names one that the next
-- start runs (Database.embedded) and deletes in the transaction of its work, so it runs once.
-- settle-relay-rows-of-earlier-versions (RelayRowsOfEarlierVersions): relay mode's private messages
-- that a version before their projection's marks left unapplied, and whose effect a ticket's snapshot
-- in the read model (the main store, not this file) shows, are APPLIED; a restart of the embedded
-- Temporal server queued them again, and one whose ticket was CLOSED since opened a new topic.
create table inbox_upgrades (
  name varchar(100) primary key
);
insert into inbox_upgrades (name) values ('settle-relay-rows-of-earlier-versions');
