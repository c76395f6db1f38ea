package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An escalation's Level 2 topic waits for the staff forum's budget, minutes in a burst (audit 11, F2).
 * Since lifecycle rules 7 it opens beside the workflow's loop: the read model shows the escalation and
 * everything after it at once, and the topic when it is open. Before, nothing of the ticket was
 * projected while the topic waited: Level 1, no first response, the old priority.
 */
class Level2TopicInTheBackgroundTest {
  static final TicketPolicy POLICY = HeldLevel2Topic.POLICY;
  private final TicketHarness t = new TicketHarness();
  private final HeldLevel2Topic topic = new HeldLevel2Topic(t);

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void theEscalationAndAReplyAreProjectedWhileTheLevel2TopicWaitsForTheBudget() throws Exception {
    assertThat(topic.escalate(1, "Card declined", "bank side", "my card is declined").status())
        .isEqualTo(Status.ESCALATED);

    TicketState escalated = projected(1, s -> s.level() == 2);
    assertThat(escalated.status()).isEqualTo(Status.ESCALATED);
    assertThat(escalated.queue()).isEqualTo("level2");
    assertThat(escalated.audit()).anyMatch(a -> a.event().equals("ESCALATED") && a.reason().equals("Level 2: bank side"))
        .noneMatch(a -> a.event().startsWith("LEVEL2_"));
    assertThat(escalated.lifecycle().level2ThreadId()).isNull();
    assertThat(escalated.lifecycle().level2TopicPending()).as("the snapshot says a topic is being opened")
        .satisfies(p -> {
          assertThat(p.title()).isEqualTo("L2: Card declined");
          assertThat(p.run()).isEqualTo(escalated.id());
          assertThat(p.summaryHtml()).contains("bank side");
        });

    t.agentSays(1, "Hi, Alice here, looking at it");
    // applied before the update is sent: a signal and an update in one workflow task swap (the
    // handler runs before the loop applies the signal), and the audit's order below failed once
    t.await(1, s -> s.firstResponseAt() != null);
    assertThat(t.command(1, AGENT, Role.AGENT, "priority", "high").message()).isEqualTo("Priority is now HIGH.");
    TicketState answered = projected(1, s -> s.firstResponseAt() != null && s.priority() == Priority.HIGH);
    assertThat(answered.lifecycle().level2ThreadId()).as("the budget is not given yet").isNull();
    assertThat(t.activities.level2Topics).isEmpty();

    topic.give();
    t.skip(t.activities.level2TopicAskedAgainIn); // the activity's next try
    TicketState opened = projected(1, s -> s.lifecycle().level2ThreadId() != null);
    assertThat(opened.lifecycle().level2TopicPending()).isNull();
    assertThat(opened.audit()).extracting(AuditEntry::event)
        .containsSubsequence("ESCALATED", "FIRST_RESPONSE", "PRIORITY", "LEVEL2_TOPIC")
        .containsOnlyOnce("LEVEL2_TOPIC");
    assertThat(t.activities.level2Topics).containsExactly("L2: Card declined");
    assertThat(t.activities.level2Runs).as("each try for this run").containsOnly(opened.id());
  }

  /** A ticket that auto-closed while its Level 2 topic waited: the run records the topic before it ends. */
  @Test
  void aTicketClosedWhileItsTopicWaitsRecordsTheTopicBeforeItsRunEnds() throws Exception {
    topic.escalate(2, "Refund", "needs finance");
    t.activities.level2TopicAskedAgainIn = java.time.Duration.ofHours(6); // a few tries in 3 days
    t.command(2, AGENT, Role.AGENT, "resolve", "");
    t.skip(POLICY.autoCloseResolved().plusMinutes(1));
    TicketState closed = projected(2, s -> s.status() == Status.CLOSED);
    assertThat(closed.audit()).noneMatch(a -> a.event().startsWith("LEVEL2_"));

    topic.give();
    // the result's wait skips the test server's time to the activity's next try
    t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, 2)).getResult(Void.class);
    TicketState last = t.activities.projected.getLast();
    assertThat(last.status()).isEqualTo(Status.CLOSED);
    assertThat(last.lifecycle().level2ThreadId()).isNotNull();
    assertThat(last.lifecycle().level2TopicPending()).isNull();
    assertThat(last.audit()).extracting(AuditEntry::event).containsSubsequence("CLOSED", "LEVEL2_TOPIC");
  }

  /**
   * Embedded Temporal restarts empty and the ticket comes back from its last projection, which shows
   * it at Level 2 with its topic still waiting: the restored run asks for it again (the activity finds
   * the topic queued for the run) rather than leaving it at Level 2 without one.
   */
  @Test
  void aTicketRestoredWhileItsTopicWaitedAsksForItAgain() throws Exception {
    topic.escalate(3, "Outage", "infra");
    TicketState snapshot = projected(3, s -> s.lifecycle().level2TopicPending() != null);
    String id = TicketWorkflow.id(TicketHarness.CHAT, 3);
    t.client.newUntypedWorkflowStub(id).terminate("the process stopped");

    t.client.newUntypedWorkflowStub("TicketWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TicketHarness.QUEUE).build()).start(snapshot);
    topic.give();
    topic.assertAsked("asked again");
    TicketState opened = projected(3, s -> s.lifecycle().level2ThreadId() != null);
    assertThat(opened.audit()).extracting(AuditEntry::event).containsOnlyOnce("ESCALATED", "LEVEL2_TOPIC");
    assertThat(t.activities.level2Runs).as("for the same run, whose topic the activity finds queued")
        .containsOnly(snapshot.id());
  }

  /** The ticket's last projection, once it holds. */
  private TicketState projected(long threadId, Predicate<TicketState> condition) {
    String id = TicketWorkflow.id(TicketHarness.CHAT, threadId);
    t.await(threadId, s -> last(id) != null && condition.test(last(id)));
    return last(id);
  }

  private TicketState last(String id) {
    return t.activities.projected.reversed().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }
}
