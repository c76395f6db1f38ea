package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The staff forum's budget held back, for the tests of what a ticket does while its Level 2 topic
 * waits for it (minutes in a busy staff forum): the topic is asked for, and opens at the activity's
 * first try after the budget is given.
 */
final class HeldLevel2Topic {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  private final TicketHarness t;
  /** The staff forum's budget: the topic opens at the activity's first try after it is given. */
  private final CountDownLatch budget = new CountDownLatch(1);

  HeldLevel2Topic(TicketHarness t) {
    this.t = t;
  }

  /** From now on a Level 2 topic waits for the budget. */
  void hold() {
    t.activities.level2TopicBudget = budget;
  }

  /** The budget given: the activity's next try opens the topic. */
  void give() {
    budget.countDown();
  }

  /** The activity asked for the topic (again), within 10 s. */
  void assertAsked(String description) throws InterruptedException {
    assertThat(t.activities.level2TopicAsked.tryAcquire(10, TimeUnit.SECONDS)).as(description).isTrue();
  }

  /**
   * With the budget held, a ticket opened (its customer's messages in it) and escalated by its
   * agent: the topic is asked for, and waits. @return the answer to the one who escalated
   */
  CommandReply escalate(long threadId, String title, String reason, String... customerSays) throws InterruptedException {
    hold();
    t.open(threadId, title, POLICY);
    for (String text : customerSays) {
      t.customerSays(threadId, text);
    }
    CommandReply reply = t.command(threadId, AGENT, Role.AGENT, "escalate", reason);
    assertAsked("the topic was asked for");
    return reply;
  }

  /** A supervisor's escalation through the API (update "api:esc"): the same command from another source. */
  void escalateByApi(long threadId, String reason) {
    t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(TicketHarness.CHAT, threadId))
        .command(new CommandRequest("api:esc", t.now(), SUPERVISOR, Role.SUPERVISOR, "escalate", reason, "api"));
  }

  /** The budget given, the activity's next try come: the ticket has its topic. */
  void giveAndAwaitTheTopic(long threadId) {
    give();
    t.skip(t.activities.level2TopicAskedAgainIn);
    t.await(threadId, s -> s.lifecycle().level2ThreadId() != null);
  }

  /**
   * The ticket's run lost with the embedded server, and started again from its snapshot with an empty
   * journal, as the restore at a restart does.
   */
  void restore(long threadId, TicketState snapshot) {
    t.lose(threadId);
    t.restore(threadId, snapshot, List.of());
  }
}
