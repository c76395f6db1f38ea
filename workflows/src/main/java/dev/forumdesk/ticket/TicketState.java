package dev.forumdesk.ticket;

import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Snapshot of a ticket. One shape, three uses: the query answer and read-model projection, the
 * continue-as-new input, and the start input that restores an open ticket on a fresh embedded
 * Temporal server.
 */
public record TicketState(
    String id,
    long chatId,
    long threadId,
    boolean opened,
    String title,
    Person customer,
    String firstMessage,
    Status status,
    Priority priority,
    int level,
    String queue,
    String category,
    Person assignee,
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
    List<AuditEntry> audit,
    List<String> seenEvents,
    long version,
    TicketPolicy policy,
    Lifecycle lifecycle,
    SlaClocks.Snapshot clocks) {

  /**
   * How many seen event ids a ticket keeps (the newest): enough to drop Telegram's redeliveries,
   * which come within hours, not thousands of events. An update older than those is no longer shown.
   */
  public static final int SEEN_EVENTS_KEPT = 2_000;

  /** The same snapshot with other audit entries, seen event ids and policy (see {@link Projection}). */
  public TicketState withHistory(List<AuditEntry> audit, List<String> seenEvents, TicketPolicy policy) {
    return new TicketState(id, chatId, threadId, opened, title, customer, firstMessage, status, priority,
        level, queue, category, assignee, language, sentiment, tier, createdAt, firstResponseAt,
        resolvedAt, lastActivityAt, reopenCount, followUpOf, sla, routing, audit, seenEvents, version,
        policy, lifecycle, clocks);
  }

  /**
   * What is left on {@code clock} while the ticket is on hold (its SLA paused): the time it will run
   * for from the resume, business time with business hours, exactly as the clocks keep it. Empty while
   * the SLA runs (its due is in {@link #sla}), for a clock that does not run (one that fired before
   * the hold keeps its overdue due in {@link #sla}), and for the first response once it was given.
   * For the API, /status and the dashboard: what a hold leaves of a ticket's SLA.
   */
  public Optional<Duration> slaLeftOnHold(Clock clock) {
    if (clocks == null || !clocks.paused() || clocks.remaining() == null
        || (clock == Clock.FIRST_RESPONSE && firstResponseAt != null)) {
      return Optional.empty();
    }
    return Optional.ofNullable(clocks.remaining().get(clock));
  }

  /** The same snapshot with other running deadlines (a restore that holds an overdue auto-close). */
  public TicketState withClocks(SlaClocks.Snapshot clocks) {
    return new TicketState(id, chatId, threadId, opened, title, customer, firstMessage, status, priority,
        level, queue, category, assignee, language, sentiment, tier, createdAt, firstResponseAt,
        resolvedAt, lastActivityAt, reopenCount, followUpOf, sla, routing, audit, seenEvents, version,
        policy, lifecycle, clocks);
  }

  /** The state a workflow starts from before its first event arrives. */
  public static TicketState unopened(long chatId, long threadId, TicketPolicy policy) {
    return new TicketState(
        TicketWorkflow.id(chatId, threadId),
        chatId,
        threadId,
        false,
        null,
        null,
        null,
        Status.NEW,
        Priority.NORMAL,
        1,
        "general",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        new SlaState(null, null, null, false, List.of()),
        RoutingState.general(),
        List.of(),
        List.of(),
        0,
        policy,
        Lifecycle.initial(),
        SlaClocks.Snapshot.empty());
  }
}
