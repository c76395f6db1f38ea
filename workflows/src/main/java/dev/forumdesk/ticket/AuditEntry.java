package dev.forumdesk.ticket;

import java.time.Instant;

/** One line of a ticket's audit trail: when, what, why and who ("system", "agent:1001", ...). */
public record AuditEntry(Instant at, String event, String reason, String actor) {}
