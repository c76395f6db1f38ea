package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle rules 8: what the Level 2 topic's activity tells the workflow ({@link Level2TopicOpened}).
 * A restart that interrupted an earlier call for the topic is said in the ticket's LEVEL2_TOPIC entry,
 * as the summary and the outbox said it; and a topic whose summary went without the customer's first
 * message (a title-only topic escalated at once, its message later than {@code
 * routing.first-message-wait}) gets that message when it comes, once.
 */
class Level2TopicReportedTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  static final long L2 = POLICY.level2ChatId();
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void theAuditSaysARestartInterruptedAnEarlierTryAtTheTopic() {
    t.activities.level2TopicInterruptedIn = L2;
    t.open(1, "Card declined", POLICY);
    t.customerSays(1, "my card is declined");
    t.command(1, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState s = projected(1, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(t.activities.calls).contains("openLevel2TopicDetailed").doesNotContain("openLevel2Topic");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("LEVEL2_TOPIC")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("opened topic " + s.lifecycle().level2ThreadId()
            + " in the Level 2 group (a restart interrupted an earlier try: an empty topic may exist in the"
            + " Level 2 forum)"));
  }

  /** The earlier try was queued for the forum of before a restart that changed it: the audit names it. */
  @Test
  void anEarlierTryInAnotherForumIsNamed() {
    t.activities.level2TopicInterruptedIn = -1005555555555L;
    t.open(2, "Card declined", POLICY);
    t.command(2, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState s = projected(2, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("LEVEL2_TOPIC")).singleElement()
        .extracting(AuditEntry::reason).asString()
        .endsWith("(a restart interrupted an earlier try: an empty topic may exist in the forum -1005555555555)");
  }

  @Test
  void withoutAnInterruptedTryTheAuditIsAsBefore() {
    t.open(3, "Card declined", POLICY);
    t.customerSays(3, "my card is declined");
    // the message applied before the escalation: a signal and the command's update sent back to back
    // may meet the workflow the other way round, and then the summary rightly goes without it (CI flake)
    t.await(3, x -> x.firstMessage() != null);
    t.command(3, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState s = projected(3, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("LEVEL2_TOPIC")).singleElement()
        .extracting(AuditEntry::reason)
        .isEqualTo("opened topic " + s.lifecycle().level2ThreadId() + " in the Level 2 group");
    assertThat(s.lifecycle().level2FirstMessageOwed()).as("the summary had the first message").isNull();
    assertThat(t.activities.postsAsked).noneMatch(m -> m.chatId() == L2);
  }

  /**
   * A topic opened without text, escalated at once; the summary goes without the customer's question
   * past routing.first-message-wait; it comes a minute later and is posted in the Level 2 topic, once:
   * a second message is not.
   */
  @Test
  void theFirstMessageThatCameAfterTheSummaryIsPostedInTheLevel2Topic() {
    t.open(4, "Card declined", POLICY);
    t.command(4, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState opened = projected(4, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(t.activities.level2Summaries).singleElement().asString().doesNotContain("First message");
    ForumTopic topic = new ForumTopic(L2, opened.lifecycle().level2ThreadId());
    assertThat(opened.lifecycle().level2FirstMessageOwed()).as("the snapshot keeps it owed").isEqualTo(topic);
    assertThat(t.activities.postsAsked).noneMatch(m -> m.chatId() == L2);

    t.skip(Duration.ofMinutes(1)); // well past routing.first-message-wait
    t.customerSays(4, "the bank says <declined> & I need it today");
    TicketState told = projected(4, x -> x.firstMessage() != null && x.lifecycle().level2FirstMessageOwed() == null);
    assertThat(t.activities.postsAsked).filteredOn(m -> m.chatId() == L2).singleElement().satisfies(m -> {
      assertThat(m.threadId()).isEqualTo(topic.threadId());
      assertThat(m.key()).isEqualTo(told.id() + ":l2-first-message");
      assertThat(m.html()).isEqualTo("First message from Bob, which came after the summary:\n"
          + "the bank says &lt;declined&gt; &amp; I need it today");
    });

    t.customerSays(4, "hello?");
    t.await(4, x -> x.seenEvents().size() == told.seenEvents().size() + 1);
    projected(4, x -> x.seenEvents().size() == told.seenEvents().size() + 1);
    assertThat(t.activities.postsAsked).as("once").filteredOn(m -> m.chatId() == L2).hasSize(1);
  }

  /**
   * The message came while the topic waited for the forum's budget, after the workflow wrote the
   * summary; the activity says its summary went without it (the read model did not have it yet):
   * posted as soon as the topic is recorded.
   */
  @Test
  void aFirstMessageThatCameWhileTheTopicWaitedIsPostedWhenTheTopicIsRecorded() throws Exception {
    CountDownLatch budget = new CountDownLatch(1);
    t.activities.level2TopicBudget = budget;
    t.open(5, "Card declined", POLICY);
    t.command(5, AGENT, Role.AGENT, "escalate", "bank side");
    assertThat(t.activities.level2TopicAsked.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    t.customerSays(5, "my card is declined");
    projected(5, x -> x.firstMessage() != null);
    assertThat(t.activities.postsAsked).noneMatch(m -> m.chatId() == L2);

    budget.countDown();
    t.skip(t.activities.level2TopicAskedAgainIn);
    TicketState s = projected(5, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.lifecycle().level2FirstMessageOwed()).isNull();
    assertThat(t.activities.postsAsked).filteredOn(m -> m.chatId() == L2).singleElement().satisfies(m -> {
      assertThat(m.threadId()).isEqualTo(s.lifecycle().level2ThreadId());
      assertThat(m.html()).endsWith(":\nmy card is declined");
    });
  }

  /** The summary carried it: the activity completed it from the read model. Nothing more is posted. */
  @Test
  void aSummaryTheActivityCompletedGetsNoSecondCopy() {
    t.activities.level2SummaryHasFirstMessage = true;
    t.open(6, "Card declined", POLICY);
    t.command(6, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState s = projected(6, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.lifecycle().level2FirstMessageOwed()).isNull();
    t.customerSays(6, "my card is declined");
    projected(6, x -> x.firstMessage() != null);
    assertThat(t.activities.postsAsked).noneMatch(m -> m.chatId() == L2);
  }

  /** A ticket restored from a snapshot that owes its Level 2 topic the first message posts it when it comes. */
  @Test
  void aRestoredTicketStillPostsTheOwedFirstMessage() {
    t.open(7, "Card declined", POLICY);
    t.command(7, AGENT, Role.AGENT, "escalate", "bank side");
    TicketState snapshot = projected(7, x -> x.lifecycle().level2FirstMessageOwed() != null);
    String id = TicketWorkflow.id(TicketHarness.CHAT, 7);
    t.client.newUntypedWorkflowStub(id).terminate("the process stopped");
    t.client.newUntypedWorkflowStub("TicketWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TicketHarness.QUEUE).build()).start(snapshot);

    t.customerSays(7, "my card is declined");
    projected(7, x -> x.firstMessage() != null && x.lifecycle().level2FirstMessageOwed() == null);
    assertThat(t.activities.postsAsked).filteredOn(m -> m.chatId() == L2).singleElement()
        .satisfies(m -> assertThat(m.threadId()).isEqualTo(snapshot.lifecycle().level2ThreadId()));
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
