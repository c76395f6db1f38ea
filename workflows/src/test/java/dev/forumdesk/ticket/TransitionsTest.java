package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lifecycle rules applied directly, without a workflow around them. */
class TransitionsTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static Ticket opened(String title) {
    Ticket t = new Ticket(TicketState.unopened(CHAT, 1, TicketPolicy.defaults()));
    Transitions.apply(t, new TicketEvent.TopicOpened("u1", T0, CUSTOMER, Role.CUSTOMER, title));
    return t;
  }

  @Test
  void aRenameDropsTheAssigneesTagTheBotPutThereAndKeepsATeamsOwn() {
    Ticket t = opened("Bob: double charge");
    t.assignee = AGENT; // the bot has tagged the topic "[Alice] Bob: double charge"

    Transitions.apply(t, new TicketEvent.TopicRenamed("u2", T0.plusSeconds(60), new Person(1002, "Sam", "sam"),
        Role.AGENT, "[Alice] [Billing] Bob: double charge"));

    assertThat(t.title).isEqualTo("[Billing] Bob: double charge");
    assertThat(t.snapshot().audit().getLast().reason())
        .isEqualTo("topic renamed from 'Bob: double charge' to '[Billing] Bob: double charge'");

    long version = t.version();
    Transitions.apply(t, new TicketEvent.TopicRenamed("u3", T0.plusSeconds(61), AGENT, Role.AGENT,
        "[Alice] [Billing] Bob: double charge"));
    assertThat(t.version()).as("only the tag differs: no rename").isEqualTo(version);
  }

  @Test
  void aNameThatLostTheAssigneesTagIsLockedAgainAndOneThatKeptItIsNot() {
    Ticket t = opened("Refund");
    t.lifecycle = Transitions.LIFECYCLE_VERSION;
    t.drainEffects();
    Transitions.apply(t, new TicketEvent.TopicRenamed("u2", T0.plusSeconds(60), AGENT, Role.AGENT, "Refund"));
    assertThat(t.drainEffects()).as("unassigned: there is no tag to keep").isEmpty();

    t.assignee = AGENT;
    long version = t.version();
    Transitions.apply(t, new TicketEvent.TopicRenamed("u3", T0.plusSeconds(61), AGENT, Role.AGENT, "Refund"));
    assertThat(t.version()).as("the same title: no rename").isEqualTo(version);
    assertThat(t.drainEffects()).as("but the tag is gone").containsExactly(new Effect.LockTitle("renamed:u3"));

    Transitions.apply(t, new TicketEvent.TopicRenamed("u4", T0.plusSeconds(62), AGENT, Role.AGENT, "[Alice] Refund"));
    assertThat(t.drainEffects()).isEmpty();
  }

  @Test
  void aTopicFirstSeenByAMessageIsTitledWithTheTopicsNameAndWithTheMessageOnlyWhenTelegramGaveNone() {
    Ticket named = new Ticket(TicketState.unopened(CHAT, 310, TicketPolicy.defaults()));
    Transitions.apply(named, new TicketEvent.MessagePosted("u2", T0, CUSTOMER, Role.CUSTOMER, 311,
        "Invoice question for March", "Login fails"));
    assertThat(named.title).isEqualTo("Login fails");
    assertThat(named.firstMessage).isEqualTo("Invoice question for March");
    assertThat(named.snapshot().audit().getFirst().reason()).isEqualTo("topic created: Login fails");

    Ticket unnamed = new Ticket(TicketState.unopened(CHAT, 311, TicketPolicy.defaults()));
    Transitions.apply(unnamed, new TicketEvent.MessagePosted("u3", T0, CUSTOMER, Role.CUSTOMER, 312,
        "Invoice question for March"));
    assertThat(unnamed.title).isEqualTo("Invoice question for March");
  }

  @Test
  void aFirstReplyWrittenByTheDeadlineThatArrivesAfterItWithdrawsTheBreach() {
    Ticket t = opened("Refund");
    Instant due = T0.plus(t.policy.firstResponseFor(Priority.NORMAL));
    t.breach(dev.forumdesk.sla.Clock.FIRST_RESPONSE, due, due.plusSeconds(1)); // the timer fired, no reply known

    Transitions.apply(t, new TicketEvent.MessagePosted("u2", due.minusSeconds(2), AGENT, Role.AGENT, 2, "on it"));

    assertThat(t.snapshot().sla().breaches()).isEmpty();
    assertThat(t.snapshot().audit().getLast().reason()).contains("in time").contains("breach withdrawn");
    assertThat(t.firstResponseAt).isEqualTo(due.minusSeconds(2));
  }

  @Test
  void aFirstReplyAfterTheDeadlineLeavesTheBreach() {
    Ticket t = opened("Refund");
    Instant due = T0.plus(t.policy.firstResponseFor(Priority.NORMAL));
    t.breach(dev.forumdesk.sla.Clock.FIRST_RESPONSE, due, due.plusSeconds(1));

    Transitions.apply(t, new TicketEvent.MessagePosted("u2", due.plusSeconds(60), AGENT, Role.AGENT, 2, "sorry"));

    assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("first-response");
    assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("first agent reply");
  }

  /** Opened, answered at once, under lifecycle rules {@code rules}. */
  private static Ticket answered(int rules) {
    Ticket t = opened("Refund");
    t.lifecycle = rules;
    Transitions.apply(t, new TicketEvent.MessagePosted("u2", T0.plusSeconds(10), AGENT, Role.AGENT, 2, "on it"));
    return t;
  }

  private static CommandRequest resolveAt(Instant at) {
    return new CommandRequest("c9", at, AGENT, Role.AGENT, "resolve", "", "telegram");
  }

  /** Audit 16, F2: a /resolve written by the resolution deadline that reaches Forumdesk after it is in time. */
  @Test
  void aResolveWrittenByTheDeadlineThatArrivesAfterItWithdrawsTheResolutionBreachUnderRules12() {
    Ticket t = answered(12);
    Instant due = T0.plus(t.policy.resolution());
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due, due.plusMillis(13)); // the timer fired first

    Transitions.command(t, resolveAt(due.minusSeconds(5)));

    assertThat(t.snapshot().sla().breaches()).isEmpty();
    assertThat(t.resolvedAt).isEqualTo(due.minusSeconds(5));
    assertThat(t.snapshot().audit()).filteredOn(a -> a.event().equals("RESOLVED")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("resolved by Alice, in time: written by the deadline,"
            + " it reached Forumdesk after it (breach withdrawn)"));
  }

  @Test
  void aResolveAfterTheDeadlineKeepsTheResolutionBreach() {
    Ticket t = answered(12);
    Instant due = T0.plus(t.policy.resolution());
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due, due.plusMillis(13));

    Transitions.command(t, resolveAt(due.plusSeconds(1)));

    assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("resolution");
    assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("resolved by Alice");
  }

  /** Runs under rules 11 replay as they ran: the breach stays. */
  @Test
  void underRules11ALateResolveWrittenInTimeKeepsTheBreach() {
    Ticket t = answered(11);
    Instant due = T0.plus(t.policy.resolution());
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due, due.plusMillis(13));

    Transitions.command(t, resolveAt(due.minusSeconds(5)));

    assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("resolution");
    assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("resolved by Alice");
  }

  /** A breach of the wait before a reopen stays: the resolve ends the reopened wait, not that one. */
  @Test
  void aResolveInTimeAfterAReopenWithdrawsOnlyTheReopenedWaitsBreach() {
    Ticket t = answered(12);
    Instant due1 = T0.plus(t.policy.resolution());
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due1, due1);
    Transitions.command(t, resolveAt(due1.plusSeconds(60)));
    Instant reopened = due1.plusSeconds(120);
    Transitions.apply(t, new TicketEvent.MessagePosted("u3", reopened, CUSTOMER, Role.CUSTOMER, 3, "again"));
    Instant due2 = reopened.plus(t.policy.resolution());
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due2, due2);

    Transitions.command(t, new CommandRequest("c10", due2.minusSeconds(1), AGENT, Role.AGENT, "resolve", "", "telegram"));

    assertThat(t.snapshot().sla().breaches()).extracting(Breach::due).containsExactly(due1);
  }

  /** The same for an agent's reply that ends the customer's wait for a next response. */
  @Test
  void aReplyWrittenByTheNextResponseDeadlineThatArrivesAfterItWithdrawsItsBreachUnderRules12() {
    Ticket t = answered(12);
    Instant asked = T0.plusSeconds(60);
    Transitions.apply(t, new TicketEvent.MessagePosted("u3", asked, CUSTOMER, Role.CUSTOMER, 3, "still broken"));
    Instant due = asked.plus(t.policy.nextResponse());
    t.breach(dev.forumdesk.sla.Clock.NEXT_RESPONSE, due, due.plusMillis(13));

    Transitions.apply(t, new TicketEvent.MessagePosted("u4", due.minusSeconds(5), AGENT, Role.AGENT, 4, "fixed"));

    assertThat(t.snapshot().sla().breaches()).isEmpty();
    assertThat(t.snapshot().sla().nextResponseDue()).isNull();
    assertThat(t.snapshot().audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("NEXT_RESPONSE");
      assertThat(a.reason()).isEqualTo("agent reply, in time: written by the deadline, it reached Forumdesk after it"
          + " (breach withdrawn)");
      assertThat(a.agent()).isEqualTo(AGENT);
      assertThat(a.at()).isEqualTo(due.minusSeconds(5));
    });
  }

  @Test
  void aReplyAfterTheNextResponseDeadlineOrUnderRules11KeepsItsBreach() {
    for (int rules : new int[] {11, 12}) {
      Ticket t = answered(rules);
      Instant asked = T0.plusSeconds(60);
      Transitions.apply(t, new TicketEvent.MessagePosted("u3", asked, CUSTOMER, Role.CUSTOMER, 3, "still broken"));
      Instant due = asked.plus(t.policy.nextResponse());
      t.breach(dev.forumdesk.sla.Clock.NEXT_RESPONSE, due, due.plusMillis(13));

      // under rules 12 a reply after the due, under rules 11 one written before it
      Instant written = rules == 12 ? due.plusSeconds(1) : due.minusSeconds(5);
      Transitions.apply(t, new TicketEvent.MessagePosted("u4", written, AGENT, Role.AGENT, 4, "fixed"));

      assertThat(t.snapshot().sla().breaches()).as("rules " + rules).extracting(Breach::clock)
          .containsExactly("next-response");
      assertThat(t.snapshot().audit()).as("rules " + rules).noneMatch(a -> a.event().equals("NEXT_RESPONSE"));
    }
  }

  /**
   * A reply written before the customer's message whose wait was breached answered an earlier one:
   * the breach of the later wait stays, as does that of a wait the reply came after.
   */
  @Test
  void aLateReplyWithdrawsOnlyTheBreachOfTheWaitItWasWrittenIn() {
    Ticket t = answered(12);
    java.time.Duration next = t.policy.nextResponse();
    Instant asked1 = T0.plusSeconds(60);
    Transitions.apply(t, new TicketEvent.MessagePosted("u3", asked1, CUSTOMER, Role.CUSTOMER, 3, "still broken"));
    Instant due1 = asked1.plus(next);
    t.breach(dev.forumdesk.sla.Clock.NEXT_RESPONSE, due1, due1);
    t.clocks.takeDue(due1); // the timer fired
    Instant asked2 = due1.plusSeconds(600);
    Transitions.apply(t, new TicketEvent.MessagePosted("u4", asked2, CUSTOMER, Role.CUSTOMER, 4, "hello?"));
    Instant due2 = asked2.plus(next);
    t.breach(dev.forumdesk.sla.Clock.NEXT_RESPONSE, due2, due2);

    // written between the two waits, delivered after the second's due: it answered neither in time
    Transitions.apply(t, new TicketEvent.MessagePosted("u5", due1.plusSeconds(300), AGENT, Role.AGENT, 5, "sorry"));
    assertThat(t.snapshot().sla().breaches()).extracting(Breach::due).containsExactly(due1, due2);

    // written in the second wait, by its due: that breach goes, the first stays
    Transitions.apply(t, new TicketEvent.MessagePosted("u6", due2.minusSeconds(1), AGENT, Role.AGENT, 6, "fixed"));
    assertThat(t.snapshot().sla().breaches()).extracting(Breach::due).containsExactly(due1);
  }

  private static CommandRequest holdAt(Instant at) {
    return new CommandRequest("c-hold", at, AGENT, Role.AGENT, "hold", "waiting for the bank", "telegram");
  }

  /**
   * Audit 16, F2 (repro 2b): a /hold written 10 s before the first-response deadline, reaching Forumdesk
   * 20 s after it (the breach fired, the supervisors were called), paused the clock in time under rules
   * 12: the breach goes, the chain stops, the resume brings back NEW, and the clock keeps the 10 s it had
   * left. Under rules 11 the breach, the ESCALATED status and the chain stay, and the clock is gone.
   */
  @Test
  void aHoldWrittenByTheFirstResponseDeadlineThatArrivesAfterItWithdrawsTheBreachUnderRules12Only() {
    for (int rules : new int[] {11, 12}) {
      Ticket t = opened("Refund");
      t.lifecycle = rules;
      Instant due = t.clocks.due(dev.forumdesk.sla.Clock.FIRST_RESPONSE).orElseThrow();
      Instant fired = due.plusSeconds(20);
      for (dev.forumdesk.sla.SlaClocks.Due d : t.clocks.takeDue(fired)) {
        Escalations.deadline(t, d.clock(), d.at(), fired);
      }
      assertThat(t.status).isEqualTo(Status.ESCALATED);

      Transitions.command(t, holdAt(due.minusSeconds(10)));

      dev.forumdesk.sla.SlaClocks.Snapshot clocks = t.clocks.snapshot();
      if (rules == 12) {
        assertThat(t.snapshot().sla().breaches()).isEmpty();
        assertThat(t.previousStatus).as("the resume brings it back unanswered").isEqualTo(Status.NEW);
        assertThat(clocks.remaining()).containsEntry(dev.forumdesk.sla.Clock.FIRST_RESPONSE, java.time.Duration.ofSeconds(10))
            .doesNotContainKey(dev.forumdesk.sla.Clock.ESCALATION_CHAIN);
        assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("waiting for the bank, in time: written by the"
            + " deadline, it reached Forumdesk after it (first-response breach withdrawn)");
      } else {
        assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("first-response");
        assertThat(t.previousStatus).isEqualTo(Status.ESCALATED);
        assertThat(clocks.remaining()).doesNotContainKey(dev.forumdesk.sla.Clock.FIRST_RESPONSE)
            .containsKey(dev.forumdesk.sla.Clock.ESCALATION_CHAIN);
        assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("waiting for the bank");
      }
      assertThat(t.snapshot().audit()).as("rules " + rules).anyMatch(a -> a.event().equals("ESCALATED"));
      assertThat(t.level).isEqualTo(1);
    }
  }

  /** The next-response clock the same: a hold written by its deadline keeps what was left. */
  @Test
  void aHoldWrittenByTheNextResponseDeadlineThatArrivesAfterItWithdrawsItsBreachAndKeepsWhatWasLeft() {
    Ticket t = answered(12);
    Instant asked = T0.plusSeconds(60);
    Transitions.apply(t, new TicketEvent.MessagePosted("u3", asked, CUSTOMER, Role.CUSTOMER, 3, "still broken"));
    Instant due = t.clocks.due(dev.forumdesk.sla.Clock.NEXT_RESPONSE).orElseThrow();
    for (dev.forumdesk.sla.SlaClocks.Due d : t.clocks.takeDue(due.plusSeconds(3))) {
      Escalations.deadline(t, d.clock(), d.at(), due.plusSeconds(3));
    }
    assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("next-response");

    Transitions.command(t, holdAt(due.minusSeconds(5)));

    assertThat(t.snapshot().sla().breaches()).isEmpty();
    assertThat(t.clocks.snapshot().remaining())
        .containsEntry(dev.forumdesk.sla.Clock.NEXT_RESPONSE, java.time.Duration.ofSeconds(5))
        .as("a clock still running is paused as of the hold's date too")
        .containsEntry(dev.forumdesk.sla.Clock.RESOLUTION,
            java.time.Duration.between(due.minusSeconds(5), T0.plus(t.policy.resolution())));
    assertThat(t.snapshot().audit().getLast().reason()).endsWith("(next-response breach withdrawn)");

    Instant resumed = due.plusSeconds(600);
    Transitions.command(t, new CommandRequest("c-resume", resumed, AGENT, Role.AGENT, "resume", "", "telegram"));
    assertThat(t.snapshot().sla().nextResponseDue()).isEqualTo(resumed.plusSeconds(5));
  }

  /** A hold written after the deadline keeps its breach, and the clock that fired stays gone. */
  @Test
  void aHoldWrittenAfterTheDeadlineKeepsTheBreach() {
    Ticket t = answered(12);
    Instant due = T0.plus(t.policy.resolution());
    t.clocks.takeDue(due);
    t.breach(dev.forumdesk.sla.Clock.RESOLUTION, due, due.plusSeconds(3));

    Transitions.command(t, holdAt(due.plusSeconds(1)));

    assertThat(t.snapshot().sla().breaches()).extracting(Breach::clock).containsExactly("resolution");
    assertThat(t.clocks.snapshot().remaining()).doesNotContainKey(dev.forumdesk.sla.Clock.RESOLUTION);
    assertThat(t.snapshot().audit().getLast().reason()).isEqualTo("waiting for the bank");
  }

  @Test
  void theLastActivityNeverMovesBackForAMessageThatArrivesLate() {
    Ticket t = opened("Login fails");
    Transitions.apply(t, new TicketEvent.MessagePosted("u2", T0.plusSeconds(600), CUSTOMER, Role.CUSTOMER, 2, "still broken"));
    // a reply written in the help desk before that, pulled back after it
    Transitions.apply(t, new TicketEvent.MessagePosted("hdr:rt:7", T0.plusSeconds(300), AGENT, Role.AGENT, 0, "try again"));

    assertThat(t.lastActivityAt).isEqualTo(T0.plusSeconds(600));
    assertThat(t.firstResponseAt).as("the reply's own time").isEqualTo(T0.plusSeconds(300));
    assertThat(t.clocks.due(dev.forumdesk.sla.Clock.STALE))
        .as("stale counts from the latest message").contains(T0.plusSeconds(600).plus(t.policy.staleAfter()));
  }
}
