package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  private final TicketHarness t = new TicketHarness();
  /** The staff forum's budget: the topic opens at the activity's first try after it is given. */
  private final CountDownLatch budget = new CountDownLatch(1);

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void escalateQueuesItsNoticeAfterItsLevel2TopicAndSummary() throws Exception {
    t.activities.level2TopicBudget = budget;
    t.open(1, "Card declined", POLICY);
    t.customerSays(1, "my card is declined");
    CommandReply reply = t.command(1, AGENT, Role.AGENT, "escalate", "bank side");
    assertThat(reply.message()).as("the one who escalated is answered at once").startsWith("⬆️ Escalated to Level 2");
    assertThat(t.activities.level2TopicAsked.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    t.await(1, s -> s.level() == 2);
    t.agentSays(1, "looking at it"); // the loop goes on while the topic waits
    t.await(1, s -> s.firstResponseAt() != null);
    assertThat(t.activities.postedWithKeyContaining(":reply:")).as("no notice while its topic waits").isEmpty();
    assertThat(t.state(1).lifecycle().level2TopicPending().notices()).as("kept in the snapshot with the ask")
        .singleElement().satisfies(n -> assertThat(n.message().html()).startsWith("⬆️ Escalated to Level 2: bank side"));

    budget.countDown();
    t.skip(t.activities.level2TopicAskedAgainIn);
    t.await(1, s -> s.lifecycle().level2ThreadId() != null);
    awaitPosted(":reply:");
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
    t.activities.level2TopicBudget = budget;
    t.open(5, "Lost", POLICY);
    t.command(5, AGENT, Role.AGENT, "escalate", "before the crash");
    assertThat(t.activities.level2TopicAsked.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    TicketState waiting = t.await(5, s -> s.lifecycle().level2TopicPending() != null
        && !s.lifecycle().level2TopicPending().notices().isEmpty());
    String id = TicketWorkflow.id(TicketHarness.CHAT, 5);
    t.client.newUntypedWorkflowStub(id).terminate("lost with the embedded server");

    io.temporal.client.WorkflowClient.start(t.client.newWorkflowStub(TicketWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TicketHarness.QUEUE).build())::run,
        waiting, List.<JournalEntry>of());
    assertThat(t.activities.level2TopicAsked.tryAcquire(10, TimeUnit.SECONDS)).as("asked again").isTrue();
    assertThat(t.activities.postedWithKeyContaining(":reply:")).isEmpty();
    budget.countDown();
    t.skip(t.activities.level2TopicAskedAgainIn);
    t.await(5, s -> s.lifecycle().level2ThreadId() != null);
    awaitPosted(":reply:");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":reply:"))
        .hasSize(2).first().isEqualTo("level2-topic");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: before the crash"));
  }

  /** The API's escalation is the same command from another source: its notice waits too. */
  @Test
  void anApiEscalationOfAnIdleDeskQueuesItsNoticeAfterItsTopic() {
    t.open(2, "Outage", POLICY);
    t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(TicketHarness.CHAT, 2))
        .command(new CommandRequest("api:esc", t.now(), SUPERVISOR, Role.SUPERVISOR, "escalate", "down", "api"));
    t.await(2, s -> s.lifecycle().level2ThreadId() != null);
    awaitPosted(":reply:");
    assertThat(t.activities.queued).filteredOn(k -> k.equals("level2-topic") || k.contains(":reply:"))
        .as("the topic (its summary with it), then the notice").hasSize(2).first().isEqualTo("level2-topic");
  }

  /** The chain's move to Level 2 calls the supervisors once its topic is open. */
  @Test
  void theEscalationChainsCallIsQueuedAfterItsLevel2Topic() {
    t.open(3, "Printer on fire", POLICY);
    t.skip(POLICY.firstResponse().plusMinutes(1));
    t.await(3, s -> s.status() == Status.ESCALATED);
    t.activities.level2TopicBudget = budget;
    t.skip(POLICY.firstResponse());
    t.await(3, s -> s.level() == 2);
    assertThat(t.activities.postedWithKeyContaining(":escalation-chain")).as("waits for its topic").isEmpty();

    budget.countDown();
    t.skip(t.activities.level2TopicAskedAgainIn);
    t.await(3, s -> s.lifecycle().level2ThreadId() != null);
    awaitPosted(":escalation-chain");
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
    awaitPosted(":reply:");
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.html()).startsWith("⬆️ Escalated to Level 2: needs finance"));
    assertThat(t.activities.level2Topics).isEmpty();
  }

  private void awaitPosted(String keyPart) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.activities.postedWithKeyContaining(keyPart).isEmpty() && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertThat(t.activities.postedWithKeyContaining(keyPart)).as("posted: " + keyPart).isNotEmpty();
  }
}
