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
