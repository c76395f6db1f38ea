package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle rules 10 (audit 14, F1): an escalation's notice, "⬆️ Escalated to Level 2" or the
 * escalation chain's call, is queued once its Level 2 topic has opened and the topic's summary is
 * queued, so Level 2 never reads of a topic that is not there. Under rules 9 it was queued beside
 * the topic's request, before it: in an idle staff forum it went at once, the topic a second later,
 * and a title-only topic's summary waited for the first message while the notice did not.
 * A topic Telegram refuses does not hold the notice back.
 */
class Level2NoticeAfterItsTopicWorkflowTest {
  static final TicketPolicy POLICY = HeldLevel2Topic.POLICY;
  private final TicketHarness t = new TicketHarness();
  private final HeldLevel2Topic topic = new HeldLevel2Topic(t);

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void escalateQueuesItsNoticeAfterItsLevel2TopicAndSummary() throws Exception {
    CommandReply reply = topic.escalate(1, "Card declined", "bank side", "my card is declined");
    assertThat(reply.message()).as("the one who escalated is answered at once").startsWith("⬆️ Escalated to Level 2");
    t.await(1, s -> s.level() == 2);
    t.agentSays(1, "looking at it"); // the loop goes on while the topic waits
    t.await(1, s -> s.firstResponseAt() != null);
    assertThat(t.activities.postedWithKeyContaining(":reply:")).as("no notice while its topic waits").isEmpty();
    assertThat(t.state(1).lifecycle().level2TopicPending().notices()).as("kept in the snapshot with the ask")
        .singleElement().satisfies(n -> assertThat(n.message().html()).startsWith("⬆️ Escalated to Level 2: bank side"));

    topic.giveAndAwaitTheTopic(1);
    t.awaitPosted(":reply:");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":reply:"))
        .containsExactly("level2-topic", t.activities.postedWithKeyContaining(":reply:").getFirst().key());
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: bank side"));
    assertThat(t.state(1).lifecycle().level2TopicPending()).isNull();
  }

  /**
   * A ticket restored from its snapshot while its topic waited (the embedded server lost) asks for the
   * topic again and still tells the escalation after it: the notice is kept with the ask.
   */
  @Test
  void aTicketRestoredWhileItsTopicWaitsStillQueuesItsNoticeAfterTheTopic() throws Exception {
    topic.escalate(5, "Lost", "before the crash");
    TicketState waiting = t.await(5, s -> s.lifecycle().level2TopicPending() != null
        && !s.lifecycle().level2TopicPending().notices().isEmpty());
    topic.restore(5, waiting);
    topic.assertAsked("asked again");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).isEmpty();
    topic.giveAndAwaitTheTopic(5);
    t.awaitPosted(":reply:");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":reply:"))
        .hasSize(2).first().isEqualTo("level2-topic");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: before the crash"));
  }

  /** The API's escalation is the same command from another source: its notice waits too. */
  @Test
  void anApiEscalationOfAnIdleDeskQueuesItsNoticeAfterItsTopic() {
    t.open(2, "Outage", POLICY);
    topic.escalateByApi(2, "down");
    t.await(2, s -> s.lifecycle().level2ThreadId() != null);
    t.awaitPosted(":reply:");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":reply:"))
        .as("the topic (its summary with it), then the notice").hasSize(2).first().isEqualTo("level2-topic");
  }

  /** The chain's move to Level 2 calls the supervisors once its topic is open. */
  @Test
  void theEscalationChainsCallIsQueuedAfterItsLevel2Topic() {
    t.open(3, "Printer on fire", POLICY);
    t.skip(POLICY.firstResponse().plusMinutes(1));
    t.await(3, s -> s.status() == Status.ESCALATED);
    topic.hold();
    t.skip(POLICY.firstResponse());
    t.await(3, s -> s.level() == 2);
    assertThat(t.activities.postedWithKeyContaining(":escalation-chain")).as("waits for its topic").isEmpty();

    topic.giveAndAwaitTheTopic(3);
    t.awaitPosted(":escalation-chain");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":escalation-chain"))
        .hasSize(2).first().isEqualTo("level2-topic");
  }

  /** No Level 2 topic (customers read the Level 2 forum now): the escalation is still told. */
  @Test
  void anEscalationWhoseTopicIsRefusedStillQueuesItsNotice() {
    t.activities.noLevel2Forum = "no Level 2 topic: customers read the Level 2 forum; the summary went to the"
        + " supervisors by DM";
    t.open(4, "Refund", POLICY);
    t.command(4, AGENT, Role.AGENT, "escalate", "needs finance");
    t.await(4, s -> s.audit().stream().anyMatch(a -> a.event().equals("LEVEL2_SUMMARY")));
    t.awaitPosted(":reply:");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: needs finance"));
    assertThat(t.activities.level2Topics).isEmpty();
  }

}
