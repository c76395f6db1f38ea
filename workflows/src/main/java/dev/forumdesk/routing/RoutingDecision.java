package dev.forumdesk.routing;

import dev.forumdesk.ticket.Priority;
import java.util.List;

/** The routing function's answer; {@code weight} is the ticket's complexity for agent load. */
public record RoutingDecision(
    String queue,
    String category,
    Priority priority,
    double weight,
    AgentRequirements requirements,
    List<String> reasons) {}
