package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutableTicket;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The ticket's mutable state inside the workflow: the lifecycle rules, no I/O and no Temporal
 * calls, so it can be reasoned about (and tested) as plain Java.
 */
final class Ticket implements RoutableTicket {
  /** Enough to drop Telegram's redeliveries, which come within hours, not thousands of events. */
  private static final int SEEN_EVENTS_KEPT = 2_000;

  private TicketState base;
  private boolean opened;
  private String title;
  private Person customer;
  private String firstMessage;
  private Status status;
  private Instant createdAt;
  private Instant firstResponseAt;
  private Instant lastActivityAt;
  private Instant firstResponseDue;
  private Instant resolutionDue;
  private final List<AuditEntry> audit;
  private final LinkedHashSet<String> seen;
  private long version;

  Ticket(TicketState s) {
    base = s;
    opened = s.opened();
    title = s.title();
    customer = s.customer();
    firstMessage = s.firstMessage();
    status = s.status();
    createdAt = s.createdAt();
    firstResponseAt = s.firstResponseAt();
    lastActivityAt = s.lastActivityAt();
    firstResponseDue = s.sla().firstResponseDue();
    resolutionDue = s.sla().resolutionDue();
    audit = new ArrayList<>(s.audit());
    seen = new LinkedHashSet<>(s.seenEvents());
    version = s.version();
  }

  /** @return false when the event was seen before and must have no effect. */
  boolean firstSighting(String eventId) {
    if (!seen.add(eventId)) {
      return false;
    }
    if (seen.size() > SEEN_EVENTS_KEPT) {
      seen.remove(seen.iterator().next());
    }
    return true;
  }

  boolean isOpened() {
    return opened;
  }

  Status status() {
    return status;
  }

  String id() {
    return base.id();
  }

  long chatId() {
    return base.chatId();
  }

  long threadId() {
    return base.threadId();
  }

  String title() {
    return title;
  }

  void open(Instant at, Person by, String topicTitle, String text) {
    TicketPolicy policy = base.policy();
    opened = true;
    customer = by;
    title = topicTitle;
    firstMessage = text;
    status = Status.NEW;
    createdAt = at;
    lastActivityAt = at;
    firstResponseDue = at.plus(policy.firstResponse());
    resolutionDue = at.plus(policy.resolution());
    record(at, "OPENED", "topic created: " + topicTitle, "customer:" + by.id());
  }

  void customerMessage(Instant at, String text) {
    if (firstMessage == null) {
      firstMessage = text;
    }
    lastActivityAt = at;
  }

  void agentReply(Instant at, Person agent) {
    lastActivityAt = at;
    if (firstResponseAt == null) {
      firstResponseAt = at;
      status = Status.IN_PROGRESS;
      record(at, "FIRST_RESPONSE", "first agent reply", "agent:" + agent.id());
    }
  }

  void record(Instant at, String event, String reason, String actor) {
    audit.add(new AuditEntry(at, event, reason, actor));
    version++;
  }

  long version() {
    return version;
  }

  /** Phase 2 routing replaces the fields it owns (queue, category, assignee, ...) through this. */
  @Override
  public void amend(UnaryOperator<TicketState> change, String auditEvent, String reason) {
    base = change.apply(snapshot());
    record(Instant.ofEpochMilli(Workflow.currentTimeMillis()), auditEvent, reason, "system");
  }

  @Override
  public TicketState snapshot() {
    return new TicketState(
        base.id(),
        base.chatId(),
        base.threadId(),
        opened,
        title,
        customer,
        firstMessage,
        status,
        base.priority(),
        base.level(),
        base.queue(),
        base.category(),
        base.assignee(),
        base.language(),
        base.sentiment(),
        base.tier(),
        createdAt,
        firstResponseAt,
        base.resolvedAt(),
        lastActivityAt,
        base.reopenCount(),
        base.followUpOf(),
        new SlaState(firstResponseDue, resolutionDue, false, base.sla().breaches()),
        base.routing(),
        List.copyOf(audit),
        List.copyOf(seen),
        version,
        base.policy());
  }

  /** Bumps the version so the projection knows this snapshot supersedes the previous one. */
  void touch() {
    version++;
  }
}
