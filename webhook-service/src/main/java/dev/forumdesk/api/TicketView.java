package dev.forumdesk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RoutingState;
import dev.forumdesk.ticket.SlaState;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.util.List;

/** The ticket JSON of CONTRACT.md; {@code audit} is left out of list summaries. */
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
    SlaState sla,
    RoutingState routing,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<AuditEntry> audit) {

  public record Assignee(long id, String name, String username) {}

  public static TicketView full(TicketState s) {
    return of(s, s.audit());
  }

  public static TicketView summary(TicketState s) {
    return of(s, null);
  }

  private static TicketView of(TicketState s, List<AuditEntry> audit) {
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
        s.sla(),
        s.routing(),
        audit);
  }
}
