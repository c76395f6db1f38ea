-- A run that closes gives up its assignment (V17). Its close can turn out not to have happened: a
-- customer's message reached the ticket while the workflow task that closed it ran, Temporal
-- discarded that task and ran it again with the message, which reopened the ticket. The store
-- then takes the close back (TicketStore.closeUndone) and gives the run its assignment back, kept
-- here as it was when the run closed. Null: the run had no assignment, or closed before this.
alter table closed_runs add column agent_id bigint;
alter table closed_runs add column weight double precision;
alter table closed_runs add column assigned_at timestamp with time zone;
alter table closed_runs add column reason varchar(1000);
