package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import dev.forumdesk.text.HumanTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands, topic changes, resolution, auto-close and follow-ups. */
class LifecycleTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void commandsAreRefusedWithAReasonAndChangeNothing() {
    t.open(1, "Refusals", POLICY);
    long version = t.state(1).version();

    assertThat(t.refusal(1, CUSTOMER, Role.CUSTOMER, "resolve", "")).isEqualTo("Only agents and supervisors can use /resolve.");
    assertThat(t.refusal(1, AGENT, Role.AGENT, "resume", "")).contains("not on hold");
    assertThat(t.refusal(1, AGENT, Role.AGENT, "reopen", "")).contains("Only a RESOLVED ticket");
    assertThat(t.refusal(1, AGENT, Role.AGENT, "priority", "banana"))
        .isEqualTo("Unknown priority 'banana'. Use one of: low, normal, high, urgent.");
    assertThat(t.refusal(1, AGENT, Role.AGENT, "frobnicate", "")).startsWith("Unknown command /frobnicate. Commands: /status");

    assertThat(t.state(1).version()).isEqualTo(version);
    assertThat(t.state(1).status()).isEqualTo(Status.NEW);
  }

  @Test
  void onlyTheAssigneeOrASupervisorMayHoldAnAssignedTicket() {
    TicketState start = TicketState.unopened(TicketHarness.CHAT, 2, POLICY);
    t.send(2, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Assigned"), POLICY);
    t.await(2, TicketState::opened);
    // no assignee yet: any agent may hold
    assertThat(t.command(2, AGENT, Role.AGENT, "hold", "need logs").status()).isEqualTo(Status.ON_HOLD);
    assertThat(t.state(2).audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("ON_HOLD");
      assertThat(a.reason()).isEqualTo("need logs");
      assertThat(a.actor()).isEqualTo("agent:1001");
    });
    assertThat(start.assignee()).isNull();
  }

  @Test
  void acceptedCommandsAnswerInTheTopic() {
    t.open(3, "Answers", POLICY);
    CommandReply reply = t.command(3, AGENT, Role.AGENT, "priority", "urgent");
    assertThat(reply.message()).isEqualTo("Priority is now URGENT.");
    assertThat(t.state(3).priority()).isEqualTo(Priority.URGENT);
    // urgent: first response due 5 minutes after creation
    assertThat(Duration.between(t.state(3).createdAt(), t.state(3).sla().firstResponseDue()))
        .isEqualTo(Duration.ofMinutes(5));

    String card = t.command(3, AGENT, Role.AGENT, "status", "").message();
    assertThat(card).contains("<b>Answers</b>").contains("Status: NEW").contains("Priority: URGENT").contains("Level 1");
    // due times as people read them (UTC without business hours), not ISO-8601
    assertThat(card).contains("First response due: " + HumanTime.at(t.state(3).sla().firstResponseDue(), ZoneOffset.UTC))
        .contains("Resolution due: " + HumanTime.at(t.state(3).sla().resolutionDue(), ZoneOffset.UTC))
        .containsPattern("Resolution due: \\d{1,2} [A-Z][a-z]{2} \\d{2}:\\d{2} UTC").doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    t.await(3, x -> t.activities.postedWithKeyContaining(":reply:").size() == 2);
    assertThat(t.activities.postedWithKeyContaining(":reply:")).allMatch(m -> m.threadId() == 3L);
  }

  @Test
  void resolveThenAutoCloseAfterTheQuietPeriodCompletesTheWorkflow() {
    t.open(4, "Done soon", POLICY);
    t.agentSays(4, "fixed");
    t.command(4, AGENT, Role.AGENT, "resolve", "");
    TicketState resolved = t.state(4);
    assertThat(resolved.status()).isEqualTo(Status.RESOLVED);
    assertThat(resolved.resolvedAt()).isNotNull();

    t.skip(Duration.ofDays(3).plusMinutes(1));
    WorkflowStub stub = t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, 4));
    stub.getResult(Void.class);
    assertThat(t.activities.projected.getLast().status()).isEqualTo(Status.CLOSED);
    assertThat(t.activities.projected.getLast().audit().getLast().event()).isEqualTo("CLOSED");
    // how long it was resolved, from its RESOLVED to the close, as people read a duration (not "PT72H")
    AuditEntry closed = t.activities.projected.getLast().audit().getLast();
    Duration resolvedFor = Duration.between(resolved.resolvedAt(), closed.at());
    assertThat(resolvedFor).isGreaterThanOrEqualTo(POLICY.autoCloseResolved());
    assertThat(closed.reason()).isEqualTo(
        "resolved for " + dev.forumdesk.text.HumanTime.duration(resolvedFor) + " without a customer message")
        .doesNotContain("PT");
  }

  @Test
  void aCustomerMessageAfterResolutionReopensAndCountsIt() {
    t.open(5, "Not quite", POLICY);
    t.agentSays(5, "fixed");
    t.command(5, AGENT, Role.AGENT, "resolve", "");
    t.skip(Duration.ofDays(1));
    t.customerSays(5, "it broke again");
    TicketState s = t.await(5, x -> x.status() == Status.IN_PROGRESS);
    assertThat(s.reopenCount()).isEqualTo(1);
    assertThat(s.resolvedAt()).isNull();
    t.skip(Duration.ofDays(4));
    assertThat(t.state(5).status()).isNotEqualTo(Status.CLOSED);
  }

  @Test
  void closingTheTopicResolvesAndReopeningItReopens() {
    t.open(6, "Topic", POLICY);
    t.send(6, new TicketEvent.TopicClosed(t.nextEventId(), t.now(), AGENT, Role.AGENT));
    t.await(6, x -> x.status() == Status.RESOLVED);
    t.send(6, new TicketEvent.TopicReopened(t.nextEventId(), t.now(), AGENT, Role.AGENT));
    TicketState s = t.await(6, x -> x.status() == Status.NEW);
    assertThat(s.reopenCount()).isEqualTo(1);
    assertThat(s.audit()).extracting(AuditEntry::reason).contains("topic closed in Telegram");
  }

  @Test
  void renamingTheTopicRenamesTheTicketWithAnAuditEntry() {
    t.open(8, "Refund", POLICY);
    t.send(8, new TicketEvent.TopicRenamed(t.nextEventId(), t.now(), AGENT, Role.AGENT, "[Billing] Refund for order 7"));
    TicketState s = t.await(8, x -> x.title().equals("[Billing] Refund for order 7"));
    assertThat(s.audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("RENAMED");
      assertThat(a.reason()).isEqualTo("topic renamed from 'Refund' to '[Billing] Refund for order 7'");
      assertThat(a.actor()).isEqualTo("agent:1001");
    });
    assertThat(s.status()).as("a rename is no reply").isEqualTo(Status.NEW);
    long version = s.version();
    t.send(8, new TicketEvent.TopicRenamed(t.nextEventId(), t.now(), AGENT, Role.AGENT, "[Billing] Refund for order 7"));
    t.customerSays(8, "still waiting");
    TicketState after = t.await(8, x -> x.version() > version);
    assertThat(after.audit()).extracting(AuditEntry::event).containsOnlyOnce("RENAMED");
  }

  /** Audit 13 F2: /hold, the agent's first reply while on hold, /resume: the ticket was answered. */
  @Test
  void aTicketAnsweredWhileOnHoldIsResumedInProgressNotNew() {
    t.open(44, "Refund not received", POLICY);
    t.command(44, AGENT, Role.AGENT, "hold", "waiting for bank");
    t.agentSays(44, "Checking your refund now");
    TicketState answered = t.await(44, x -> x.firstResponseAt() != null);
    assertThat(answered.status()).isEqualTo(Status.ON_HOLD);

    CommandReply resumed = t.command(44, SUPERVISOR, Role.SUPERVISOR, "resume", "");

    assertThat(resumed.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(resumed.message()).contains("status IN_PROGRESS");
    // the control: reply first, then hold, then resume (always right)
    t.open(45, "Refund not received", POLICY);
    t.agentSays(45, "Checking");
    t.await(45, x -> x.firstResponseAt() != null);
    t.command(45, AGENT, Role.AGENT, "hold", "waiting for bank");
    assertThat(t.command(45, AGENT, Role.AGENT, "resume", "").status()).isEqualTo(Status.IN_PROGRESS);
  }

  /**
   * Audit 13 F1: the acknowledgement is queued before the ticket is first projected, so a kill -9
   * between them cannot leave a visible ticket (restored from its snapshot) without it.
   */
  @Test
  void aNewTopicsAcknowledgementIsQueuedBeforeTheTicketIsFirstVisible() {
    t.open(46, "Card declined", POLICY);
    t.await(46, x -> !t.activities.postedWithKeySuffix(":ack").isEmpty());

    assertThat(t.activities.calls).contains("post", "project");
    assertThat(t.activities.calls.indexOf("post")).isLessThan(t.activities.calls.indexOf("project"));
    assertThat(t.activities.postsAsked.getFirst().key()).endsWith(":ack");
  }

  @Test
  void aCustomerMessageThatEndsAHoldSaysSoInTheTopicWhereTheAgentsRead() {
    t.open(40, "Waiting for logs", POLICY);
    t.command(40, AGENT, Role.AGENT, "hold", "waiting for logs");
    t.customerSays(40, "here are the logs");
    t.await(40, x -> !t.activities.postedWithKeyContaining(":resumed:").isEmpty());
    assertThat(t.activities.postedWithKeyContaining(":resumed:")).singleElement().satisfies(m -> {
      assertThat(m.chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(m.threadId()).isEqualTo(40L);
      assertThat(m.html()).isEqualTo("▶️ Resumed: the customer wrote; status NEW, SLA clocks running again.");
    });
    assertThat(t.state(40).audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("RESUMED");
      assertThat(a.reason()).isEqualTo("customer wrote");
    });

    // relay mode: the topic is the agents' own, and the customer, who wrote, hears nothing of it
    t.open(41, "Bob: Parcel lost", POLICY.withRelay(true));
    t.command(41, AGENT, Role.AGENT, "hold", "asked the courier");
    t.customerSays(41, "any news?");
    t.await(41, x -> t.activities.postedWithKeyContaining(":resumed:").size() == 2);
    assertThat(t.activities.postedWithKeyContaining(":resumed:").getLast().threadId()).isEqualTo(41L);
    assertThat(t.activities.posted).noneMatch(m -> m.chatId() == CUSTOMER.id());
  }

  /** F12: in relay mode the agents read a reopen only in their topic; the customer, who wrote, hears nothing of it. */
  @Test
  void relayModeACustomersMessageThatReopensAResolvedTicketIsNoticedInTheAgentsTopic() {
    t.open(43, "Bob: Parcel lost", POLICY.withRelay(true));
    t.command(43, AGENT, Role.AGENT, "resolve", "");
    t.await(43, x -> x.status() == Status.RESOLVED);
    t.customerSays(43, "it still has not arrived");
    t.await(43, x -> !t.activities.postedWithKeyContaining(":reopened:").isEmpty());
    assertThat(t.activities.postedWithKeyContaining(":reopened:")).singleElement().satisfies(m -> {
      assertThat(m.chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(m.threadId()).isEqualTo(43L);
      assertThat(m.html()).isEqualTo("↩️ Reopened: the customer wrote (reopen #1); status NEW.");
    });
    assertThat(t.state(43).status()).isEqualTo(Status.NEW);
  }

  /**
   * F1: relay mode, the first reply never reached the customer (they blocked the bot). It is no
   * first response: the clock runs from the customer's question, so its deadline (30 min) is a
   * breach; the topic is told once, whatever else goes undelivered, until the customer writes.
   */
  @Test
  void relayModeAFirstReplyTheCustomerNeverGotIsWithdrawnAndItsDeadlineStillCounts() {
    t.open(44, "Bob: Card declined", POLICY.withRelay(true));
    t.skip(java.time.Duration.ofMinutes(5));
    t.send(44, new TicketEvent.MessagePosted("u900", t.now(), AGENT, Role.AGENT, 900, "try another card"));
    t.await(44, x -> x.firstResponseAt() != null && x.status() == Status.IN_PROGRESS);
    t.send(44, new TicketEvent.NotDelivered("not-delivered:a", t.now(), null, Role.SYSTEM, "an agent's reply", "u900",
        "Forbidden: bot was blocked by the user"));
    t.send(44, new TicketEvent.NotDelivered("not-delivered:b", t.now(), null, Role.SYSTEM,
        "the notice that their request is resolved", null, "Forbidden: bot was blocked by the user"));
    TicketState s = t.await(44, x -> x.audit().stream().filter(a -> a.event().equals("NOT_DELIVERED")).count() == 2);
    assertThat(s.firstResponseAt()).isNull();
    assertThat(s.status()).isEqualTo(Status.NEW);
    assertThat(s.lifecycle().firstResponseFrom()).isNull(); // the clock runs from the opening again
    assertThat(t.activities.postedWithKeyContaining(":not-delivered:")).singleElement()
        .satisfies(m -> assertThat(m.threadId()).isEqualTo(44L));

    t.skip(java.time.Duration.ofMinutes(26));
    t.await(44, x -> x.sla().breaches().stream().anyMatch(b -> b.clock().equals("first-response")));

    t.customerSays(44, "sorry, I unblocked you");
    t.send(44, new TicketEvent.NotDelivered("not-delivered:c", t.now(), null, Role.SYSTEM, "an agent's reply", "u901",
        "Forbidden: bot was blocked by the user"));
    t.await(44, x -> t.activities.postedWithKeyContaining(":not-delivered:").size() == 2);
  }

  @Test
  void aPersonsRenameOfAnAssignedTopicPutsTheAssigneesTagBackAndTheTaggedNameChangesNothing() {
    t.routing.rules = dev.forumdesk.routing.RoutingRules::builtin; // the harness leaves routing off
    t.open(42, "Refund", POLICY);
    t.customerSays(42, "I was charged twice");
    t.await(42, x -> AGENT.equals(x.assignee()) && t.routing.locks.size() == 1);

    t.send(42, new TicketEvent.TopicRenamed(t.nextEventId(), t.now(), SUPERVISOR, Role.SUPERVISOR, "Refund for order 7"));
    t.await(42, x -> t.routing.locks.size() == 2);
    assertThat(t.routing.locks.getLast()).satisfies(lock -> {
      assertThat(lock.agent()).isEqualTo(AGENT);
      assertThat(lock.title()).isEqualTo("Refund for order 7");
      assertThat(lock.cause()).isNotEqualTo(t.routing.locks.getFirst().cause());
    });

    // the bot's own edit, or a person who kept the tag: the topic names its owner already
    t.send(42, new TicketEvent.TopicRenamed(t.nextEventId(), t.now(), AGENT, Role.AGENT, "[Alice] Refund for order 7"));
    t.send(42, new TicketEvent.TopicRenamed(t.nextEventId(), t.now(), AGENT, Role.AGENT, "[Alice] Refund for order 8"));
    TicketState s = t.await(42, x -> x.title().equals("Refund for order 8"));
    assertThat(t.routing.locks).hasSize(2);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("RENAMED")).hasSize(2);
  }

  @Test
  void aMessageInAClosedTicketsTopicStartsALinkedFollowUpRun() {
    t.open(7, "Old problem", POLICY);
    TicketState closed = t.resolveAndClose(7);

    t.customerSays(7, "Hello again, same issue");
    TicketState follow = t.await(7, x -> x.opened() && x.status() == Status.NEW);
    assertThat(follow.followUpOf()).isEqualTo(closed.lifecycle().runId()).isNotNull();
    assertThat(follow.lifecycle().runId()).isNotEqualTo(closed.lifecycle().runId());
    assertThat(follow.title()).isEqualTo("Old problem");
    assertThat(follow.firstMessage()).isEqualTo("Hello again, same issue");
    assertThat(follow.version()).isGreaterThan(closed.version());
    assertThat(follow.audit()).extracting(AuditEntry::event).contains("CLOSED").endsWith("OPENED");
    var runs = t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, 7)).describe();
    assertThat(runs.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /**
   * A follow-up's OPENED entry says in words what happened, for the agent reading the trail: who
   * wrote after which close, and which follow-up of the topic this is. The run it follows stays in
   * {@code followUpOf} (a Temporal run id) for whoever needs it.
   */
  @Test
  void aFollowUpsAuditSaysWhoWroteAfterWhichCloseAndCountsTheFollowUps() {
    t.open(9, "Old problem", POLICY);
    TicketState closed = t.resolveAndClose(9);
    t.customerSays(9, "Hello again, same issue");
    TicketState first = t.await(9, x -> x.opened() && closed.lifecycle().runId().equals(x.followUpOf()));
    assertThat(lastOpened(first).reason())
        .isEqualTo("follow-up #1: Bob wrote in the topic after the ticket closed on "
            + HumanTime.dated(lastClosed(closed).at(), ZoneOffset.UTC))
        .doesNotContain(closed.lifecycle().runId());

    TicketState closedAgain = t.resolveAndClose(9);
    t.customerSays(9, "And once more");
    TicketState second = t.await(9, x -> x.opened() && closedAgain.lifecycle().runId().equals(x.followUpOf()));
    assertThat(lastOpened(second).reason()).isEqualTo("follow-up #2: Bob wrote in the topic after the ticket closed on "
        + HumanTime.dated(lastClosed(closedAgain).at(), ZoneOffset.UTC));
  }

  /**
   * A message written while the ticket was still open but reaching the desk after it closed (Telegram
   * resending it after a restart later than the restore's hold) opens a follow-up whose OPENED entry
   * says when it was written and that it arrived after the close, not that the customer "wrote after".
   */
  @Test
  void aFollowUpOpenedByAMessageWrittenBeforeTheCloseSaysItArrivedAfterIt() {
    t.open(13, "Old problem", POLICY);
    TicketState closed = t.resolveAndClose(13);
    java.time.Instant closedAt = lastClosed(closed).at();
    java.time.Instant written = closedAt.minusSeconds(90);
    t.send(13, new TicketEvent.MessagePosted(t.nextEventId(), written, CUSTOMER, Role.CUSTOMER, 14, "Still broken"));
    TicketState follow = t.await(13, x -> x.opened() && closed.lifecycle().runId().equals(x.followUpOf()));
    assertThat(lastOpened(follow).reason())
        .isEqualTo("follow-up #1: Bob's message of " + HumanTime.dated(written, ZoneOffset.UTC)
            + " reached the desk after the ticket closed on " + HumanTime.dated(closedAt, ZoneOffset.UTC));
  }

  /**
   * Audit 8 F17: the configuration changed while the ticket was closed (business hours turned on, a
   * longer first-response time): the follow-up is a new request, under today's configuration, and
   * its OPENED entry gives the time in the business-hours zone.
   */
  @Test
  void aFollowUpRunsUnderTheConfigurationInForceWhenItStarts() {
    t.open(11, "Old problem", POLICY);
    TicketState closed = t.resolveAndClose(11);
    var hours = new dev.forumdesk.sla.BusinessHours("Europe/Berlin", "MON-SUN", "08:00", "20:00");
    TicketPolicy today = POLICY.withDurations(Duration.ofHours(2), Duration.ofHours(2), Duration.ofDays(1),
        Duration.ofDays(1), Duration.ofDays(3)).withBusinessHours(hours);
    t.send(11, new TicketEvent.MessagePosted(t.nextEventId(), t.now(), CUSTOMER, Role.CUSTOMER, 12, "Hello again"), today);
    TicketState follow = t.await(11, x -> x.opened() && closed.lifecycle().runId().equals(x.followUpOf()));
    assertThat(follow.policy()).isEqualTo(today);
    assertThat(follow.sla().firstResponseDue())
        .isEqualTo(dev.forumdesk.sla.BusinessCalendar.of(hours).plus(follow.createdAt(), Duration.ofHours(2)));
    assertThat(lastOpened(follow).reason()).endsWith("closed on "
        + HumanTime.dated(lastClosed(closed).at(), java.time.ZoneId.of("Europe/Berlin")));
  }

  private static AuditEntry lastOpened(TicketState s) {
    return s.audit().reversed().stream().filter(a -> a.event().equals("OPENED")).findFirst().orElseThrow();
  }

  private static AuditEntry lastClosed(TicketState s) {
    return s.audit().reversed().stream().filter(a -> a.event().equals("CLOSED")).findFirst().orElseThrow();
  }

  @Test
  void anAgentWhoOpensOrReopensATopicIsNotItsCustomer() {
    // a topic an agent opens for a customer: the customer is the first to write who is not staff
    t.send(30, new TicketEvent.TopicOpened(t.nextEventId(), t.now(), AGENT, Role.AGENT, "Call back Quinn"));
    t.agentSays(30, "Hi Quinn, opening this topic for your case");
    TicketState opened = t.await(30, x -> x.opened() && x.seenEvents().size() == 2);
    assertThat(opened.customer()).isNull();
    Person quinn = new Person(5070, "Quinn", "quinn");
    t.send(30, new TicketEvent.MessagePosted(t.nextEventId(), t.now(), quinn, Role.CUSTOMER, 31, "Thanks, here are the details"));
    assertThat(t.await(30, x -> x.customer() != null).customer()).isEqualTo(quinn);

    // an agent reopens the topic of a CLOSED ticket: the follow-up is still the customer's
    t.open(32, "Old problem", POLICY);
    t.resolveAndClose(32);
    t.send(32, new TicketEvent.TopicReopened(t.nextEventId(), t.now(), AGENT, Role.AGENT));
    TicketState follow = t.await(32, x -> x.opened() && x.status() == Status.NEW);
    assertThat(follow.customer()).isEqualTo(TicketHarness.CUSTOMER);
    // and they have asked nothing in this run yet: the agent's word is no first response
    assertThat(follow.sla().firstResponseDue()).isNull();
    t.send(32, new TicketEvent.MessagePosted("u-fyi", t.now(), AGENT, Role.AGENT, 33, "FYI: the fix is live"));
    assertThat(t.await(32, x -> x.seenEvents().contains("u-fyi")).firstResponseAt()).isNull();
    t.customerSays(32, "Still broken for me");
    assertThat(t.await(32, x -> x.sla().firstResponseDue() != null).firstResponseAt()).isNull();
  }

  /**
   * A topic staff opened: its first-response clock starts with the customer's first word, and the
   * snapshot keeps that moment for the SLA report, which measures from it (not from the opening).
   */
  @Test
  void theMomentTheFirstResponseClockStartedIsKeptWhenItIsNotTheOpening() {
    t.send(34, new TicketEvent.TopicOpened(t.nextEventId(), t.now(), AGENT, Role.AGENT, "Call back Quinn"));
    assertThat(t.await(34, TicketState::opened).lifecycle().firstResponseFrom()).as("no clock yet").isNull();
    t.skip(Duration.ofHours(2));
    java.time.Instant asked = t.now();
    Person quinn = new Person(5071, "Quinn", "quinn");
    t.send(34, new TicketEvent.MessagePosted(t.nextEventId(), asked, quinn, Role.CUSTOMER, 35, "Here are the details"));
    t.skip(Duration.ofMinutes(3));
    t.agentSays(34, "Thanks, looking");

    TicketState answered = t.await(34, x -> x.firstResponseAt() != null);
    assertThat(answered.lifecycle().firstResponseFrom()).isEqualTo(asked);
    assertThat(Lifecycle.firstResponseClockStart(answered)).isEqualTo(asked);
    assertThat(Duration.between(asked, answered.firstResponseAt())).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(4));

    // a customer's topic: the clock starts when it opens, nothing more kept
    t.open(36, "Mine", POLICY);
    TicketState own = t.await(36, TicketState::opened);
    assertThat(own.lifecycle().firstResponseFrom()).isNull();
    assertThat(Lifecycle.firstResponseClockStart(own)).isEqualTo(own.createdAt());
  }

  @Test
  void theSameCommandDeliveredTwiceActsOnce() {
    t.open(8, "Twice", POLICY);
    CommandRequest hold = new CommandRequest("u77", t.now(), AGENT, Role.AGENT, "hold", "x", "telegram");
    var stub = t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(TicketHarness.CHAT, 8));
    stub.command(hold);
    stub.command(hold);
    assertThat(t.state(8).audit()).filteredOn(a -> a.event().equals("ON_HOLD")).hasSize(1);
  }
}
