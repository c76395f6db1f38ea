package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.routing.RoutingActivities;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /escalate, recurring customers, negative sentiment and refused DMs. */
class EscalationTest {
  static final Person SVEN = new Person(1004, "Sven", "sven");
  static final TicketPolicy POLICY =
      TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR)).withSeniors(List.of(SVEN));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void escalateMovesToLevel2AndOpensATopicInTheLevel2Group() {
    t.open(1, "Need an expert", POLICY);
    CommandReply reply = t.command(1, AGENT, Role.AGENT, "escalate", "database corruption");
    assertThat(reply.status()).isEqualTo(Status.ESCALATED);
    assertThat(reply.message()).as("posted in the topic: the supervisors are @mentioned on every escalation")
        .startsWith("⬆️ Escalated to Level 2: database corruption").contains(SUPERVISOR.mention());
    TicketState s = t.await(1, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.level()).isEqualTo(2);
    assertThat(s.queue()).isEqualTo("level2");
    assertThat(t.activities.level2Topics).containsExactly("L2: Need an expert");
    assertThat(s.audit()).anyMatch(a -> a.event().equals("ESCALATED") && a.reason().equals("Level 2: database corruption")
        && a.actor().equals("agent:1001"));
    assertThat(t.refusal(1, AGENT, Role.AGENT, "escalate", "")).contains("already at Level 2");
  }

  /** Audit 13 F6: the supervisors heard of the escalation; its first-response breach calls nobody again. */
  @Test
  void aFirstResponseBreachOfATicketAlreadyAtLevel2CallsNobodyAgain() {
    t.open(3, "Outage", POLICY);
    t.command(3, AGENT, Role.AGENT, "escalate", "infra");
    t.await(3, x -> x.lifecycle().level2ThreadId() != null);
    int posts = t.activities.posted.size();

    t.skip(POLICY.firstResponse().plusMinutes(1));
    TicketState s = t.await(3, x -> !x.sla().breaches().isEmpty());

    assertThat(s.sla().breaches()).extracting(b -> b.clock()).containsExactly("first-response");
    assertThat(s.audit().getLast()).satisfies(a -> {
      assertThat(a.event()).isEqualTo("SLA_BREACH");
      assertThat(a.reason()).isEqualTo("first response over PT30M (already at Level 2: nobody called again)");
    });
    assertThat(t.activities.postedWithKeyContaining(":first-response-breach")).isEmpty();
    assertThat(t.activities.posted).hasSize(posts);
    t.skip(POLICY.firstResponse().plusMinutes(1)); // no chain either
    assertThat(t.state(3).audit()).noneMatch(a -> a.event().equals("UNANSWERED") || a.event().equals("ESCALATED")
        && a.reason().startsWith("still no first response"));
  }

  /**
   * Audit 14 F4 (lifecycle rules 10): a ticket escalated before 80 % of its first-response time is
   * warned of nobody: the warning used to be queued for its assignee and dropped by the outbox ("the
   * ticket is ESCALATED") while the audit said it was given. The audit says why none went.
   */
  @Test
  void aTicketAlreadyAtLevel2GetsNoFirstResponseWarning() {
    t.open(4, "Outage", POLICY);
    t.command(4, AGENT, Role.AGENT, "escalate", "infra");
    t.await(4, x -> x.lifecycle().level2ThreadId() != null);
    int dms = t.activities.dms.size();
    int posts = t.activities.posted.size();

    t.skip(POLICY.firstResponse().multipliedBy(9).dividedBy(10));
    TicketState s = t.await(4, x -> x.audit().stream().anyMatch(a -> a.event().equals("SLA_WARNING")));

    assertThat(s.audit()).filteredOn(a -> a.event().equals("SLA_WARNING")).singleElement()
        .satisfies(a -> assertThat(a.reason())
            .isEqualTo("80% of the first-response time used (already at Level 2: nobody warned)"));
    assertThat(t.activities.dms).hasSize(dms);
    assertThat(t.activities.posted).hasSize(posts);
    assertThat(t.activities.dms).noneMatch(d -> d.message().key().contains(":first-response-warning"));
    assertThat(t.activities.staffNotes).noneMatch(n -> n.key().contains(":first-response-warning"));
  }

  /**
   * Audit 11, F6, in the workflow: a ticket on the escalation chain is escalated through the API and
   * lost with the embedded server before its snapshot showed it; restored once the chain's deadline
   * passed, with the escalation in its journal (Restore). The journal goes first: the supervisor's
   * escalation, its reason in the audit and the Level 2 summary, and the chain finds the ticket at
   * Level 2 already. A second escalation in the journal, refused now, changes nothing and is
   * projected among the events seen, so the journal forgets it.
   */
  @Test
  void aRestoredTicketAppliesItsJournalBeforeItsOverdueChain() {
    t.open(40, "Printer on fire", POLICY);
    t.skip(POLICY.firstResponse().plusMinutes(1));
    TicketState onTheChain = t.await(40, x -> x.status() == Status.ESCALATED);
    assertThat(onTheChain.level()).as("breached, the chain not due yet").isEqualTo(1);
    CommandRequest escalate = new CommandRequest("api:first", t.now(), SUPERVISOR, Role.SUPERVISOR, "escalate",
        "kill9 test", "api");
    CommandRequest again = new CommandRequest("api:second", t.now(), SUPERVISOR, Role.SUPERVISOR, "escalate",
        "once more", "api");
    String id = TicketWorkflow.id(TicketHarness.CHAT, 40);
    t.client.newUntypedWorkflowStub(id).terminate("lost with the embedded server");
    t.skip(POLICY.firstResponse()); // the chain falls due while the process is down
    int before = t.activities.projections.size();

    io.temporal.client.WorkflowClient.start(t.client.newWorkflowStub(TicketWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TicketHarness.QUEUE).build())::run,
        onTheChain, List.of(JournalEntry.of(escalate), JournalEntry.of(again)));
    TicketState s = t.await(40, x -> x.lifecycle().level2ThreadId() != null
        && x.audit().stream().anyMatch(a -> a.event().equals("UNANSWERED")));
    assertThat(s.level()).isEqualTo(2);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("ESCALATED") && a.reason().startsWith("Level 2"))
        .singleElement().satisfies(a -> {
          assertThat(a.reason()).isEqualTo("Level 2: kill9 test");
          assertThat(a.actor()).isEqualTo("supervisor:900001");
        });
    assertThat(s.audit()).noneMatch(a -> a.reason().endsWith("after the escalation: Level 2"));
    assertThat(t.activities.level2Summaries).singleElement().asString().contains("kill9 test");
    assertThat(t.activities.projections.subList(before, t.activities.projections.size()))
        .flatExtracting(p -> p.head().seenEvents()).as("both shown, so the journal forgets them")
        .contains("api:first", "api:second");
  }

  /**
   * Group mode started without a staff forum (support.level2-chat-id the customers' own forum). Since
   * lifecycle rules 6 the workflow asks the activity anyway, which decides from the configuration in
   * force: a restart that added a staff forum gets the escalation its Level 2 topic there (audit 10,
   * F4), and with none still, the activity's own words, from the configuration in force, are the
   * audit's (LEVEL2_SUMMARY), not the ticket's start configuration's. Rules 5 decided in the workflow
   * (ReplayTest's escalation-without-staff-forum).
   */
  @Test
  void groupModeStartedWithoutAStaffForumAsksTheActivityWhichDecidesFromTheForumOfNow() {
    TicketPolicy oneForum = new TicketPolicy(POLICY.firstResponse(), POLICY.nextResponse(), POLICY.resolution(),
        POLICY.staleAfter(), POLICY.autoCloseResolved(), POLICY.firstResponseByPriority(), null, POLICY.supervisors(),
        TicketHarness.CHAT, POLICY.seniorGroup(), POLICY.seniorAgents(), POLICY.recurringTickets(),
        POLICY.recurringWithin(), POLICY.negativeSentimentThreshold(), false, false);
    t.open(30, "Payment failed", oneForum);
    t.customerSays(30, "card charged twice");
    t.command(30, AGENT, Role.AGENT, "escalate", "bank dispute, customer VIP");
    TicketState s = t.await(30, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(s.level()).isEqualTo(2);
    assertThat(t.activities.level2Topics).as("a staff forum now: the activity opened it there")
        .containsExactly("L2: Payment failed");
    assertThat(s.audit()).anyMatch(a -> a.event().equals("LEVEL2_TOPIC"))
        .noneMatch(a -> a.event().equals("LEVEL2_SUMMARY"));
    assertThat(t.activities.dms).noneMatch(d -> d.message().key().contains("level2-summary"));

    // no staff forum now either, and the chain's move to Level 2 the same way: the activity's words
    String declined = "no Level 2 topic: support.level2-chat-id is the customers' own forum, which every customer"
        + " reads; the summary was sent to the supervisors by DM instead";
    t.activities.noLevel2Forum = declined;
    t.open(31, "Nobody answers", oneForum.withSupervisors(List.of()));
    t.skip(java.time.Duration.ofMinutes(61));
    TicketState chained = t.await(31, x -> x.level() == 2
        && x.audit().stream().anyMatch(a -> a.event().equals("LEVEL2_SUMMARY")));
    assertThat(chained.lifecycle().level2ThreadId()).isNull();
    assertThat(chained.audit()).filteredOn(a -> a.event().startsWith("LEVEL2_")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo(declined));
    assertThat(t.activities.level2Runs).hasSize(2);
    assertThat(t.activities.staffNotes).noneMatch(m -> m.key().endsWith(":level2-summary"));

    // relay mode: the forum is the agents' own, the topic opens as before
    t.activities.noLevel2Forum = null;
    t.open(32, "Relay", oneForum.withRelay(true));
    t.command(32, AGENT, Role.AGENT, "escalate", "vendor");
    t.await(32, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(t.activities.level2Topics).containsExactly("L2: Payment failed", "L2: Relay");
  }

  @Test
  void aFollowUpsEscalationAsksForALevel2TopicOfItsOwnRun() {
    t.open(20, "Vendor bug", POLICY);
    t.command(20, AGENT, Role.AGENT, "escalate", "vendor side");
    t.await(20, x -> x.lifecycle().level2ThreadId() != null);
    TicketState closed = t.resolveAndClose(20);

    t.customerSays(20, "It is broken again");
    TicketState follow = t.await(20, x -> x.followUpOf() != null && x.opened());
    assertThat(follow.lifecycle().level2ThreadId()).isNull();
    t.command(20, AGENT, Role.AGENT, "escalate", "still the vendor");
    TicketState escalated = t.await(20, x -> x.lifecycle().level2ThreadId() != null);
    assertThat(t.activities.level2Runs)
        .containsExactly(closed.id(), closed.id() + ":after:" + closed.lifecycle().runId());
    assertThat(escalated.lifecycle().level2ThreadId()).isNotEqualTo(closed.lifecycle().level2ThreadId());
  }

  @Test
  void level2RepliesAreMirroredIntoTheAudit() {
    t.open(2, "Mirror", POLICY);
    t.command(2, AGENT, Role.AGENT, "escalate", "");
    t.send(2, new TicketEvent.Level2Reply(t.nextEventId(), t.now(), SVEN, Role.AGENT, "Looking at the DB now"));
    TicketState s = t.await(2, x -> x.audit().stream().anyMatch(a -> a.event().equals("L2_REPLY")));
    // the Level 2 topic opens beside the loop (rules 7): its entry may come before or after the reply's
    assertThat(s.audit()).filteredOn(a -> a.event().equals("L2_REPLY")).singleElement().satisfies(a -> {
      assertThat(a.reason()).isEqualTo("Looking at the DB now");
      assertThat(a.actor()).isEqualTo("agent:1004");
    });
  }

  @Test
  void aCommandInTheLevel2TopicActsOnTheTicketAndIsAnsweredThere() {
    t.open(7, "Vendor bug", POLICY);
    t.command(7, AGENT, Role.AGENT, "escalate", "vendor side");
    long thread = t.await(7, x -> x.lifecycle().level2ThreadId() != null).lifecycle().level2ThreadId();
    ForumTopic l2 = new ForumTopic(POLICY.level2ChatId(), thread);

    assertThat(t.command(7, AGENT, Role.AGENT, "status", "", l2).message()).contains("Status: ESCALATED");
    assertThat(t.refusal(7, CUSTOMER, Role.CUSTOMER, "hold", "", l2)).as("the same rules as in the ticket's topic")
        .isEqualTo("Only agents and supervisors can use /hold.");
    assertThat(t.refusal(7, AGENT, Role.AGENT, "escalate", "", l2)).contains("already at Level 2");
    t.routing.command = c -> RoutingActivities.CommandResult.done("Reassigned to Sven.", SVEN);
    t.command(7, AGENT, Role.AGENT, "reassign", "@sven", l2);
    CommandReply resolved = t.command(7, AGENT, Role.AGENT, "resolve", "", l2);
    assertThat(resolved.status()).isEqualTo(Status.RESOLVED);
    assertThat(resolved.message()).as("no 'write here': the Level 2 topic reopens nothing").doesNotContain("Write here");

    TicketState s = t.await(7, x -> x.status() == Status.RESOLVED && t.activities.posted.stream()
        .anyMatch(m -> m.key().contains(":resolved:")));
    assertThat(s.assignee()).isEqualTo(SVEN);
    assertThat(t.activities.postedWithKeyContaining(":reply:"))
        .as("the escalation's answer in the ticket's topic, then status, reassign and resolve in the Level 2 topic")
        .extracting(m -> m.chatId() + "/" + m.threadId())
        .containsExactly(TicketHarness.CHAT + "/7", l2.chatId() + "/" + thread, l2.chatId() + "/" + thread,
            l2.chatId() + "/" + thread);
    // what belongs to the ticket's topic stays there: the customer's word that it is resolved, the assignee's tag
    assertThat(t.activities.postedWithKeyContaining(":resolved:")).singleElement().satisfies(m -> {
      assertThat(m.chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(m.threadId()).isEqualTo(7L);
      assertThat(m.html()).startsWith("✅ Your request <b>Vendor bug</b> is resolved.");
    });
    assertThat(t.routing.locks).singleElement().satisfies(l -> {
      assertThat(l.chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(l.threadId()).isEqualTo(7L);
    });
  }

  /** Relay mode: the customer reads privately, in their own words; the topic's answer is for the agents. */
  @Test
  void inRelayModeTheCustomerReadsTheirOwnWordsAndTheAgentsThatTheCustomerWasTold() {
    t.open(9, "Bob: My parcel is lost", POLICY.withRelay(true));
    CommandReply resolved = t.command(9, AGENT, Role.AGENT, "resolve", "");
    assertThat(resolved.message()).isEqualTo("✅ Resolved. The customer has been told; if they write again, the ticket reopens.");
    t.await(9, x -> !t.activities.postedWithKeyContaining(":resolved:").isEmpty());
    assertThat(t.activities.postedWithKeyContaining(":resolved:")).singleElement().satisfies(m -> {
      assertThat(m.chatId()).as("the customer's private chat").isEqualTo(CUSTOMER.id());
      assertThat(m.html()).startsWith("✅ Your request <b>My parcel is lost</b> is resolved.");
    });
  }

  @Test
  void resolvedInTheTicketsTopicTheCustomerReadsTheAnswerThereAndNoSecondNotice() {
    t.open(8, "Plain", POLICY);
    CommandReply resolved = t.command(8, AGENT, Role.AGENT, "resolve", "");
    assertThat(resolved.message()).startsWith("✅ Resolved. Write here if you need anything else");
    t.await(8, x -> !t.activities.postedWithKeyContaining(":reply:").isEmpty());
    assertThat(t.activities.postedWithKeyContaining(":reply:")).singleElement()
        .satisfies(m -> assertThat(m.threadId()).isEqualTo(8L));
    assertThat(t.activities.postedWithKeyContaining(":resolved:")).isEmpty();
  }

  @Test
  void aCustomerWithFivePlusTicketsInSevenDaysGoesToTheSeniorGroup() {
    t.activities.otherTicketsByCustomer.put(CUSTOMER.id(), 4);
    t.open(3, "Again", POLICY);
    TicketState s = t.await(3, x -> x.queue().equals("senior"));
    assertThat(s.audit()).anyMatch(a -> a.event().equals("ESCALATED") && a.reason().startsWith("recurring customer: 5 tickets"));
    t.await(3, x -> !t.activities.dms.isEmpty());
    assertThat(t.activities.dms).singleElement().satisfies(d -> {
      assertThat(d.message().chatId()).isEqualTo(SVEN.id());
      assertThat(d.fallback().chatId()).isEqualTo(TicketHarness.CHAT);
      assertThat(d.fallback().html()).startsWith("@sven ");
    });
  }

  @Test
  void fourRecentTicketsAreNotRecurringYet() {
    t.activities.otherTicketsByCustomer.put(CUSTOMER.id(), 3);
    t.open(4, "Fourth", POLICY);
    assertThat(t.state(4).queue()).isEqualTo("general");
    assertThat(t.activities.dms).isEmpty();
  }

  @Test
  void aRefusedDmIsNotedInTheAudit() {
    t.open(5, "DM", POLICY);
    // stamped by the sender's clock, with nanoseconds; the DM was for Sam, a supervisor
    Instant at = t.now().plusNanos(123_456_789);
    t.send(5, new TicketEvent.DeliveryRefused("dm-refused:1", at, null, Role.SYSTEM, "DM to 900001",
        "Forbidden: bot was blocked by the user", 900001L));
    TicketState s = t.await(5, x -> x.audit().stream().anyMatch(a -> a.event().equals("NOTIFICATION_FALLBACK")));
    assertThat(s.audit().getLast().reason())
        .isEqualTo("DM to Sam refused (Forbidden: bot was blocked by the user); posted in the topic instead");
    assertThat(s.audit().getLast().at()).as("milliseconds, like every other entry").isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
    // an event from before "to" existed still reads as it did
    t.send(5, new TicketEvent.DeliveryRefused("dm-refused:2", t.now(), null, Role.SYSTEM, "DM to 1001", "Forbidden", null));
    assertThat(t.await(5, x -> x.audit().getLast().reason().startsWith("DM to 1001 refused")).audit()).isNotEmpty();
    // group mode: the note went where customers do not read, and the audit says where
    t.send(5, new TicketEvent.DeliveryRefused("dm-refused:3", t.now(), null, Role.SYSTEM, "DM to 900001", "Forbidden",
        900001L, "posted in the staff forum instead"));
    assertThat(t.await(5, x -> x.audit().getLast().reason().endsWith("staff forum instead")).audit().getLast().reason())
        .isEqualTo("DM to Sam refused (Forbidden); posted in the staff forum instead");
  }

  /**
   * No assignee and no supervisors: the 80 % warning has nobody to go to privately. It was posted
   * in the topic, which the customer reads in group mode; the activity now sends it where staff
   * read (or nowhere), and the audit says where.
   */
  @Test
  void aNoteWithNobodyToGoToPrivatelyIsNotPostedInTheTopic() {
    t.open(8, "Nobody assigned", TicketPolicy.defaults());
    t.skip(java.time.Duration.ofMinutes(25));
    TicketState s = t.await(8, x -> x.audit().stream().anyMatch(a -> a.event().equals("STAFF_NOTE")));

    assertThat(t.activities.staffNotes).first().satisfies(n -> {
      assertThat(n.key()).endsWith(":first-response-warning");
      assertThat(n.html()).contains("first response due");
      assertThat(n.kind()).as("told by the workflow, for the sender's late warnings").isEqualTo(MessageKind.FIRST_RESPONSE_WARNING);
    });
    assertThat(t.activities.posted).noneMatch(m -> m.key().contains("first-response-warning"));
    assertThat(s.audit()).filteredOn(a -> a.event().equals("STAFF_NOTE")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("the first-response-warning note had nobody to go to"
            + " (no assignee, no supervisors); posted in the staff forum instead"));

    // the breach addresses the supervisors, and there are none: "supervisors, please take a look"
    t.skip(java.time.Duration.ofMinutes(6));
    TicketState breached = t.await(8, x -> x.audit().stream().filter(a -> a.event().equals("STAFF_NOTE")).count() == 2);
    assertThat(breached.status()).isEqualTo(Status.ESCALATED);
    assertThat(t.activities.posted).noneMatch(m -> m.key().contains("first-response-breach"));
    assertThat(t.activities.staffNotes).extracting(OutboundMessage::key)
        .anyMatch(k -> k.endsWith(":first-response-breach"));
    assertThat(breached.audit().getLast().reason())
        .isEqualTo("the first-response-breach note had nobody to go to (no supervisors); posted in the staff forum instead");
  }

  @Test
  void upsetWordsWithNobodyToTellAreAStaffNoteUnderLifecycleRules3AndATopicPostBefore() {
    for (int rules : new int[] {2, 3}) {
      Ticket ticket = new Ticket(TicketState.unopened(TicketHarness.CHAT, 9, TicketPolicy.defaults()));
      ticket.lifecycle = rules;
      Transitions.apply(ticket, new TicketEvent.TopicOpened("u1", Instant.EPOCH, CUSTOMER, Role.CUSTOMER, "Angry"));
      ticket.drainEffects();
      Escalations.sentiment(ticket, -0.8, Instant.EPOCH, "first message");
      assertThat(ticket.drainEffects()).singleElement()
          .isInstanceOf(rules == 3 ? Effect.StaffNote.class : Effect.Post.class); // older runs replay as they ran
    }
  }

  @Test
  void negativeSentimentRaisesPriorityAndTellsTheAssigneeOncePerMessage() {
    Ticket ticket = new Ticket(TicketState.unopened(TicketHarness.CHAT, 6, POLICY));
    Transitions.apply(ticket, new TicketEvent.TopicOpened("u1", Instant.EPOCH, CUSTOMER, Role.CUSTOMER, "Angry"));
    ticket.assignee = AGENT;
    ticket.drainEffects();

    Escalations.sentiment(ticket, -0.8, Instant.EPOCH, "first message");
    assertThat(ticket.priority).isEqualTo(Priority.HIGH);
    assertThat(ticket.drainEffects()).singleElement().isInstanceOfSatisfying(Effect.DirectMessage.class,
        dm -> assertThat(dm.message().chatId()).isEqualTo(AGENT.id()));

    Escalations.sentiment(ticket, -0.8, Instant.EPOCH, "first message");
    assertThat(ticket.priority).as("same cause fires once").isEqualTo(Priority.HIGH);

    Escalations.sentiment(ticket, -0.9, Instant.EPOCH, "u9");
    assertThat(ticket.priority).isEqualTo(Priority.URGENT);
    Escalations.sentiment(ticket, 0.4, Instant.EPOCH, "u10");
    assertThat(ticket.priority).isEqualTo(Priority.URGENT);
    assertThat(ticket.snapshot().audit()).filteredOn(a -> a.event().equals("PRIORITY")).hasSize(2)
        .allMatch(a -> a.reason().contains("negative sentiment"));
  }
}
