package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import dev.forumdesk.store.FreshDatabase;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * {@code forumdesk_escalations_total{reason}}: each escalation in a ticket's audit trail counted once,
 * by the projection that first writes it to the read model, however often a projection is retried,
 * sent again whole (a gap, a restore after the embedded server's restart) or carried into a
 * follow-up run's trail. The projections are those the workflow makes (a whole snapshot, then
 * deltas), written to a real store.
 */
class EscalationsCountedTest {
  static TicketActivitiesImpl activities(Database db, MeterRegistry metrics) {
    Outbox outbox = new Outbox(db);
    dev.forumdesk.config.ForumdeskConfig config = dev.forumdesk.config.ConfigLoader.fromYaml("{}");
    return new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
        new dev.forumdesk.outbox.NewTopics(outbox, Duration.ofSeconds(12)), metrics,
        dev.forumdesk.assignment.CapacityFreed.NOBODY,
        new dev.forumdesk.outbox.PrivateNotes(outbox, new dev.forumdesk.outbox.StaffPlaces(() -> config)));
  }

  static Map<String, Double> counted(MeterRegistry metrics) {
    Map<String, Double> byReason = new LinkedHashMap<>();
    for (Counter c : metrics.find("forumdesk_escalations_total").counters()) {
      byReason.put(c.getId().getTag("reason"), c.count());
    }
    return byReason;
  }

  static final Instant T = TestTickets.CREATED;
  static final AuditEntry RECURRING = new AuditEntry(T.plusSeconds(2), "ESCALATED",
      "recurring customer: 6 tickets within P7D → senior", "system");
  static final AuditEntry SENTIMENT = new AuditEntry(T.plusSeconds(2), "PRIORITY",
      "NORMAL → HIGH: negative sentiment -0.71 below -0.5 (first message)", "system");
  static final AuditEntry FIRST_RESPONSE = new AuditEntry(T.plusSeconds(1800), "ESCALATED",
      "first response over PT30M", "system");
  static final AuditEntry CHAIN = new AuditEntry(T.plusSeconds(3600), "ESCALATED",
      "still no first response PT30M after the escalation: Level 2", "system");
  static final AuditEntry COMMAND = new AuditEntry(T.plusSeconds(4000), "ESCALATED", "Level 2: vendor bug",
      "agent:1001");

  /** {@code s}, {@code version}, in {@code status}, with {@code added} after its trail. */
  static TicketState next(TicketState s, long version, Status status, AuditEntry... added) {
    List<AuditEntry> audit = new ArrayList<>(s.audit());
    audit.addAll(Arrays.asList(added));
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        status, s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), List.copyOf(audit), s.seenEvents(), version, s.policy(),
        s.lifecycle(), s.clocks());
  }

  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void eachEscalationIsCountedOnceHoweverOftenItIsProjected(FreshDatabase fresh) throws Exception {
    MeterRegistry metrics = new SimpleMeterRegistry();
    try (Database db = fresh.open()) {
      TicketActivitiesImpl activities = activities(db, metrics);
      assertThat(counted(metrics)).as("each reason at 0 from the start").containsOnly(
          Map.entry("first-response", 0.0), Map.entry("level2-chain", 0.0), Map.entry("command", 0.0),
          Map.entry("recurring", 0.0), Map.entry("sentiment", 0.0));

      TicketState opened = TestTickets.routed("ticket--100-" + System.nanoTime() % 1_000_000,
          new Person(5001, "Bob", "bob"), "general", false);
      TicketState v1 = next(opened, 1, Status.NEW, RECURRING, SENTIMENT);
      activities.project(v1);
      activities.project(v1); // retried
      TicketState v2 = next(v1, 2, Status.ESCALATED, FIRST_RESPONSE);
      Projection d2 = Projection.after(Projection.Mark.of(v1), v2);
      activities.projectChanges(d2);
      activities.projectChanges(d2); // retried
      TicketState v3 = next(v2, 3, Status.ESCALATED, CHAIN);
      activities.projectChanges(Projection.after(Projection.Mark.of(v2), v3));
      activities.projectChanges(Projection.full(v3)); // the workflow's answer to a gap
      activities.project(v3); // restored on a fresh embedded server: its first projection
      TicketState v4 = next(v3, 4, Status.ESCALATED, COMMAND);
      activities.projectChanges(Projection.after(Projection.Mark.of(v3), v4));
      assertThat(counted(metrics)).containsOnly(
          Map.entry("first-response", 1.0), Map.entry("level2-chain", 1.0), Map.entry("command", 1.0),
          Map.entry("recurring", 1.0), Map.entry("sentiment", 1.0));

      // closed, and a follow-up run: it starts with its predecessor's whole trail, whose
      // escalations were counted; its own first-response escalation is new
      TicketState closed = next(v4, 5, Status.CLOSED, new AuditEntry(T.plusSeconds(5000), "CLOSED", "x", "system"));
      activities.projectChanges(Projection.after(Projection.Mark.of(v4), closed));
      TicketState followUp = next(closed, 6, Status.NEW,
          new AuditEntry(T.plusSeconds(6000), "OPENED", "follow-up", "customer:5001"));
      activities.project(followUp);
      TicketState escalatedAgain = next(followUp, 7, Status.ESCALATED,
          new AuditEntry(T.plusSeconds(7800), "ESCALATED", "first response over PT30M", "system"));
      Projection d7 = Projection.after(Projection.Mark.of(followUp), escalatedAgain);
      activities.projectChanges(d7);
      activities.projectChanges(d7);
      assertThat(counted(metrics)).containsOnly(
          Map.entry("first-response", 2.0), Map.entry("level2-chain", 1.0), Map.entry("command", 1.0),
          Map.entry("recurring", 1.0), Map.entry("sentiment", 1.0));

      // another worker process (a restart) starts at 0 and counts what it projects anew only
      MeterRegistry restarted = new SimpleMeterRegistry();
      activities(db, restarted).project(escalatedAgain);
      assertThat(counted(restarted).values()).containsOnly(0.0);
    }
  }
}
