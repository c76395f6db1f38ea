package dev.forumdesk.routing;

/**
 * Who may take a ticket. {@code team} and {@code skill} may be null (any). {@code preferredAgent}:
 * the customer's last agent when sticky routing applies.
 */
public record AgentRequirements(
    String language, String skill, String team, int minLevel, Long preferredAgent) {}
