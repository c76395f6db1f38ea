package dev.forumdesk.api;

import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Breach;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daily SLA report over the tickets created that day: how many got a first response within
 * the SLA, how fast, how many were resolved in time, escalated, still open — overall, per queue
 * and per assignee. Each run counts once, a follow-up run as a ticket of its own: its first
 * response, breaches and assignee are its own (a follow-up starts without them), and only the
 * escalations of its own run make it escalated ({@link AuditEntry#ofLastRun}, {@link
 * AuditEntry#escalates}).
 */
public final class SlaReport {
  /** One row of figures (the whole day, a queue or an agent). */
  public record Figures(
      int tickets,
      int firstResponded,
      int firstResponseBreached,
      Double firstResponseCompliancePercent,
      Long medianFirstResponseSeconds,
      Long p90FirstResponseSeconds,
      int resolved,
      int resolutionBreached,
      int escalated,
      int open) {}

  public record Report(LocalDate date, String zone, Figures total, Map<String, Figures> byQueue, Map<String, Figures> byAssignee) {}

  private SlaReport() {}

  public static Report of(LocalDate date, String zone, List<TicketState> tickets) {
    Map<String, List<TicketState>> byQueue = new TreeMap<>();
    Map<String, List<TicketState>> byAssignee = new TreeMap<>();
    for (TicketState t : tickets) {
      byQueue.computeIfAbsent(t.queue(), k -> new ArrayList<>()).add(t);
      byAssignee.computeIfAbsent(t.assignee() == null ? "unassigned" : t.assignee().name(), k -> new ArrayList<>()).add(t);
    }
    Map<String, Figures> queues = new LinkedHashMap<>();
    byQueue.forEach((k, v) -> queues.put(k, figures(v)));
    Map<String, Figures> agents = new LinkedHashMap<>();
    byAssignee.forEach((k, v) -> agents.put(k, figures(v)));
    return new Report(date, zone, figures(tickets), queues, agents);
  }

  static Figures figures(Collection<TicketState> tickets) {
    int responded = 0;
    int frBreached = 0;
    int resolved = 0;
    int resBreached = 0;
    int escalated = 0;
    int open = 0;
    List<Long> firstResponseSeconds = new ArrayList<>();
    for (TicketState t : tickets) {
      boolean breachedFirst = breached(t, "first-response");
      if (t.firstResponseAt() != null && t.createdAt() != null) {
        responded++;
        firstResponseSeconds.add(Duration.between(t.createdAt(), t.firstResponseAt()).toSeconds());
      }
      frBreached += breachedFirst ? 1 : 0;
      resBreached += breached(t, "resolution") ? 1 : 0;
      if (t.status().finished()) {
        resolved++;
      } else {
        open++;
      }
      // a follow-up run carries its predecessor's trail: only its own entries count
      if (AuditEntry.ofLastRun(t.audit()).stream().anyMatch(AuditEntry::escalates)) {
        escalated++;
      }
    }
    int decided = (int) tickets.stream().filter(t -> t.firstResponseAt() != null || breached(t, "first-response")).count();
    Double compliance = decided == 0 ? null : Math.round(1000.0 * (decided - frBreached) / decided) / 10.0;
    firstResponseSeconds.sort(Long::compare);
    return new Figures(tickets.size(), responded, frBreached, compliance,
        percentile(firstResponseSeconds, 50), percentile(firstResponseSeconds, 90),
        resolved, resBreached, escalated, open);
  }

  private static boolean breached(TicketState t, String clock) {
    return t.sla().breaches().stream().map(Breach::clock).anyMatch(clock::equals);
  }

  /** Nearest-rank percentile; null when there is no data. */
  static Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
