-- GET /api/tickets?customer=@bob: the customer's username beside their id, as lookups compare it
-- (without the @, in lower case; TicketStore.customerUsername), null for a customer without one.
-- Tickets projected before this column get it from their snapshot in V15.
alter table tickets add column customer_username varchar(200);
create index tickets_customer_username on tickets (customer_username, created_at);
