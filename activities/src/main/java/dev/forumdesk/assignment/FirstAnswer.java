package dev.forumdesk.assignment;

/**
 * Told when a staff member gave the first response to a ticket that has no assignee (it waits in
 * the line): the agent who answered takes it if within their cap ({@link Assigner#takeByAnswering}).
 */
@FunctionalInterface
public interface FirstAnswer {
  FirstAnswer NOBODY = (ticketId, agentId) -> {};

  void answered(String ticketId, long agentId);
}
