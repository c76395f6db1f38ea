package dev.forumdesk.ticket;

import java.util.List;

/**
 * Lifecycle details that are not top-level ticket fields: where to go back to after hold or
 * stale, why it is on hold, the Level 2 topic, which one-time escalations already fired, and the
 * Temporal run that produced this snapshot (a follow-up ticket links to it).
 */
public record Lifecycle(
    Status previousStatus,
    String holdReason,
    Long level2ThreadId,
    List<String> fired,
    String runId) {
  public static Lifecycle initial() {
    return new Lifecycle(null, null, null, List.of(), null);
  }
}
