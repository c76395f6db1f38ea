package dev.forumdesk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Breach;
import dev.forumdesk.ticket.FollowUp;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RoutingState;
import dev.forumdesk.ticket.SlaState;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The ticket JSON of CONTRACT.md; {@code audit} is left out of list summaries. Beyond it: {@code
 * followUpOf}, the Temporal run a follow-up follows, and beside it {@code followUpOfClosedAt}, when
 * that run closed, which a person can read; {@code routedQueue}, the queue the ticket was routed to,
 * which stays when an escalation moves it to {@code "queue":"level2"} ({@link RoutedQueue}); in
 * {@code sla}, beside the dues, what a hold left on each clock ({@link Sla}).
 */
public record TicketView(
    String id,
    long chatId,
    long threadId,
    String title,
    Person customer,
    String firstMessage,
    String status,
    String priority,
    int level,
    String queue,
    String routedQueue,
    String category,
    Assignee assignee,
    String language,
    Double sentiment,
    String tier,
    Instant createdAt,
    Instant firstResponseAt,
    Instant resolvedAt,
    Instant lastActivityAt,
    int reopenCount,
    String followUpOf,
    Instant followUpOfClosedAt,
    Sla sla,
    RoutingState routing,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<AuditEntry> audit,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean waitingInInbox) {

  public record Assignee(long id, String name, String username) {}

  /**
   * CONTRACT.md's {@code sla} ({@link SlaState}: the dues, null while the SLA is paused, {@code
   * paused}, {@code breaches}) and, on hold, what each paused clock has left: {@code
   * firstResponseRemaining}, {@code nextResponseRemaining}, {@code resolutionRemaining}, ISO-8601
   * durations ({@code "PT29M50.5S"}; business time with business hours) that the resume starts
   * from; null while the SLA runs or for a clock that is not running (audit 16, F4).
   */
  public record Sla(
      Instant firstResponseDue,
      Instant nextResponseDue,
      Instant resolutionDue,
      boolean paused,
      List<Breach> breaches,
      Duration firstResponseRemaining,
      Duration nextResponseRemaining,
      Duration resolutionRemaining) {

    static Sla of(TicketState s) {
      SlaState sla = s.sla();
      if (sla == null) {
        return null;
      }
      return new Sla(sla.firstResponseDue(), sla.nextResponseDue(), sla.resolutionDue(), sla.paused(), sla.breaches(),
          s.slaLeftOnHold(Clock.FIRST_RESPONSE).orElse(null),
          s.slaLeftOnHold(Clock.NEXT_RESPONSE).orElse(null),
          s.slaLeftOnHold(Clock.RESOLUTION).orElse(null));
    }
  }

  public static TicketView full(TicketState s) {
    return of(s, s.audit(), false);
  }

  public static TicketView summary(TicketState s) {
    return of(s, null, false);
  }

  /**
   * A ticket whose opening update waits in the inbox for its workflow ({@code "waitingInInbox":true};
   * the field is left out otherwise): shown as that workflow will first show it.
   */
  public static TicketView queued(TicketState s, boolean withAudit) {
    return of(s, withAudit ? s.audit() : null, true);
  }

  private static TicketView of(TicketState s, List<AuditEntry> audit, boolean waitingInInbox) {
    Person a = s.assignee();
    return new TicketView(
        s.id(),
        s.chatId(),
        s.threadId(),
        s.title(),
        s.customer(),
        s.firstMessage(),
        s.status().name(),
        s.priority().name(),
        s.level(),
        s.queue(),
        RoutedQueue.of(s),
        s.category(),
        a == null ? null : new Assignee(a.id(), a.name(), a.username()),
        s.language(),
        s.sentiment(),
        s.tier(),
        s.createdAt(),
        s.firstResponseAt(),
        s.resolvedAt(),
        s.lastActivityAt(),
        s.reopenCount(),
        s.followUpOf(),
        FollowUp.closedAt(s).orElse(null),
        Sla.of(s),
        s.routing(),
        audit == null ? null : AuditEntry.oldestFirst(audit),
        waitingInInbox);
  }
}
