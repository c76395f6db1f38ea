package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle rules 11: an escalation's "⬆️ Escalated to Level 2" waits for its Level 2 topic (rules 10),
 * and under rules 10 the customer's line of it ("⬆️ A specialist will join shortly.", which the post
 * activity makes of the same notice in group mode) waited with it: minutes in a busy staff forum, for a
 * topic the customer never sees. The workflow now has the customer's line queued at once
 * ({@link TicketActivities#customerLine}) while the notice still waits for the topic; its post then
 * finds the line's key taken and queues the staff's part only.
 */
class CustomerLineAtOnceWorkflowTest {
  static final TicketPolicy POLICY = HeldLevel2Topic.POLICY;
  private final TicketHarness t = new TicketHarness();
  private final HeldLevel2Topic topic = new HeldLevel2Topic(t);

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void escalateQueuesTheCustomersLineAtOnceWhileItsNoticeWaitsForTheTopic() throws Exception {
    topic.escalate(1, "Card declined", "bank side", "my card is declined");
    t.await(1, s -> s.level() == 2);

    assertThat(t.activities.customerLines).as("the customer's line, queued while the topic waits").singleElement()
        .satisfies(m -> {
          assertThat(m.key()).contains(":reply:");
          assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: bank side");
          assertThat(m.kind()).isEqualTo(MessageKind.ESCALATED);
          assertThat(m.chatId()).isEqualTo(TicketHarness.CHAT);
          assertThat(m.threadId()).isEqualTo(1L);
        });
    assertThat(t.activities.level2Topics).as("no topic yet").isEmpty();
    assertThat(t.activities.postedWithKeyContaining(":reply:")).as("the staff's notice still waits").isEmpty();

    topic.giveAndAwaitTheTopic(1);
    t.awaitPosted(":reply:");
    String reply = t.activities.postedWithKeyContaining(":reply:").getFirst().key();
    assertThat(t.activities.customerLines.getFirst().key()).as("the line under the notice's own key").isEqualTo(reply);
    assertThat(t.activities.queued)
        .filteredOn(k -> k.equals("customer-line") || k.equals("level2-topic") || k.contains(":reply:"))
        .containsExactly("customer-line", "level2-topic", reply);
    assertThat(t.activities.customerLinesAsked).as("asked once").hasSize(1);
  }

  /** The API's escalation is the same command from another source: its customer's line goes at once too. */
  @Test
  void anApiEscalationQueuesTheCustomersLineAtOnce() throws Exception {
    topic.hold();
    t.open(2, "Outage", POLICY);
    topic.escalateByApi(2, "down");
    topic.assertAsked("the topic was asked for");
    t.await(2, s -> s.level() == 2);
    assertThat(t.activities.customerLines).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: down"));
    assertThat(t.activities.postedWithKeyContaining(":reply:")).isEmpty();

    topic.giveAndAwaitTheTopic(2);
    t.awaitPosted(":reply:");
    assertThat(t.activities.queued)
        .filteredOn(k -> k.equals("customer-line") || k.equals("level2-topic") || k.contains(":reply:"))
        .containsExactly("customer-line", "level2-topic", "ticket-" + TicketHarness.CHAT + "-2:reply:api:esc");
  }

  /**
   * The chain's move to Level 2 has no line for the customer (a breach is no news to them): nothing is
   * asked for them, and its call still waits for the topic.
   */
  @Test
  void theEscalationChainHasNoCustomersLineAndItsCallStillWaits() throws Exception {
    t.open(3, "Printer on fire", POLICY);
    t.skip(POLICY.firstResponse().plusMinutes(1));
    t.await(3, s -> s.status() == Status.ESCALATED);
    topic.hold();
    t.skip(POLICY.firstResponse());
    t.await(3, s -> s.level() == 2);
    topic.assertAsked("the topic was asked for");
    assertThat(t.activities.postedWithKeyContaining(":escalation-chain")).as("waits for its topic").isEmpty();

    topic.giveAndAwaitTheTopic(3);
    t.awaitPosted(":escalation-chain");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":escalation-chain"))
        .hasSize(2).first().isEqualTo("level2-topic");
    assertThat(t.activities.customerLinesAsked).as("nothing for the customer").isEmpty();
  }

  /**
   * A ticket restored from its snapshot while its topic waited (the embedded server lost): the snapshot
   * keeps the notice with the topic's ask, and the restored run has the customer's line queued again
   * at once, under the same key, which the outbox keeps once: not twice, and not lost should the
   * snapshot come from a run that held it back (rules 10). The notice still waits for the topic.
   */
  @Test
  void aTicketRestoredWhileItsTopicWaitsHasTheCustomersLineOnceAndTheNoticeAfterTheTopic() throws Exception {
    topic.escalate(5, "Lost", "before the crash");
    TicketState waiting = t.await(5, s -> s.lifecycle().level2TopicPending() != null
        && !s.lifecycle().level2TopicPending().notices().isEmpty());
    assertThat(t.activities.customerLinesAsked).hasSize(1);
    topic.restore(5, waiting);
    topic.assertAsked("asked again");
    awaitCustomerLinesAsked(2);
    assertThat(t.activities.customerLinesAsked).as("the same line, asked again at the restore")
        .extracting(OutboundMessage::key).containsOnly(waiting.lifecycle().level2TopicPending().notices().getFirst()
            .message().key());
    assertThat(t.activities.customerLines).as("kept once").hasSize(1);
    assertThat(t.activities.postedWithKeyContaining(":reply:")).isEmpty();

    topic.giveAndAwaitTheTopic(5);
    t.awaitPosted(":reply:");
    assertThat(t.activities.queued)
        .filteredOn(k -> k.equals("customer-line") || k.equals("level2-topic") || k.contains(":reply:"))
        .hasSize(3).startsWith("customer-line", "level2-topic");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: before the crash"));
  }

  /** No Level 2 topic is asked (customers read the Level 2 forum): nothing waits, the notice goes as before. */
  @Test
  void anEscalationWhoseTopicIsRefusedQueuesItsNoticeWithItsLineOnce() {
    t.activities.noLevel2Forum = "no Level 2 topic: customers read the Level 2 forum; the summary went to the"
        + " supervisors by DM";
    t.open(4, "Refund", POLICY);
    t.command(4, AGENT, Role.AGENT, "escalate", "needs finance");
    t.await(4, s -> s.audit().stream().anyMatch(a -> a.event().equals("LEVEL2_SUMMARY")));
    t.awaitPosted(":reply:");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: needs finance"));
    assertThat(t.activities.customerLines).extracting(OutboundMessage::key)
        .containsExactly(t.activities.postedWithKeyContaining(":reply:").getFirst().key());
  }

  private void awaitCustomerLinesAsked(int n) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.activities.customerLinesAsked.size() < n && System.nanoTime() < until) {
      sleep();
    }
    assertThat(t.activities.customerLinesAsked).hasSizeGreaterThanOrEqualTo(n);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
