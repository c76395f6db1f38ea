package dev.forumdesk.store;

import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.util.List;

/** Ticket snapshots for the store's tests, as a workflow would project them. */
public final class TestTickets {
  /** When every ticket projected here was created. */
  public static final Instant CREATED = Instant.parse("2026-11-25T10:00:00Z");

  private TestTickets() {}

  /** A ticket id no other test (or run on the shared PostgreSQL) has used. */
  public static TicketState unopenedTicket() {
    return TicketState.unopened(-100, System.nanoTime() % 1_000_000, TicketPolicy.defaults());
  }

  public static TicketState withVersionAndStatus(TicketState s, long version, Status status) {
    return withIdVersionAndStatus(s, s.id(), version, status);
  }

  /**
   * Projects a ticket of any id in {@code status} through the read model's store, as its workflow
   * would: a later call for the same id is a newer snapshot.
   */
  public static void project(Database db, String id, Status status) {
    project(db, id, status, "t");
  }

  /** The same with a title and the customer's first message. */
  public static void project(Database db, String id, Status status, String title, String firstMessage) {
    TicketState s = withIdVersionAndStatus(unopenedTicket(), id, System.nanoTime(), status, title);
    new TicketStore(db).save(new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(),
        firstMessage, s.status(), s.priority(), s.level(), s.queue(), null, null, null, null, null, CREATED, null,
        null, null, 0, null, s.sla(), s.routing(), List.of(), List.of(), s.version(), s.policy(), s.lifecycle(),
        s.clocks()));
  }

  /** The same with a title (a renamed topic). */
  public static void project(Database db, String id, Status status, String title) {
    new TicketStore(db).save(withIdVersionAndStatus(unopenedTicket(), id, System.nanoTime(), status, title));
  }

  private static TicketState withIdVersionAndStatus(TicketState s, String id, long version, Status status) {
    return withIdVersionAndStatus(s, id, version, status, "t");
  }

  /** A ticket of {@code customer}, assigned to {@code assignee} (or nobody), created at {@link #CREATED}. */
  public static void projectOf(Database db, String id, Person customer, Person assignee) {
    new TicketStore(db).save(assigned(id, customer, assignee));
  }

  /** The snapshot {@link #projectOf} projects. */
  public static TicketState assigned(String id, Person customer, Person assignee) {
    return ticket(unopenedTicket(), id, System.nanoTime(), Status.IN_PROGRESS, "t", customer, assignee);
  }

  /** A ticket of {@code customer} in {@code status}, nobody's, created at {@link #CREATED}. */
  public static void projectIn(Database db, String id, Person customer, Status status) {
    new TicketStore(db).save(of(id, customer, status));
  }

  /** The snapshot {@link #projectIn} projects. */
  public static TicketState of(String id, Person customer, Status status) {
    return ticket(unopenedTicket(), id, System.nanoTime(), status, "t", customer, null);
  }

  private static TicketState withIdVersionAndStatus(TicketState s, String id, long version, Status status,
      String title) {
    return ticket(s, id, version, status, title, s.customer(), null);
  }

  private static TicketState ticket(TicketState s, String id, long version, Status status, String title,
      Person customer, Person assignee) {
    return new TicketState(id, s.chatId(), s.threadId(), true, title, customer, null, status, s.priority(),
        s.level(), s.queue(), null, assignee, null, null, null, CREATED, null, null, null,
        0, null, s.sla(), s.routing(), List.of(), List.of(), version, s.policy(), s.lifecycle(), s.clocks());
  }

  /** A run of {@code s}'s ticket: {@code runId}'s snapshot in {@code status}, created at {@code created}. */
  public static TicketState run(TicketState s, String runId, long version, Status status, Instant created) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), true, "t", s.customer(), null, status, s.priority(),
        s.level(), s.queue(), null, null, null, null, null, created, null, null, null,
        0, null, s.sla(), s.routing(), List.of(), List.of(), version, s.policy(),
        new dev.forumdesk.ticket.Lifecycle(null, null, null, List.of(), runId, false, null), s.clocks());
  }

  /**
   * A ticket of {@code customer} that phase 2 routed to {@code queue} (its ROUTED entry, as the
   * workflow words it); {@code escalated}: then moved to Level 2, which puts it in the level2 queue.
   */
  public static TicketState routed(String id, Person customer, String queue, boolean escalated) {
    List<dev.forumdesk.ticket.AuditEntry> audit = new java.util.ArrayList<>(List.of(
        new dev.forumdesk.ticket.AuditEntry(CREATED, "OPENED", "topic created: t", "customer:" + customer.id()),
        new dev.forumdesk.ticket.AuditEntry(CREATED.plusSeconds(2), "ROUTED",
            "queue " + queue + ", category " + queue + ", priority NORMAL", "system")));
    if (escalated) {
      audit.add(new dev.forumdesk.ticket.AuditEntry(CREATED.plusSeconds(120), "ESCALATED",
          "still no first response PT1M after the escalation: Level 2", "system"));
    }
    TicketState s = unopenedTicket();
    return new TicketState(id, s.chatId(), s.threadId(), true, "t", customer, null,
        escalated ? Status.ESCALATED : Status.NEW, s.priority(), escalated ? 2 : 1, escalated ? "level2" : queue, queue,
        null, null, null, null, CREATED, null, null, null, 0, null, s.sla(), s.routing(), audit, List.of(),
        System.nanoTime(), s.policy(), s.lifecycle(), s.clocks());
  }
}
