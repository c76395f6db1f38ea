-- The desk's alerts (a backlog, a silent worker, the webhook changed elsewhere) as the replicas of a
-- role share them: several webhook replicas on one database each watch the same conditions, and an
-- incident is told once, by the replica that opened it here, and its end once, by the one that
-- closed it. One row per condition, kept after the incident (its since: when the last began).
create table alert_incidents (
  alert_condition varchar(64) primary key,
  since           timestamp with time zone not null,
  is_open         boolean not null,
  -- the last look, by any replica, that saw it go on: an open row nobody saw for a while is a
  -- leftover of replicas that stopped during it, not an incident under way
  seen_at         timestamp with time zone not null,
  -- whether its end is told ("recovered"): the webhook's alert says so only when it could not set it again
  tell_end        boolean not null
);
