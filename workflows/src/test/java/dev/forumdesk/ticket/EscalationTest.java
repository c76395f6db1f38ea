package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /escalate, recurring customers, negative sentiment and refused DMs. */
class EscalationTest {
  static final Person SVEN = new Person(1004, "Sven", "sven");
  static final TicketPolicy POLICY =
      TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR)).withSeniors(List.of(SVEN));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void escalateMovesToLevel2AndOpensATopicInTheLevel2Group() {
    t.open(1, "Need an expert", POLICY);
    CommandReply reply = t.command(1, AGENT, Role.AGENT, "escalate", "database corruption");
    assertThat(reply.status()).isEqualTo(Status.ESCALATED);
    assertThat(reply.message()).as("posted in the topic: the supervisors are @mentioned on every escalation")
        .startsWith("⬆️ Escalated to Level 2: database corruption").contains(SUPERVISOR.mention());
    TicketState s = t.await(1, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.level()).isEqualTo(2);
    assertThat(s.queue()).isEqualTo("level2");
    assertThat(t.activities.level2Topics).containsExactly("L2: Need an expert");
    assertThat(s.audit()).anyMatch(a -> a.event().equals("ESCALATED") && a.reason().equals("Level 2: database corruption")
        && a.actor().equals("agent:1001"));
    assertThat(t.refusal(1, AGENT, Role.AGENT, "escalate", "")).contains("already at Level 2");
  }

  @Test
  void level2RepliesAreMirroredIntoTheAudit() {
    t.open(2, "Mirror", POLICY);
    t.command(2, AGENT, Role.AGENT, "escalate", "");
    t.send(2, new TicketEvent.Level2Reply(t.nextEventId(), t.now(), SVEN, Role.AGENT, "Looking at the DB now"));
    TicketState s = t.await(2, x -> x.audit().stream().anyMatch(a -> a.event().equals("L2_REPLY")));
    assertThat(s.audit().getLast()).satisfies(a -> {
      assertThat(a.reason()).isEqualTo("Looking at the DB now");
      assertThat(a.actor()).isEqualTo("agent:1004");
    });
  }

  @Test
  void aCustomerWithFivePlusTicketsInSevenDaysGoesToTheSeniorGroup() {
    t.activities.otherTicketsByCustomer.put(CUSTOMER.id(), 4);
    t.open(3, "Again", POLICY);
    TicketState s = t.await(3, x -> x.queue().equals("senior"));
    assertThat(s.audit()).anyMatch(a -> a.event().equals("ESCALATED") && a.reason().startsWith("recurring customer: 5 tickets"));
    t.await(3, x -> !t.activities.dms.isEmpty());
    assertThat(t.activities.dms).singleElement().satisfies(d -> {
      assertThat(d.message().chatId()).isEqualTo(SVEN.id());
      assertThat(d.fallback().chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(d.fallback().html()).startsWith("@sven ");
    });
  }

  @Test
  void fourRecentTicketsAreNotRecurringYet() {
    t.activities.otherTicketsByCustomer.put(CUSTOMER.id(), 3);
    t.open(4, "Fourth", POLICY);
    assertThat(t.state(4).queue()).isEqualTo("general");
    assertThat(t.activities.dms).isEmpty();
  }

  @Test
  void aRefusedDmIsNotedInTheAudit() {
    t.open(5, "DM", POLICY);
    t.send(5, new TicketEvent.DeliveryRefused("dm-refused:1", t.now(), null, Role.SYSTEM, "DM to agent 1001", "Forbidden: bot was blocked by the user"));
    TicketState s = t.await(5, x -> x.audit().stream().anyMatch(a -> a.event().equals("NOTIFICATION_FALLBACK")));
    assertThat(s.audit().getLast().reason()).contains("Forbidden").contains("posted in the topic instead");
  }

  @Test
  void negativeSentimentRaisesPriorityAndTellsTheAssigneeOncePerMessage() {
    Ticket ticket = new Ticket(TicketState.unopened(TicketHarness.CHAT, 6, POLICY));
    Transitions.apply(ticket, new TicketEvent.TopicOpened("u1", Instant.EPOCH, CUSTOMER, Role.CUSTOMER, "Angry"));
    ticket.assignee = AGENT;
    ticket.drainEffects();

    Escalations.sentiment(ticket, -0.8, Instant.EPOCH, "first message");
    assertThat(ticket.priority).isEqualTo(Priority.HIGH);
    assertThat(ticket.drainEffects()).singleElement().isInstanceOfSatisfying(Effect.DirectMessage.class,
        dm -> assertThat(dm.message().chatId()).isEqualTo(AGENT.id()));

    Escalations.sentiment(ticket, -0.8, Instant.EPOCH, "first message");
    assertThat(ticket.priority).as("same cause fires once").isEqualTo(Priority.HIGH);

    Escalations.sentiment(ticket, -0.9, Instant.EPOCH, "u9");
    assertThat(ticket.priority).isEqualTo(Priority.URGENT);
    Escalations.sentiment(ticket, 0.4, Instant.EPOCH, "u10");
    assertThat(ticket.priority).isEqualTo(Priority.URGENT);
    assertThat(ticket.snapshot().audit()).filteredOn(a -> a.event().equals("PRIORITY")).hasSize(2)
        .allMatch(a -> a.reason().contains("negative sentiment"));
  }
}
