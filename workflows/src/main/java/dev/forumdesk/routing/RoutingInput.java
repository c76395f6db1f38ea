package dev.forumdesk.routing;

import dev.forumdesk.ticket.Priority;

/** What phase 2 knows about a ticket when it decides; enrichment fields may be null (failed). */
public record RoutingInput(
    String title,
    String text,
    String language,
    Double sentiment,
    String tier,
    Integer recentTickets,
    Long lastAgentId,
    Priority priority,
    int level) {}
