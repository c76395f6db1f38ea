package dev.forumdesk.routing;

/** Assignment input: who may take the ticket and how much load it adds. */
public record AssignRequest(String ticketId, AgentRequirements requirements, double weight) {}
