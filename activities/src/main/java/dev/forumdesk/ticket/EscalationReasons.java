package dev.forumdesk.ticket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why a ticket escalated, as {@code forumdesk_escalations_total{reason}} says, read from its audit
 * entries (the workflow records each escalation there once): {@code first-response} (its first
 * response overdue), {@code level2-chain} (still none after that: the chain's move to Level 2),
 * {@code command} ({@code /escalate} or the API's escalate action), {@code recurring} (the
 * recurring-customer routing to the senior group) and {@code sentiment} (priority raised by a
 * customer's negative message).
 */
public final class EscalationReasons {
  public static final List<String> ALL = List.of("first-response", "level2-chain", "command", "recurring", "sentiment");

  private EscalationReasons() {}

  /** The escalation {@code e} records, if it records one. */
  public static Optional<String> of(AuditEntry e) {
    String reason = e.reason() == null ? "" : e.reason();
    return switch (e.event()) {
      case "ESCALATED" -> Optional.of(reason.startsWith(AuditEntry.RECURRING) ? "recurring"
          : reason.startsWith("first response over") ? "first-response"
          : reason.startsWith("still no first response") ? "level2-chain"
          : "command"); // "Level 2: <reason>" (Transitions.escalateToLevel2)
      case "PRIORITY" -> reason.contains(": negative sentiment ") ? Optional.of("sentiment") : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** The escalations of a trail, by reason. */
  public static List<String> in(List<AuditEntry> trail) {
    return trail.stream().flatMap(e -> of(e).stream()).toList();
  }

  /**
   * The escalations {@code after} holds beyond those of {@code before}, reason by reason: what a
   * write of the trail {@code after} over {@code before} added. Never fewer than none: a trail that
   * lost one (a discarded workflow task's) takes back no count.
   */
  public static List<String> added(List<String> before, List<AuditEntry> after) {
    Map<String, Integer> had = new HashMap<>();
    before.forEach(r -> had.merge(r, 1, Integer::sum));
    List<String> added = new ArrayList<>();
    for (String r : in(after)) {
      if (had.merge(r, -1, Integer::sum) < 0) {
        added.add(r);
      }
    }
    return added;
  }
}
