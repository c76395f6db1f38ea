package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReviewLateAutoCloseSwallowTest {
  static final TicketPolicy POLICY = LateBreachWithdrawnTest.POLICY.withDurations(Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofDays(2), Duration.ofHours(1));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void customerMessageAfterLateAutoClose() throws Exception {
    Instant opened = t.now().minus(Duration.ofDays(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 1), List.of(101L, 102L, 103L));
    t.send(1, new TicketEvent.TopicOpened("u100", opened, CUSTOMER, Role.CUSTOMER, "Yesterday"), POLICY);
    t.await(1, s -> s.opened() && (t.activities.calls.contains("inboxBacklog") || !s.sla().breaches().isEmpty()));
    t.send(1, new TicketEvent.MessagePosted("u101", opened.plusSeconds(20), AGENT, Role.AGENT, 101, "on it"), POLICY);
    t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, 1))
        .command(new CommandRequest("u102", opened.plusSeconds(60), AGENT, Role.AGENT, "resolve", "", "telegram"));
    t.await(1, s -> s.status() == Status.RESOLVED);
    // the customer wrote 2 h after the resolve (after its 1 h auto-close), delivered now
    t.send(1, new TicketEvent.MessagePosted("u103", opened.plus(Duration.ofHours(2)), CUSTOMER, Role.CUSTOMER, 103,
        "still broken"), POLICY);
    Thread.sleep(3000);
    TicketState last = t.activities.projected.getLast();
    org.assertj.core.api.Assertions.assertThat(last.status() == Status.CLOSED && last.seenEvents().contains("u103"))
        .as("the customer's message written after the late auto-close is swallowed by the closing run: " + last.audit())
        .isFalse();
    System.out.println("REVIEW last projected: status=" + last.status() + " seen u103=" + last.seenEvents().contains("u103")
        + " runId=" + last.lifecycle().runId() + " audit=" + last.audit().stream().map(a -> a.event() + ":" + a.reason()).toList());
    System.out.println("REVIEW projections: " + t.activities.projected.stream().map(p -> p.status() + "/" + p.lifecycle().runId()).toList());
  }

  @Test
  void staffReopenAfterLateAutoClose() throws Exception {
    Instant opened = t.now().minus(Duration.ofDays(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 2), List.of(201L, 202L, 203L));
    t.send(2, new TicketEvent.TopicOpened("u200", opened, CUSTOMER, Role.CUSTOMER, "Yesterday"), POLICY);
    t.await(2, s -> s.opened() && t.activities.calls.contains("inboxBacklog"));
    t.send(2, new TicketEvent.MessagePosted("u201", opened.plusSeconds(20), AGENT, Role.AGENT, 201, "on it"), POLICY);
    var stub = t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, 2));
    stub.command(new CommandRequest("u202", opened.plusSeconds(60), AGENT, Role.AGENT, "resolve", "", "telegram"));
    t.await(2, s -> s.status() == Status.RESOLVED);
    CommandReply r = stub.command(new CommandRequest("u203", opened.plus(Duration.ofHours(2)), AGENT, Role.AGENT, "reopen", "", "telegram"));
    Thread.sleep(2000);
    TicketState last = t.state(2);
    System.out.println("REVIEW2 reply=" + r + " status=" + last.status() + " audit="
        + last.audit().stream().map(a -> a.event() + ":" + a.reason()).toList());
  }
}
