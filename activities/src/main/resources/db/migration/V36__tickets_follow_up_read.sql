-- The version of the CLOSED snapshot a follow-up run has read (TicketStore.closedPredecessor): the
-- run's first snapshot replaces that one, so an entry recorded into it out of the workflow after
-- the read (a help desk's reply on the CLOSED ticket) would be lost. While the stored snapshot is
-- that version, such an event is not recorded but goes to the run, which takes it. Null: no
-- follow-up read this ticket's closed snapshot; a lower version: an earlier run's, which no longer counts.
alter table tickets add column follow_up_read bigint;
