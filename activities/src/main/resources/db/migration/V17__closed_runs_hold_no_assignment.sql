-- A CLOSED ticket's run is over: a message in its topic starts a follow-up run of the same id, which
-- is routed afresh. Its assignment row (keyed by ticket id) counted towards the agent's load again
-- with the follow-up's first projection, and answered the follow-up's request as if it were already
-- assigned. The store now drops a run's assignment and waiting-line place when it closes; these are
-- the rows of the tickets closed before.
delete from assignments where ticket_id in (select id from tickets where status = 'CLOSED');
delete from waiting_line where ticket_id in (select id from tickets where status = 'CLOSED');
