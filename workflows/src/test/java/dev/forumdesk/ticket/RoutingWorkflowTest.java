package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.routing.RoutingActivities;
import dev.forumdesk.routing.RoutingActivities.SentimentScore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Phase 2 in the ticket workflow with test activities: decisions, fallbacks, timeouts, waiting. */
class RoutingWorkflowTest {
  private final TicketHarness t = new TicketHarness();
  private final CountDownLatch release = new CountDownLatch(1);

  RoutingWorkflowTest() {
    t.routing.rules = dev.forumdesk.routing.RoutingRules::builtin; // the harness leaves routing off
  }

  @AfterEach
  void close() {
    release.countDown();
    t.close();
  }

  private void open(long thread, String title, String text) {
    t.send(thread, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, title));
    t.send(thread, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, thread + 1, text));
  }

  private static boolean routed(TicketState s) {
    return "ROUTED".equals(s.routing().phase());
  }

  @Test
  void phaseTwoRoutesEnrichesAssignsAndLocksTheTitle() {
    t.send(42, new TicketEvent.MessagePosted("u1", t.now(), CUSTOMER, Role.CUSTOMER, 43, "I need a refund for order 7"));

    TicketState s = t.await(42, x -> x.assignee() != null);
    assertThat(s.routing().phase()).isEqualTo("ROUTED");
    assertThat(s.queue()).isEqualTo("billing");
    assertThat(s.category()).isEqualTo("billing");
    assertThat(s.language()).isEqualTo("en");
    assertThat(s.sentiment()).isEqualTo(0.1);
    assertThat(s.tier()).isEqualTo("standard");
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.assignee()).isEqualTo(TicketHarness.AGENT);
    assertThat(s.routing().reasons()).contains("category billing: matched 'refund'",
        "language en: detected (0.99)", "tier standard: default tier", "lowest load 0.0 of 1 agents: Alice");
    assertThat(s.audit()).extracting(AuditEntry::event).contains("OPENED", "ROUTED", "ASSIGNED");
    // the entry names whom it gave the ticket to: the daily report credits by it
    assertThat(s.audit()).filteredOn(a -> a.event().equals("ASSIGNED")).singleElement()
        .satisfies(a -> assertThat(a.agent()).isEqualTo(TicketHarness.AGENT));
    assertThat(s.audit()).filteredOn(a -> !a.event().equals("ASSIGNED")).allMatch(a -> a.agent() == null);
    assertThat(t.routing.assignCalls).singleElement().satisfies(r -> {
      assertThat(r.weight()).isEqualTo(1.0);
      assertThat(r.requirements().skill()).isEqualTo("billing");
      assertThat(r.requirements().language()).isEqualTo("en");
    });
    t.await(42, x -> !t.routing.locks.isEmpty());
    assertThat(t.routing.locks.getFirst().agent()).isEqualTo(TicketHarness.AGENT);
    assertThat(t.routing.locks.getFirst().title()).isEqualTo("I need a refund for order 7");
    assertThat(t.activities.projected.getFirst().routing().phase()).as("phase 1 projected first").isEqualTo("GENERAL");
    t.await(42, x -> t.activities.projected.getLast().assignee() != null);
  }

  @Test
  void anAssignmentThatFailsForAWhileIsRetriedUntilTheDatabaseAnswers() {
    AtomicInteger calls = new AtomicInteger();
    t.routing.assign = r -> {
      if (calls.incrementAndGet() <= 3) {
        throw new IllegalStateException("Connection is not available, request timed out after 5000ms");
      }
      return new AssignResult(TicketHarness.AGENT, List.of("lowest load 3.0 of 1 agents: Alice"));
    };
    open(47, "Refund", "I need a refund for order 7");

    TicketState s = t.await(47, x -> x.assignee() != null);
    assertThat(s.assignee()).isEqualTo(TicketHarness.AGENT);
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void aFailingEnrichmentIsRecordedAndRoutingGoesOnWithWhatItHas() {
    t.routing.language = r -> {
      throw new IllegalStateException("lingua model missing");
    };
    t.routing.customer = r -> {
      throw new IllegalStateException("database down");
    };
    open(50, "App crashes", "The app crashes on start");

    TicketState s = t.await(50, x -> x.assignee() != null);
    assertThat(s.language()).as("team default").isEqualTo("en");
    assertThat(s.tier()).isNull();
    assertThat(s.category()).isEqualTo("technical");
    assertThat(s.routing().reasons())
        .anyMatch(r -> r.startsWith("language: failed (lingua model missing)"))
        .anyMatch(r -> r.startsWith("customer profile: failed (database down)"))
        .contains("language en: team default");
  }

  @Test
  void aHangingEnrichmentTimesOutWithinTheBudgetAndIsNamed() throws Exception {
    t.routing.sentiment = r -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new SentimentScore(-0.9, "too late");
    };
    open(60, "Invoice", "Invoice is wrong");
    t.await(60, TicketState::opened);
    // a local activity: the worker times the attempt out (3 s, then a retry, 5 s in all) in real time
    t.env.sleep(Duration.ofSeconds(6));

    TicketState s = t.await(60, RoutingWorkflowTest::routed);
    assertThat(s.sentiment()).isNull();
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.routing().reasons()).contains("sentiment: failed (timed out), routed without it");
    assertThat(s.category()).isEqualTo("billing");
  }

  @Test
  void negativeSentimentRaisesPriorityWithAReason() {
    t.routing.sentiment = r -> new SentimentScore(-0.8, "sentiment -0.80: ridiculous");
    open(70, "Broken again", "Your app froze again, this is ridiculous!");

    TicketState s = t.await(70, x -> x.assignee() != null);
    assertThat(s.priority()).isEqualTo(Priority.HIGH);
    assertThat(s.sentiment()).isEqualTo(-0.8);
    assertThat(s.routing().reasons()).contains("sentiment -0.80 below -0.50: priority HIGH", "complexity 2.50");
    // the agent who got the ticket hears of the upset customer, not the supervisors in their place
    t.await(70, x -> t.activities.dms.stream().anyMatch(d -> d.message().key().contains(":sentiment:")));
    assertThat(t.activities.dms).filteredOn(d -> d.message().key().contains(":sentiment:"))
        .singleElement().satisfies(d -> assertThat(d.message().chatId()).isEqualTo(TicketHarness.AGENT.id()));
  }

  @Test
  void aLaterAngryCustomerMessageRaisesPriorityAndTellsTheAssigneeOnce() {
    t.routing.sentiment = r -> r.text().contains("!!!")
        ? new SentimentScore(-0.9, "sentiment -0.90: angry") : new SentimentScore(0.2, "sentiment 0.20: calm");
    open(71, "Printer", "The printer does not print");
    t.await(71, x -> x.assignee() != null);
    assertThat(t.state(71).priority()).isEqualTo(Priority.NORMAL);

    t.send(71, new TicketEvent.MessagePosted("u9", t.now(), CUSTOMER, Role.CUSTOMER, 80, "Still nothing!!! Useless!!!"));
    t.send(71, new TicketEvent.MessagePosted("u9", t.now(), CUSTOMER, Role.CUSTOMER, 80, "Still nothing!!! Useless!!!"));
    TicketState s = t.await(71, x -> x.priority() == Priority.HIGH);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("PRIORITY")).singleElement()
        .satisfies(a -> assertThat(a.reason()).contains("negative sentiment -0.90").contains("(u9)"));
    t.await(71, x -> t.activities.dms.stream().anyMatch(d -> d.message().key().contains(":sentiment:u9:dm:")));
    assertThat(t.activities.dms).filteredOn(d -> d.message().key().contains(":sentiment:u9:"))
        .singleElement().satisfies(d -> assertThat(d.message().chatId()).isEqualTo(TicketHarness.AGENT.id()));
  }

  /** Telegram: forum_topic_created first, the customer's first message a separate update seconds later. */
  @Test
  void aTopicOpenedWithoutTextIsRoutedOnItsFirstMessageWhenItComesWithinTheWait() {
    t.routing.language = r -> r.text().contains("возврат")
        ? new RoutingActivities.LanguageGuess("ru", "language ru: detected (0.99)")
        : new RoutingActivities.LanguageGuess("en", "language en: detected (0.50)");
    t.routing.sentiment = r -> r.text().contains("безобразие")
        ? new SentimentScore(-0.8, "sentiment -0.80: безобразие") : new SentimentScore(0.0, "sentiment 0.00");
    t.send(90, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Help please"));
    t.await(90, TicketState::opened);
    t.skip(Duration.ofSeconds(3)); // the customer types
    assertThat(t.state(90).routing().phase()).as("waiting in the general queue").isEqualTo("GENERAL");
    t.send(90, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, 91,
        "Нужен возврат средств, это безобразие!"));

    TicketState s = t.await(90, x -> x.assignee() != null);
    assertThat(s.language()).isEqualTo("ru");
    assertThat(s.category()).isEqualTo("billing");
    assertThat(s.sentiment()).isEqualTo(-0.8);
    assertThat(s.priority()).isEqualTo(Priority.HIGH);
    assertThat(s.routing().reasons()).contains("language ru: detected (0.99)", "category billing: matched 'возврат'")
        .noneMatch(r -> r.contains("routed on the title"));
  }

  @Test
  void withoutAFirstMessageInTheWaitItIsRoutedOnTheTitleAndTheLateMessageIsStillScored() {
    t.routing.sentiment = r -> r.text().contains("!!!")
        ? new SentimentScore(-0.9, "sentiment -0.90: angry") : new SentimentScore(0.0, "sentiment 0.00");
    t.send(92, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund"));
    t.await(92, TicketState::opened);
    t.skip(dev.forumdesk.routing.RoutingRules.builtin().firstMessageWaitOrDefault().plusSeconds(1));

    TicketState routedOnTitle = t.await(92, x -> x.assignee() != null);
    assertThat(routedOnTitle.category()).isEqualTo("billing");
    assertThat(routedOnTitle.routing().reasons()).contains("no message from the customer within 10 s: routed on the title");
    assertThat(routedOnTitle.priority()).isEqualTo(Priority.NORMAL);

    t.send(92, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, 93, "Where is my money!!!"));
    TicketState s = t.await(92, x -> x.priority() == Priority.HIGH);
    assertThat(s.firstMessage()).isEqualTo("Where is my money!!!");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("PRIORITY")).singleElement()
        .satisfies(a -> assertThat(a.reason()).contains("negative sentiment -0.90"));
  }

  /** Audit 4: an agent opened the topic and wrote first; the wait ended then, not after 10 s. */
  @Test
  void anAgentWritingBeforeTheCustomerIsTheReasonItIsRoutedOnTheTitle() {
    t.send(94, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund"));
    t.await(94, TicketState::opened);
    t.send(94, new TicketEvent.MessagePosted("u2", t.now(), TicketHarness.AGENT, Role.AGENT, 95, "Hello, how can I help?"));

    TicketState s = t.await(94, x -> x.assignee() != null);
    assertThat(s.routing().reasons()).contains("an agent wrote before the customer: routed on the title")
        .noneMatch(r -> r.contains("no message from the customer"));
  }

  @Test
  void allAgentsAtCapTheTicketWaitsVisiblyAndIsAssignedWhenCapacityFrees() {
    AtomicInteger calls = new AtomicInteger();
    t.routing.assign = r -> calls.incrementAndGet() < 3
        ? AssignResult.waiting(List.of("waiting: all 2 capable agents at cap or away (0 away)"))
        : new AssignResult(TicketHarness.AGENT, List.of("lowest load 3.0 of 1 agents: Alice"));
    open(80, "Password", "I forgot my password");

    TicketState waiting = t.await(80, x -> x.audit().stream().anyMatch(a -> a.event().equals("WAITING")));
    assertThat(waiting.assignee()).isNull();
    assertThat(waiting.queue()).isEqualTo("account");
    assertThat(waiting.routing().reasons()).contains("waiting: all 2 capable agents at cap or away (0 away)");

    t.env.sleep(Duration.ofHours(4)); // the last-resort retries (1 h, then 2 h, +-20 %) run in skipped time
    TicketState s = t.await(80, x -> x.assignee() != null);
    assertThat(s.assignee()).isEqualTo(TicketHarness.AGENT);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(s.audit()).extracting(AuditEntry::event).filteredOn("WAITING"::equals).as("one entry, not one per retry")
        .hasSize(1);
  }

  @Test
  void aWaitingTicketRestoredFromItsSnapshotDoesNotAuditTheSameWaitAgain() {
    AtomicInteger asks = new AtomicInteger();
    t.routing.assign = r -> {
      asks.incrementAndGet();
      return AssignResult.waiting(List.of("waiting: all 1 capable agents at cap or away (0 away)"));
    };
    open(84, "Refund", "I want a refund");
    TicketState waiting = t.await(84, x -> x.audit().stream().anyMatch(a -> a.event().equals("WAITING")));

    // the embedded server lost it (kill -9): Restore starts a run from the read model's snapshot
    String id = TicketWorkflow.id(TicketHarness.CHAT, 84);
    t.client.newUntypedWorkflowStub(id).terminate("lost with the embedded server");
    int before = asks.get();
    io.temporal.client.WorkflowClient.start(t.client.newWorkflowStub(TicketWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TicketHarness.QUEUE).build())::run,
        waiting, null);
    t.await(84, x -> asks.get() > before);
    assertThat(t.state(84).audit()).extracting(AuditEntry::event).filteredOn("WAITING"::equals).hasSize(1);
  }

  @Test
  void aWaitingTicketIsAssignedAtOnceWhenCapacityFreesWithoutWaitingForItsRetryTimer() {
    AtomicInteger asks = new AtomicInteger();
    t.routing.assign = r -> asks.incrementAndGet() >= 3 // a slot is free by the third ask
        ? new AssignResult(TicketHarness.AGENT, List.of("lowest load 3.0 of 1 agents: Alice"))
        : AssignResult.waiting(List.of("waiting: all 1 capable agents at cap or away (0 away)"));
    open(81, "Refund", "I want a refund");
    TicketState waiting = t.await(81, x -> x.audit().stream().anyMatch(a -> a.event().equals("WAITING")));
    assertThat(waiting.assignee()).isNull();

    t.capacityFreed(81); // not this ticket's slot: it asks once more and keeps waiting
    t.await(81, x -> t.routing.assignCalls.size() == 2);
    t.capacityFreed(81); // a resolve elsewhere freed Alice's slot; the worker tells the waiting ticket

    TicketState s = t.await(81, x -> x.assignee() != null);
    assertThat(s.assignee()).isEqualTo(TicketHarness.AGENT);
    assertThat(t.routing.assignCalls).as("first ask, two signals, no timer").hasSize(3);
    Instant waitedAt = s.audit().stream().filter(a -> a.event().equals("WAITING")).findFirst().orElseThrow().at();
    Instant assignedAt = s.audit().stream().filter(a -> a.event().equals("ASSIGNED")).findFirst().orElseThrow().at();
    assertThat(Duration.between(waitedAt, assignedAt)).as("workflow time: the 1 h retry timer never fired")
        .isLessThan(Duration.ofMinutes(1));
    assertThat(s.audit()).extracting(AuditEntry::event).filteredOn("WAITING"::equals).hasSize(1);

    t.capacityFreed(81);
    t.send(81, new TicketEvent.MessagePosted("u9", t.now(), CUSTOMER, Role.CUSTOMER, 90, "thanks"));
    t.await(81, x -> x.seenEvents().contains("u9")); // signals arrive in order: the one before is handled
    assertThat(t.routing.assignCalls).as("an assigned ticket ignores the signal").hasSize(3);
  }

  @Test
  void withoutRulesTheBuiltInLibraryRoutes() {
    t.routing.rules = () -> {
      throw new IllegalStateException("config unreadable");
    };
    open(90, "Konto", "Ich kann mein Passwort nicht ändern");

    TicketState s = t.await(90, x -> x.assignee() != null);
    assertThat(s.category()).isEqualTo("account");
    assertThat(s.routing().reasons()).anyMatch(r -> r.startsWith("rules unavailable (config unreadable)"));
  }

  /** The built-in library it falls back to knows French, Italian and Portuguese (audit 9, F7). */
  @Test
  void withoutRulesTheBuiltInLibraryRoutesFrenchToo() {
    t.routing.rules = () -> {
      throw new IllegalStateException("config unreadable");
    };
    open(91, "Compte", "Je n'arrive plus à me connecter, mot de passe refusé");

    TicketState s = t.await(91, x -> x.assignee() != null);
    assertThat(s.category()).as(s.routing().reasons().toString()).isEqualTo("account");
  }

  @Test
  void aSupervisorsAssignIsAuditedAsTheirsAndRepeatingItIsRefused() {
    Person boris = new Person(1002, "Boris", "boris");
    open(110, "Refund", "I want a refund");
    t.await(110, x -> x.assignee() != null && x.assignee().id() == TicketHarness.AGENT.id());
    assertThat(t.refusal(110, TicketHarness.SUPERVISOR, Role.SUPERVISOR, "assign", "@Alice"))
        .isEqualTo("The ticket is already assigned to Alice.");
    t.routing.command = c -> RoutingActivities.CommandResult.done("assigned to Boris by a supervisor", boris);
    t.command(110, TicketHarness.SUPERVISOR, Role.SUPERVISOR, "assign", "@boris");
    TicketState s = t.await(110, x -> x.assignee() != null && x.assignee().id() == boris.id());
    assertThat(s.audit()).anyMatch(a -> a.event().equals("ASSIGNED") && a.actor().equals("supervisor:900001"));
    assertThat(t.refusal(110, TicketHarness.SUPERVISOR, Role.SUPERVISOR, "assign", "boris"))
        .isEqualTo("The ticket is already assigned to Boris.");
  }

  @Test
  void anotherAgentReplyingInAnAssignedTopicIsWarnedPrivatelyOnceButTheAssigneeIsNot() {
    Person boris = new Person(1002, "Boris", "boris");
    open(100, "Refund", "I want a refund");
    t.await(100, x -> x.assignee() != null);
    var foreign = new TicketEvent.MessagePosted("u5", t.now(), boris, Role.AGENT, 105, "I can help");
    t.send(100, foreign);
    t.send(100, foreign);
    t.send(100, new TicketEvent.MessagePosted("u6", t.now(), TicketHarness.AGENT, Role.AGENT, 106, "On it"));
    t.await(100, x -> x.seenEvents().contains("u6"));

    assertThat(t.activities.postedWithKeySuffix(":lock-warning:u5")).singleElement().satisfies(m -> {
      assertThat(m.chatId()).as("a private message to Boris").isEqualTo(1002L);
      assertThat(m.threadId()).isNull();
      // only Alice may /reassign: Boris is told to ask her or a supervisor; the topic is a link, not an id
      // told after the fact: the reply is in the topic already (in relay mode, with the customer)
      assertThat(m.html()).isEqualTo("You replied in <a href=\"" + new ForumTopic(TicketHarness.CHAT, 100).url()
          + "\">Refund</a>, Alice's ticket; it stays Alice's. To take it over, ask Alice to /reassign it to you,"
          + " or a supervisor to /assign it.");
      assertThat(m.html()).doesNotContain("ticket-");
    });
    assertThat(t.activities.posted).noneMatch(m -> m.key().endsWith(":lock-warning:u6"));
  }

  @Test
  void lockRepliesAllowSendsNoWarning() {
    var allow = dev.forumdesk.routing.RoutingRules.builtin();
    t.routing.rules = () -> new dev.forumdesk.routing.RoutingRules(true, allow.categories(), allow.languageTeams(),
        "en", 5, "P7D", -0.5, true, allow.complexity(), allow.tierFactors(), allow.priorityTiers(), "senior", "allow", "PT10S");
    open(110, "Refund", "I want a refund");
    t.await(110, x -> x.assignee() != null);
    t.send(110, new TicketEvent.MessagePosted("u5", t.now(), new Person(1002, "Boris", "boris"), Role.AGENT, 115, "hi"));
    t.await(110, x -> x.seenEvents().contains("u5"));
    assertThat(t.activities.posted).noneMatch(m -> m.key().contains(":lock-warning:"));
  }

  @Test
  void reassignMovesTheTicketAuditsItRelocksTheTitleAndAnswersInTheTopic() {
    Person boris = new Person(1002, "Boris", "boris");
    t.routing.command = c -> {
      assertThat(c.requirements().skill()).isEqualTo("billing");
      assertThat(c.actorId()).isEqualTo(TicketHarness.AGENT.id());
      return RoutingActivities.CommandResult.moved("👤 Reassigned to Boris as asked.", boris, "reassigned to Boris as asked");
    };
    open(120, "Refund", "I want a refund");
    t.await(120, x -> x.assignee() != null);

    CommandReply reply = t.command(120, TicketHarness.AGENT, Role.AGENT, "reassign", "@boris");
    assertThat(reply.message()).isEqualTo("👤 Reassigned to Boris as asked.");
    // who has it now, as a field: a caller need not read the topic's sentence (DepartedAgents)
    assertThat(reply.assignee()).isEqualTo(boris);
    assertThat(reply.released()).isFalse();
    TicketState s = t.await(120, x -> boris.equals(x.assignee()));
    // the topic reads the sentence; the audit and /why the phrase, without the chat's emoji
    assertThat(s.audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("REASSIGNED");
      assertThat(a.reason()).isEqualTo("reassigned to Boris as asked (by Alice)");
      assertThat(a.agent()).isEqualTo(boris);
    });
    assertThat(s.routing().reasons()).contains("reassigned to Boris as asked").noneMatch(r -> r.contains("👤"));
    t.await(120, x -> t.routing.locks.stream().anyMatch(l -> l.agent().equals(boris)));
    t.await(120, x -> t.activities.posted.stream().anyMatch(m -> m.html().contains("Reassigned to Boris")));
  }

  @Test
  void aRefusedRosterCommandChangesNothingAndSaysWhy() {
    t.routing.command = c -> RoutingActivities.CommandResult.refused(RefusalKind.INVALID,
        "unknown agent @zed; known agents: @alice, @boris");
    open(130, "Refund", "I want a refund");
    TicketState before = t.await(130, x -> x.assignee() != null);

    assertThat(t.refusal(130, TicketHarness.AGENT, Role.AGENT, "reassign", "@zed"))
        .isEqualTo("unknown agent @zed; known agents: @alice, @boris");
    // an answer, not a failed update: a thrown refusal made the SDK log a WARN with a stack trace
    assertThat(t.command(130, TicketHarness.AGENT, Role.AGENT, "reassign", "@zed")).satisfies(r -> {
      assertThat(r.refused()).isTrue();
      assertThat(r.message()).isEqualTo("unknown agent @zed; known agents: @alice, @boris");
      assertThat(r.kind()).as("what the API answers 400 for").isEqualTo(RefusalKind.INVALID);
    });
    assertThat(t.state(130).assignee()).isEqualTo(before.assignee());
    assertThat(t.refusal(130, CUSTOMER, Role.CUSTOMER, "away", "")).isEqualTo("Only agents and supervisors can use /away.");
  }

  /**
   * Audit 15, F2: a supervisor's (the desk's) /reassign of a ticket whose assignee left the team,
   * with nobody free, releases it: no assignee, audited RELEASED with the reason, which /why keeps;
   * phase 2 asks for an agent again and waits (WAITING), and a freed slot assigns it.
   */
  @Test
  void aReleasedTicketHasNoAssigneeAsksForAnAgentAgainAndIsAssignedWhenASlotFrees() {
    Person carmen = new Person(1003, "Carmen", "carmen");
    Person desk = new Person(0, "Forumdesk", null);
    String reason = "previous agent @alice is no longer on the team: assignment released;"
        + " no other capable agent has a free slot; waiting in the line for the next free agent";
    t.routing.command = c -> RoutingActivities.CommandResult.released("👤 Waiting for the next free agent.", reason);
    open(140, "Refund", "I want a refund");
    t.await(140, x -> x.assignee() != null);
    java.util.concurrent.atomic.AtomicReference<Person> free = new java.util.concurrent.atomic.AtomicReference<>();
    t.routing.assign = r -> free.get() == null
        ? dev.forumdesk.routing.AssignResult.waiting(List.of("waiting: Carmen is at cap (1/1)"))
        : new dev.forumdesk.routing.AssignResult(free.get(), List.of("lowest load 0.0 of 1 agent: Carmen"));
    int asked = t.routing.assignCalls.size();

    CommandReply reply = t.command(140, desk, Role.SUPERVISOR, "reassign", "");
    assertThat(reply.refused()).isFalse();
    assertThat(reply.message()).isEqualTo("👤 Waiting for the next free agent.");
    assertThat(reply.released()).isTrue();
    assertThat(reply.assignee()).isNull();
    TicketState s = t.await(140, x -> x.assignee() == null
        && x.audit().stream().anyMatch(a -> a.event().equals("WAITING")));
    assertThat(s.audit()).filteredOn(a -> a.event().equals("RELEASED")).singleElement().satisfies(a -> {
      assertThat(a.reason()).isEqualTo(reason + " (by Forumdesk)");
      assertThat(a.actor()).isEqualTo("supervisor:0");
      assertThat(a.agent()).isNull();
    });
    assertThat(s.audit().getLast().reason()).isEqualTo("waiting: Carmen is at cap (1/1)");
    assertThat(s.routing().reasons()).contains(reason, "waiting: Carmen is at cap (1/1)");
    assertThat(s.routing().phase()).isEqualTo("ROUTED");
    assertThat(t.routing.assignCalls.size()).as("phase 2 asked again").isGreaterThan(asked);
    assertThat(Notices.statusCard(s, java.time.ZoneOffset.UTC)).contains("Assignee: unassigned");

    free.set(carmen);
    t.capacityFreed(140);
    TicketState served = t.await(140, x -> carmen.equals(x.assignee()));
    assertThat(served.audit().getLast().event()).isEqualTo("ASSIGNED");
    t.await(140, x -> t.routing.locks.stream().anyMatch(l -> l.agent().equals(carmen)));
  }

  /**
   * The line may give a released ticket back to the agent it had before: the title lock's key is
   * not the one of that first assignment, which the outbox took already (the topic stayed untagged).
   */
  @Test
  void aReleasedTicketAssignedToItsFormerAgentAgainIsTaggedAgain() {
    t.routing.command = c -> RoutingActivities.CommandResult.released("👤 Waiting for the next free agent.",
        "previous agent @boris is no longer on the team: assignment released");
    open(150, "Refund", "I want a refund");
    t.await(150, x -> TicketHarness.AGENT.equals(x.assignee()));
    t.await(150, x -> t.routing.locks.stream().anyMatch(l -> l.ticketId().equals(x.id())));

    t.command(150, new Person(0, "Forumdesk", null), Role.SUPERVISOR, "reassign", "");
    t.await(150, x -> x.audit().stream().anyMatch(a -> a.event().equals("RELEASED"))
        && TicketHarness.AGENT.equals(x.assignee())); // the fake assigns Alice again at once
    List<String> causes = t.routing.locks.stream().filter(l -> l.ticketId().endsWith("-150"))
        .map(RoutingActivities.TitleLock::cause).toList();
    assertThat(causes).containsExactly("assigned", "assigned:released:1");
  }
}
