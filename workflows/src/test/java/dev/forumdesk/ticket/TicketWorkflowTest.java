package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TicketWorkflowTest {
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void topicCreatedOpensANewTicketInTheGeneralQueueAndAcknowledgesOnce() {
    t.send(42, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order 7"));

    TicketState s = t.await(42, TicketState::opened);
    assertThat(s.id()).isEqualTo("ticket--1001234567890-42");
    assertThat(s.status()).isEqualTo(Status.NEW);
    assertThat(s.queue()).isEqualTo("general");
    assertThat(s.title()).isEqualTo("Refund for order 7");
    assertThat(s.customer()).isEqualTo(CUSTOMER);
    assertThat(s.createdAt()).isNotNull();
    assertThat(s.sla().firstResponseDue()).isEqualTo(s.createdAt().plus(TicketPolicy.defaults().firstResponse()));
    assertThat(s.audit()).extracting(AuditEntry::event).containsExactly("OPENED");
    t.await(42, x -> !t.activities.postedWithKeySuffix(":ack").isEmpty());
    assertThat(t.activities.postedWithKeySuffix(":ack")).hasSize(1);
    assertThat(t.activities.posted.getFirst().threadId()).isEqualTo(42L);
  }

  /**
   * The customer reads the topic's number: the internal id's "ticket--1001234567890-42" looks like a
   * typo to them, and #42 is as unique within the support chat.
   */
  @Test
  void theAcknowledgementNamesTheTicketByItsTopicsNumber() {
    t.send(46, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order <7>"));

    t.await(46, x -> !t.activities.postedWithKeySuffix(":ack").isEmpty());
    assertThat(t.activities.postedWithKeySuffix(":ack").getFirst().html()).isEqualTo(
        "Thanks, we got your request <b>Refund for order &lt;7&gt;</b>. Ticket #46 is in the queue; an agent will"
            + " answer here.");
  }

  /**
   * A local activity without a schedule-to-close timeout and with unlimited attempts is not retried
   * at all by the Java SDK (sdk-java#1727): one busy connection pool failed the whole ticket.
   */
  @Test
  void aProjectionThatFailsForAWhileIsRetriedAndTheTicketLivesOn() {
    t.activities.projectionsToFail.set(3);
    t.send(44, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order 7"));

    t.await(44, x -> !t.activities.projected.isEmpty());
    assertThat(t.activities.calls).filteredOn("project"::equals).hasSizeGreaterThanOrEqualTo(4);
    t.customerSays(44, "still there?");
    TicketState s = t.await(44, x -> t.activities.projected.getLast().version() == x.version()
        && x.seenEvents().size() == 2);
    assertThat(s.status()).isEqualTo(Status.NEW);
  }

  @Test
  void aNewTopicIsProjectedFirstWithoutLookingForAClosedPredecessor() {
    t.send(45, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund"));

    t.await(45, x -> !t.activities.postedWithKeySuffix(":ack").isEmpty());
    // its acknowledgement queued first, so a kill -9 cannot leave it visible without one (rules 9)
    assertThat(t.activities.calls).as("visible in the general queue before any lookup or message")
        .startsWith("post", "project").doesNotContain("closedPredecessor");
    assertThat(t.activities.projected.getFirst().queue()).isEqualTo("general");
    assertThat(t.activities.projected.getFirst().status()).isEqualTo(Status.NEW);
  }

  @Test
  void projectionsAfterTheFirstCarryOnlyWhatChangedAndTheReadModelStillGetsTheWholeTicket() {
    t.open(48, "Refund", TicketPolicy.defaults());
    t.customerSays(48, "charged twice");
    t.agentSays(48, "on it");
    TicketState s = t.await(48, x -> x.firstResponseAt() != null
        && t.activities.projected.getLast().version() == x.version());

    assertThat(t.activities.projected.getLast()).as("merged like the read model does").isEqualTo(t.state(48));
    assertThat(t.activities.projections.getFirst().full()).isTrue();
    assertThat(t.activities.projections.subList(1, t.activities.projections.size())).allSatisfy(p -> {
      assertThat(p.full()).isFalse();
      assertThat(p.head().policy()).isNull();
      assertThat(p.head().audit().size()).isLessThan(s.audit().size());
    });
  }

  @Test
  void aLongConversationRecordsTheSameHistoryPerMessageLateAsEarly() {
    int messages = 120;
    t.open(47, "Chatty", TicketPolicy.defaults());
    for (int i = 0; i < messages; i++) {
      t.customerSays(47, "message " + i);
      int seen = i + 2;
      t.await(47, x -> x.seenEvents().size() == seen && t.activities.projected.getLast().version() == x.version());
    }
    var markers = t.client.fetchHistory(TicketWorkflow.id(TicketHarness.CHAT, 47)).getEvents().stream()
        .filter(e -> e.hasMarkerRecordedEventAttributes()
            && e.getMarkerRecordedEventAttributes().getDetailsMap().containsKey("input")
            && e.getMarkerRecordedEventAttributes().getDetailsMap().get("type").toString().contains("ProjectChanges"))
        .mapToInt(e -> e.getSerializedSize())
        .toArray();
    assertThat(markers.length).isGreaterThanOrEqualTo(messages);
    int half = markers.length / 2;
    double early = java.util.Arrays.stream(markers, 1, half).average().orElseThrow();
    double late = java.util.Arrays.stream(markers, half, markers.length).average().orElseThrow();
    // whole snapshots grew with every seen event id: the late half was 1.5 x the early one
    assertThat(late).as("bytes per projection, late vs early (%.0f vs %.0f)", late, early).isLessThan(early * 1.1);
  }

  /** The SDK's executor of local activities, which logs their failures. */
  @org.junit.jupiter.api.extension.RegisterExtension
  final dev.forumdesk.log.LogCapture localActivities =
      dev.forumdesk.log.LogCapture.of("io.temporal.internal.activity").atLevel(ch.qos.logback.classic.Level.INFO);

  /**
   * The gap is an expected turn (the workflow sends the whole snapshot): no WARN with a stack trace
   * from the SDK, which logged "Local activity failure … ProjectionGap" in 50 lines (audit 16 F5).
   */
  @Test
  void aReadModelThatLostTheTicketGetsTheWholeSnapshotAgain() {
    t.open(49, "Refund", TicketPolicy.defaults());
    t.await(49, x -> !t.activities.projected.isEmpty());
    t.activities.projected.clear(); // as if the row were gone: the next delta has nothing to follow

    t.customerSays(49, "still waiting");
    TicketState s = t.await(49, x -> x.seenEvents().size() > 1 && !t.activities.projected.isEmpty()
        && t.activities.projected.getLast().version() == x.version());
    assertThat(t.activities.projected.getLast()).isEqualTo(s);
    assertThat(t.activities.projections.getLast().full()).as("resent whole after the gap").isTrue();
    assertThat(localActivities.warnings()).as("the SDK's warnings").isEmpty();
  }

  @Test
  void aMessageInAnUnknownTopicLooksForAClosedPredecessorFirst() {
    t.send(46, new TicketEvent.MessagePosted("u7", t.now(), CUSTOMER, Role.CUSTOMER, 47, "Still broken"));

    t.await(46, TicketState::opened);
    assertThat(t.activities.calls).startsWith("closedPredecessor", "post", "project");
  }

  @Test
  void firstMessageOfAnUnknownTopicOpensTheTicketWithThatMessage() {
    t.send(43, new TicketEvent.MessagePosted("u7", t.now(), CUSTOMER, Role.CUSTOMER, 44, "My invoice is wrong"));

    TicketState s = t.await(43, TicketState::opened);
    assertThat(s.title()).isEqualTo("My invoice is wrong");
    assertThat(s.firstMessage()).isEqualTo("My invoice is wrong");
    assertThat(s.status()).isEqualTo(Status.NEW);
  }

  @Test
  void agentReplyMovesToInProgressAndRecordsFirstResponseButCustomerMessageDoesNot() {
    t.send(50, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Help"));
    t.send(50, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, 51, "It broke"));
    TicketState afterCustomer = t.await(50, s -> "It broke".equals(s.firstMessage()));
    assertThat(afterCustomer.status()).isEqualTo(Status.NEW);
    assertThat(afterCustomer.firstResponseAt()).isNull();

    t.send(50, new TicketEvent.MessagePosted("u3", t.now(), AGENT, Role.AGENT, 52, "Looking into it"));
    TicketState s = t.await(50, x -> x.status() == Status.IN_PROGRESS);
    assertThat(s.firstResponseAt()).isNotNull();
    assertThat(s.audit()).extracting(AuditEntry::actor).contains("agent:1001");
  }

  @Test
  void theSameEventDeliveredTwiceHasOneEffect() {
    var opened = new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Twice");
    var reply = new TicketEvent.MessagePosted("u2", t.now(), AGENT, Role.AGENT, 61, "Hi");
    t.send(60, opened);
    t.send(60, opened);
    t.send(60, reply);
    t.send(60, reply);
    t.send(60, new TicketEvent.MessagePosted("u3", t.now(), CUSTOMER, Role.CUSTOMER, 62, "marker"));

    TicketState s = t.await(60, x -> x.seenEvents().contains("u3"));
    assertThat(s.audit()).extracting(AuditEntry::event).containsExactly("OPENED", "FIRST_RESPONSE");
    assertThat(s.seenEvents()).containsExactly("u1", "u2", "u3");
    // the query can answer before the post activity ran: wait for it, then count
    t.await(60, x -> !t.activities.postedWithKeySuffix(":ack").isEmpty());
    assertThat(t.activities.postedWithKeySuffix(":ack")).hasSize(1);
  }
}
