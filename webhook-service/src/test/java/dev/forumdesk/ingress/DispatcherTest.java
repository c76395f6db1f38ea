package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.BotIdentity;
import dev.forumdesk.telegram.UpdateJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's passes over the inbox while Temporal is down and a backlog waits, and what it marks done. */
class DispatcherTest {
  @TempDir Path dir;
  Database db;
  WorkflowServiceStubs stubs;

  /** A desk with one agent, Alice. */
  private static final ForumdeskConfig ALICES_DESK = ConfigLoader.fromYaml("""
      support: {chat-id: -1001}
      agents:
        - {id: 1001, name: Alice, username: alice}
      """);
  private static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");

  @AfterEach
  void close() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aBacklogWaitingForItsRetriesIsNotReadAgainForEveryStoredUpdate() throws Exception {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    // an outage's backlog: more rows than a pass reads (1,000), every one waiting for its retry
    for (long id = 1; id <= 1_100; id++) {
      inbox.append(id, Optional.of("ticket-1-" + id), "message", "{}");
      inbox.retryLater(id, Duration.ofHours(1), "UNAVAILABLE");
    }
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {chat-id: -1001}");
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + closedPort).build());
    TicketGateway gateway = new TicketGateway(WorkflowClient.newInstance(stubs), config, "forumdesk", false);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    long t0 = System.nanoTime();
    try (Dispatcher dispatcher = new Dispatcher(inbox, classifier, gateway, (c, o) -> {}, metrics, 8, Relay.OFF).start()) {
      // Telegram keeps posting: 100 stored updates, each waking the dispatcher, over about 1 s
      for (long id = 1_101; id <= 1_200; id++) {
        inbox.append(id, Optional.of("ticket-1-" + id), "message", "{}");
        dispatcher.wake();
        Thread.sleep(10);
      }
    }

    long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
    double passes = metrics.counter("forumdesk_inbox_dispatch_passes_total").count();
    // a pass per wake was 100 reads of 1,000 rows; paced, at most one per 50 ms (plus the first)
    assertThat(passes).as("passes in %d ms", elapsedMillis)
        .isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(elapsedMillis / 50.0 + 2).isLessThan(80);
    assertThat(inbox.backlog()).isEqualTo(1_200); // nothing lost, nothing delivered
  }

  @Test
  void aCommandStoredBeforeTheBotKnewItsNameIsNotRunWhenItTurnsOutToBeAnotherBots() throws Exception {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    ForumdeskConfig config = ALICES_DESK;
    BotIdentity bot = BotIdentity.unknown();
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty(), bot);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Ingress ingress = new Ingress(inbox, classifier, metrics, () -> {});
    UpdateJson.Sender alice = ALICE;
    // getMe has not answered yet: at ingress any @suffix is ours
    assertThat(ingress.accept(UpdateJson.text(1, -1001, 42, 43, alice, "/resume@SomeOtherBot", 1)))
        .isEqualTo(Ingress.Result.STORED);
    bot.learn("ForumdeskBot");

    // Temporal is unreachable: running the stored command would fail and keep the row pending
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + closedPort).build());
    TicketGateway gateway = new TicketGateway(WorkflowClient.newInstance(stubs), config, "forumdesk", false);
    try (Dispatcher dispatcher = new Dispatcher(inbox, classifier, gateway, (c, o) -> {}, metrics, 2, Relay.OFF).start()) {
      dispatcher.wake();
      // classified again at dispatch, with the name now known: ignored, so done without a call
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (inbox.backlog() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(inbox.backlog()).isZero();
    }
    assertThat(metrics.counter("forumdesk_inbox_retries_total").count()).isZero();
    // and from now on such a command is not even queued for a ticket
    assertThat(ingress.accept(UpdateJson.text(2, -1001, 42, 44, alice, "/hold@SomeOtherBot", 1)))
        .isEqualTo(Ingress.Result.IGNORED);
  }

  /**
   * A refused command's effect is its answer: the row is settled, so a restart of the embedded
   * Temporal server ({@link Inbox#requeueUnapplied}) does not run it again against a ticket that
   * changed meanwhile. Refused by the validator or by the handler, or with no ticket to act on;
   * an accepted command waits for its ticket's projection as before.
   */
  @Test
  void aRefusedCommandIsSettledAndNotQueuedAgainByARestart() throws Exception {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    ForumdeskConfig config = ALICES_DESK;
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Ingress ingress = new Ingress(inbox, classifier, metrics, () -> {});
    UpdateJson.Sender alice = ALICE;
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.newWorker("forumdesk").registerWorkflowImplementationTypes(Refusing.class);
      env.start();
      WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(TicketWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("ticket--1001-42").setTaskQueue("forumdesk").build())::run, null, null);
      ingress.accept(UpdateJson.text(1, -1001, 42, 43, alice, "/hold no", 1)); // the validator refuses
      ingress.accept(UpdateJson.text(2, -1001, 42, 44, alice, "/assign @alice", 1)); // the handler refuses
      ingress.accept(UpdateJson.text(3, -1001, 42, 45, alice, "/resume", 1)); // accepted
      ingress.accept(UpdateJson.text(4, -1001, 77, 78, alice, "/hold", 1)); // no ticket in topic 77
      java.util.List<String> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
      TicketGateway gateway = new TicketGateway(env.getWorkflowClient(), config, "forumdesk", false);
      try (Dispatcher dispatcher = new Dispatcher(inbox, classifier, gateway,
          (c, o) -> answered.add(c.request().eventId() + " " + o.getClass().getSimpleName()), metrics, 2,
          Relay.OFF).start()) {
        dispatcher.wake();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (answered.size() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      assertThat(answered).containsExactlyInAnyOrder("u1 Refused", "u2 Refused", "u3 Accepted", "u4 NoTicket");
    }
    assertThat(status(1)).isEqualTo(Inbox.APPLIED);
    assertThat(status(2)).isEqualTo(Inbox.APPLIED);
    assertThat(status(4)).isEqualTo(Inbox.APPLIED);
    assertThat(status(3)).as("applied once the ticket's projection shows it").isEqualTo(Inbox.DELIVERED);
    assertThat(inbox.requeueUnapplied()).as("the restart delivers only the accepted command again").isEqualTo(1);
  }

  /**
   * A bot command's reason over the API's 1,000 characters is refused as the API refuses it, and
   * the ticket never gets it: Telegram delivers a command of 4,096, whose reason went into the audit
   * and into a notice Telegram then refused as too long (audit 16, F1). A reason of 1,000 goes on.
   */
  @Test
  void aReasonOverTheApisLimitIsRefusedAsTheApiRefusesIt() throws Exception {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    ForumdeskConfig config = ALICES_DESK;
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Ingress ingress = new Ingress(inbox, classifier, metrics, () -> {});
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.newWorker("forumdesk").registerWorkflowImplementationTypes(Refusing.class);
      env.start();
      WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(TicketWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("ticket--1001-42").setTaskQueue("forumdesk").build())::run, null, null);
      ingress.accept(UpdateJson.text(1, -1001, 42, 43, ALICE, "/escalate " + "r".repeat(4_000), 1));
      ingress.accept(UpdateJson.text(2, -1001, 42, 44, ALICE, "/escalate " + "r".repeat(1_000), 1));
      ingress.accept(UpdateJson.text(3, -1001, 42, 45, ALICE, "/resolve " + "r".repeat(2_000), 1)); // its words are ignored
      java.util.Map<String, String> answered = new java.util.concurrent.ConcurrentHashMap<>();
      TicketGateway gateway = new TicketGateway(env.getWorkflowClient(), config, "forumdesk", false);
      try (Dispatcher dispatcher = new Dispatcher(inbox, classifier, gateway,
          (c, o) -> answered.put(c.request().eventId(), o instanceof TicketGateway.CommandOutcome.Refused r
              ? r.kind() + " " + r.reason() : o.getClass().getSimpleName()), metrics, 2, Relay.OFF).start()) {
        dispatcher.wake();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (answered.size() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      assertThat(answered).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
          "u1", "INVALID The reason is 4000 characters; at most 1000 (it goes into the topic and the audit).",
          "u2", "Accepted", "u3", "Accepted"));
      assertThat(env.getWorkflowClient().fetchHistory("ticket--1001-42").getHistory().getEventsList())
          .as("the ticket got the two it accepted, not the long one")
          .filteredOn(e -> e.hasWorkflowExecutionUpdateAcceptedEventAttributes()).hasSize(2);
    }
    assertThat(status(1)).isEqualTo(Inbox.APPLIED);
  }

  /**
   * An /away answered before a crash kept its row from being settled: its answer in the outbox is
   * the record that it ran, so the dispatcher settles the row without changing the shift again (a
   * supervisor may have put the agent back meanwhile) or answering twice.
   */
  @Test
  void anUpdateAnsweredBeforeACrashIsSettledWithoutRunningAgain() throws Exception {
    Desk desk = desk();
    Inbox inbox = desk.inbox();
    CommandAnswers commandAnswers = desk.commandAnswers();
    desk.ingress().accept(UpdateJson.privateText(7, 1001, ALICE, "/away", 1));
    desk.ingress().accept(UpdateJson.privateText(8, 1001, ALICE, "/away", 1));
    // what the crash left of update 7: its answer in the outbox, its row pending
    commandAnswers.answer(new Classified.Answer(1001, null, "private:u7", "You are away."));

    java.util.List<String> shiftsRun = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Dispatcher dispatcher = new Dispatcher(inbox, desk.classifier(), null, commandAnswers, commandAnswers::answer,
        s -> {
          shiftsRun.add(s.key());
          return "You are away.";
        }, commandAnswers::answered, c -> Optional.empty(), desk.metrics(), 2, Relay.OFF).start()) {
      drain(dispatcher, inbox);
    }
    assertThat(shiftsRun).as("update 8 runs, update 7 ran before the crash").containsExactly("private:u8");
    assertThat(status(7)).isEqualTo(Inbox.APPLIED);
    assertThat(status(8)).isEqualTo(Inbox.APPLIED);
    assertThat(desk.outbox().status("private:u8")).contains("PENDING");
  }

  /**
   * A customer's /status in their topic (group mode) is answered from the read model, the ticket's
   * workflow never asked (no gateway here: Temporal is as good as down), with the customer's card only,
   * once although the update comes again after a crash; their over-long /hold is told who may use it,
   * not how long a reason may be (who may comes first, as in the ticket's rules).
   */
  @Test
  void aCustomersStatusIsAnsweredFromTheReadModelAndTheirOverLongHoldIsRefusedForWhoTheyAre() throws Exception {
    Desk desk = desk();
    Inbox inbox = desk.inbox();
    CommandAnswers commandAnswers = desk.commandAnswers();
    Ingress ingress = desk.ingress();
    UpdateJson.Sender bob = new UpdateJson.Sender(2002, "Bob", "bob", "en");
    ingress.accept(UpdateJson.text(1, -1001, 42, 43, bob, "/status", 1));
    ingress.accept(UpdateJson.text(2, -1001, 42, 44, bob, "/hold " + "r".repeat(4_000), 1));
    ingress.accept(UpdateJson.text(3, -1001, 77, 78, bob, "/status@ForumdeskBot", 1)); // topic 77: no ticket
    // the read model: held and escalated, with what the customer must not read (priority, level, queue)
    com.fasterxml.jackson.databind.node.ObjectNode held = dev.forumdesk.json.Json.mapper().valueToTree(
        TicketState.unopened(-1001, 42, ALICES_DESK.ticketPolicy(false)));
    held.put("opened", true).put("title", "Refund <now>").put("status", "ON_HOLD").put("priority", "URGENT")
        .put("level", 2).put("queue", "billing");
    held.putObject("assignee").put("id", 1001).put("name", "Alice & co").put("username", "alice");
    TicketState ticket = dev.forumdesk.json.Json.read(held.toString(), TicketState.class);
    CustomerStatus customerStatus = new CustomerStatus(
        id -> id.equals(ticket.id()) ? Optional.of(ticket) : Optional.empty());
    java.util.List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    // a restored ticket's journal does not have them: the workflow would answer them as well
    Dispatcher unstarted = new Dispatcher(inbox, desk.classifier(), null, commandAnswers, commandAnswers::answer,
        s -> "", commandAnswers::answered, customerStatus::answer, desk.metrics(), 1, Relay.OFF);
    java.util.List<InboxRow> rows = inbox.unappliedFor(ticket.id(), java.time.Instant.now().plusSeconds(1));
    assertThat(rows).extracting(InboxRow::updateId).containsExactly(1L, 2L);
    assertThat(rows).allSatisfy(r -> assertThat(unstarted.journalEntry(r, ticket.id())).isEmpty());
    unstarted.close();
    try (Dispatcher dispatcher = new Dispatcher(inbox, desk.classifier(), null, (c, o) -> {
          refused.add(c.request().eventId() + " " + o);
          commandAnswers.accept(c, o);
        }, commandAnswers::answer, s -> "", commandAnswers::answered, customerStatus::answer, desk.metrics(), 2,
        Relay.OFF).start()) {
      drain(dispatcher, inbox);
    }
    assertThat(text("ticket--1001-42:answer:u1")).isEqualTo(
        "<b>Refund &lt;now&gt;</b>\nStatus: on hold\nAssignee: Alice &amp; co");
    assertThat(text("ticket--1001-77:answer:u3"))
        .isEqualTo("This topic has no open ticket. A message here (not a command) opens one.");
    assertThat(refused).containsExactly(
        "u2 Refused[reason=Only agents and supervisors can use /hold., kind=FORBIDDEN]");
    assertThat(text("ticket--1001-42:answer:u2")).isEqualTo("🚫 Only agents and supervisors can use /hold.");
    for (long u = 1; u <= 3; u++) {
      assertThat(status(u)).isEqualTo(Inbox.APPLIED);
    }
    // the same update again (a crash before its row was marked): found answered, not answered twice
    db.inboxJdbi().useHandle(h -> h.execute("update inbox set status = 'PENDING' where update_id = 1"));
    try (Dispatcher dispatcher = new Dispatcher(inbox, desk.classifier(), null, commandAnswers, commandAnswers::answer,
        s -> "", commandAnswers::answered, c -> {
          throw new AssertionError("asked again: " + c.request().eventId());
        }, desk.metrics(), 2, Relay.OFF).start()) {
      drain(dispatcher, inbox);
    }
    assertThat(status(1)).isEqualTo(Inbox.APPLIED);
    int posted = db.jdbi().withHandle(h -> h.createQuery("select count(*) from outbox where chat_id = -1001")
        .mapTo(Integer.class).one());
    assertThat(posted).as("three answers, the first not twice").isEqualTo(3);
  }

  /**
   * An agent's over-long /assign is told that only a supervisor can assign, as a short one is, not
   * how long a username may be: who may comes first, as for a customer's over-long /hold. A
   * supervisor's over-long /assign is still refused for its length; neither reaches the ticket (no
   * gateway here) nor a restored ticket's journal.
   */
  @Test
  void anAgentsOverLongAssignIsRefusedForWhoTheyAreBeforeItsLength() throws Exception {
    Desk desk = desk(ConfigLoader.fromYaml("""
        support: {chat-id: -1001, supervisors: [900001]}
        agents:
          - {id: 1001, name: Alice, username: alice}
        """));
    Inbox inbox = desk.inbox();
    CommandAnswers commandAnswers = desk.commandAnswers();
    UpdateJson.Sender sam = new UpdateJson.Sender(900001, "Sam", "sam", "en");
    desk.ingress().accept(UpdateJson.text(1, -1001, 42, 43, ALICE, "/assign @" + "a".repeat(4_000), 1));
    desk.ingress().accept(UpdateJson.text(2, -1001, 42, 44, sam, "/assign @" + "a".repeat(4_000), 1));
    Dispatcher unstarted = new Dispatcher(inbox, desk.classifier(), null, commandAnswers, commandAnswers::answer,
        s -> "", commandAnswers::answered, c -> Optional.empty(), desk.metrics(), 1, Relay.OFF);
    java.util.List<InboxRow> rows = inbox.unappliedFor("ticket--1001-42", java.time.Instant.now().plusSeconds(1));
    assertThat(rows).extracting(InboxRow::updateId).containsExactly(1L, 2L);
    assertThat(rows).allSatisfy(r -> assertThat(unstarted.journalEntry(r, "ticket--1001-42")).isEmpty());
    unstarted.close();
    java.util.List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Dispatcher dispatcher = new Dispatcher(inbox, desk.classifier(), null, (c, o) -> {
          refused.add(c.request().eventId() + " " + o);
          commandAnswers.accept(c, o);
        }, commandAnswers::answer, s -> "", commandAnswers::answered, c -> Optional.empty(), desk.metrics(), 2,
        Relay.OFF).start()) {
      drain(dispatcher, inbox);
    }
    assertThat(refused).containsExactlyInAnyOrder(
        "u1 Refused[reason=Only a supervisor can /assign; the assignee can /reassign., kind=FORBIDDEN]",
        "u2 Refused[reason=The username is 4001 characters; at most 1000 (it goes into the topic and the audit)., "
            + "kind=INVALID]");
    assertThat(text("ticket--1001-42:answer:u1"))
        .isEqualTo("🚫 Only a supervisor can /assign; the assignee can /reassign.");
    assertThat(status(1)).isEqualTo(Inbox.APPLIED);
    assertThat(status(2)).isEqualTo(Inbox.APPLIED);
  }

  /** Alice's desk over an embedded database: its inbox, outbox and what answers commands. */
  private record Desk(Inbox inbox, Outbox outbox, CommandAnswers commandAnswers, UpdateClassifier classifier,
      SimpleMeterRegistry metrics, Ingress ingress) {}

  private Desk desk() {
    return desk(ALICES_DESK);
  }

  private Desk desk(ForumdeskConfig config) {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    Outbox outbox = new Outbox(db);
    var places = new dev.forumdesk.outbox.StaffPlaces(() -> config);
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    return new Desk(inbox, outbox, new CommandAnswers(outbox, new dev.forumdesk.outbox.PrivateNotes(outbox, places),
        places, new dev.forumdesk.store.TicketStore(db)::topicLink), classifier, metrics,
        new Ingress(inbox, classifier, metrics, () -> {}));
  }

  /** Wakes {@code dispatcher} and waits, 10 s at most, until the inbox has nothing pending. */
  private static void drain(Dispatcher dispatcher, Inbox inbox) throws InterruptedException {
    dispatcher.wake();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (inbox.backlog() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** The text of the message queued under {@code key}. */
  private String text(String key) {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox where idem_key = :key")
            .bind("key", key).mapTo(String.class).findOne())
        .map(p -> dev.forumdesk.json.Json.read(p, com.fasterxml.jackson.databind.JsonNode.class).path("text").asText())
        .orElse(null);
  }

  private String status(long updateId) {
    return db.inboxJdbi().withHandle(h -> h.createQuery("select status from inbox where update_id = :id")
        .bind("id", updateId).mapTo(String.class).one());
  }

  /** A ticket that refuses /hold in its validator and /assign in its handler, and accepts the rest. */
  public static class Refusing implements TicketWorkflow {
    @Override
    public void run(TicketState state, java.util.List<dev.forumdesk.ticket.JournalEntry> journal) {
      Workflow.await(() -> false);
    }

    @Override
    public void event(TicketEvent event) {}

    @Override
    public void capacityFreed() {}

    @Override
    public CommandReply command(CommandRequest request) {
      return request.name().equals("assign")
          ? CommandReply.refusal("Alice has it already.", Status.NEW, RefusalKind.CONFLICT)
          : new CommandReply("Done.", Status.NEW);
    }

    @Override
    public void validateCommand(CommandRequest request) {
      if (request.name().equals("hold")) {
        throw RefusalKind.FORBIDDEN.exception("Only the assignee can hold it.");
      }
    }

    @Override
    public TicketState state() {
      return null;
    }
  }
}
