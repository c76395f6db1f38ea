package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle rules 13, audit 17: what opens a follow-up run and what reaches it from before it opened.
 * A help desk's reply written while the ticket was CLOSED is no answer to the follow-up (F2); another
 * member writing in the closed topic opens the follow-up but does not become its customer (F3); an
 * agent reopening the closed topic is audited as that, and nobody is thanked for a request not made
 * yet (F7).
 */
class FollowUpOpenedByOthersTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  static final Person CAROL = new Person(5999, "Carol", "carol");
  /** How HelpDeskSync delivers a reply written in Request Tracker. */
  static final Person VIA_RT = new Person(0, "Enoch Root (via Request Tracker)", null);
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  private TicketState closedTicket(long thread) {
    t.answered(thread, "Payment question", POLICY, "We are checking it");
    return t.resolveAndClose(thread);
  }

  private static List<AuditEntry> thisRun(TicketState s) {
    List<String> events = s.audit().stream().map(AuditEntry::event).toList();
    return s.audit().subList(events.lastIndexOf("OPENED"), events.size());
  }

  /** F2: pulled while CLOSED, delivered again once the follow-up ran (the sync's pull overlap). */
  @Test
  void aHelpDeskReplyWrittenWhileClosedIsNoFirstResponseOfTheFollowUp() {
    closedTicket(1);
    t.skip(Duration.ofSeconds(30));
    Instant repliedAt = Instant.ofEpochSecond(t.now().getEpochSecond()); // RT dates in whole seconds
    t.skip(Duration.ofSeconds(12));
    t.customerSays(1, "One more question about payment 3");
    TicketState follow = t.await(1, s -> s.followUpOf() != null && s.opened());
    t.send(1, new TicketEvent.MessagePosted("hdr:request-tracker:91", repliedAt, VIA_RT, Role.AGENT, 0,
        "We refunded it"));

    TicketState after = t.await(1, s -> s.seenEvents().contains("hdr:request-tracker:91"));
    assertThat(after.firstResponseAt()).as("answered before it was asked").isNull();
    assertThat(after.status()).isEqualTo(Status.NEW);
    assertThat(after.sla().firstResponseDue()).isEqualTo(follow.createdAt().plus(POLICY.firstResponseFor(Priority.NORMAL)));
    AuditEntry reply = thisRun(after).stream().filter(a -> a.event().equals("REPLY_WHILE_CLOSED")).findFirst().orElseThrow();
    assertThat(reply.at()).isEqualTo(repliedAt);
    assertThat(reply.reason()).startsWith("Enoch Root (via Request Tracker) replied on ")
        .contains("while the ticket was closed").endsWith("not its first response)");
    assertThat(thisRun(after)).extracting(AuditEntry::event).doesNotContain("FIRST_RESPONSE");

    // the first-response clock runs from the customer's message: a breach is one
    t.skip(POLICY.firstResponseFor(Priority.NORMAL).plusMinutes(1));
    assertThat(t.await(1, s -> s.status() == Status.ESCALATED).sla().breaches()).isNotEmpty();
    // and an agent's reply after it is the first response
    t.agentSays(1, "Sorry, looking now");
    TicketState answered = t.await(1, s -> s.firstResponseAt() != null);
    assertThat(answered.firstResponseAt()).isAfter(follow.createdAt());
  }

  /** An agent's reply written after the follow-up opened counts, however late it reaches the run. */
  @Test
  void aHelpDeskReplyWrittenAfterTheFollowUpOpenedIsItsFirstResponse() {
    closedTicket(2);
    t.skip(Duration.ofMinutes(1));
    t.customerSays(2, "Another question");
    TicketState follow = t.await(2, s -> s.followUpOf() != null && s.opened());
    t.send(2, new TicketEvent.MessagePosted("hdr:request-tracker:92", follow.createdAt(), VIA_RT, Role.AGENT, 0,
        "Answered in RT"));
    TicketState after = t.await(2, s -> s.firstResponseAt() != null);
    assertThat(after.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(thisRun(after)).extracting(AuditEntry::event).contains("FIRST_RESPONSE").doesNotContain("REPLY_WHILE_CLOSED");
  }

  /** F3: another member writes in the closed topic: a follow-up, still the customer's. */
  @Test
  void aFollowUpOpenedBySomeoneElseKeepsItsCustomer() {
    closedTicket(3);
    t.skip(Duration.ofMinutes(1));
    t.send(3, new TicketEvent.MessagePosted(t.nextEventId(), t.now(), CAROL, Role.CUSTOMER, 31, "Same problem here"));
    TicketState follow = t.await(3, s -> s.followUpOf() != null && s.opened());

    assertThat(follow.customer()).isEqualTo(CUSTOMER);
    AuditEntry opened = thisRun(follow).getFirst();
    assertThat(opened.actor()).as("who wrote").isEqualTo("customer:5999");
    assertThat(opened.reason()).startsWith("follow-up #1: Carol wrote in the topic after the ticket closed on ")
        .endsWith("; the customer is still Bob");
    assertThat(t.activities.postedWithKeyContaining(":after:")).extracting(OutboundMessage::key)
        .anyMatch(k -> k.endsWith(":ack"));

    // the original customer's follow-up reads as before
    t.resolveAndClose(3);
    t.customerSays(3, "Me again");
    TicketState second = t.await(3, s -> s.opened() && s.audit().stream().filter(a -> a.event().equals("OPENED")).count() == 3);
    assertThat(second.customer()).isEqualTo(CUSTOMER);
    assertThat(thisRun(second).getFirst().reason()).startsWith("follow-up #2: Bob wrote in the topic")
        .doesNotContain("still");
  }

  /** F7: forum_topic_reopened by an agent on a CLOSED ticket's topic. */
  @Test
  void anAgentReopeningTheClosedTopicIsAuditedSoAndNobodyIsThankedUntilTheCustomerWrites() {
    closedTicket(4);
    t.skip(Duration.ofMinutes(1));
    t.send(4, new TicketEvent.TopicReopened(t.nextEventId(), t.now(), AGENT, Role.AGENT));
    TicketState follow = t.await(4, s -> s.followUpOf() != null && s.opened());

    AuditEntry opened = thisRun(follow).getFirst();
    assertThat(opened.actor()).isEqualTo("agent:1001");
    assertThat(opened.reason()).startsWith("follow-up #1: Alice reopened the topic after the ticket closed on ");
    assertThat(follow.customer()).isEqualTo(CUSTOMER);
    assertThat(follow.sla().firstResponseDue()).as("no request yet").isNull();
    t.agentSays(4, "FYI: the fix is live");
    t.await(4, s -> s.seenEvents().size() == follow.seenEvents().size() + 1);
    assertThat(t.activities.postedWithKeyContaining(":after:")).extracting(OutboundMessage::key)
        .noneMatch(k -> k.endsWith(":ack"));

    // the customer's request: acknowledged now, its clock starts
    t.customerSays(4, "Still broken for me");
    t.await(4, s -> s.sla().firstResponseDue() != null);
    t.await(4, s -> t.activities.postedWithKeyContaining(":after:").stream().anyMatch(m -> m.key().endsWith(":ack")));
    assertThat(t.activities.postedWithKeyContaining(":after:")).extracting(OutboundMessage::key)
        .filteredOn(k -> k.endsWith(":ack")).hasSize(1);
  }
}
