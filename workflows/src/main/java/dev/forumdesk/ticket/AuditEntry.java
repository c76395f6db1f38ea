package dev.forumdesk.ticket;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** One line of a ticket's audit trail: when, what, why and who ("system", "agent:1001", ...). */
public record AuditEntry(Instant at, String event, String reason, String actor) {
  /**
   * The trail as the API shows it, oldest first. The ticket records entries as it processes them,
   * and a message's entry carries the time Telegram dated it: an agent's reply written before
   * phase 2 routed the ticket, but processed after it, is listed before ROUTED. Stable: entries of
   * the same instant keep their recorded order.
   */
  public static List<AuditEntry> oldestFirst(List<AuditEntry> trail) {
    return trail.stream().sorted(Comparator.comparing(AuditEntry::at, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
  }
}
