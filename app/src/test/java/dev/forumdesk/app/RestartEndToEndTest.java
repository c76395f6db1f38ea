package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A restart of `./forumdesk run` on the same data dir: the embedded Temporal server starts empty,
 * open tickets are restored from the read model and updates whose effect it does not show are
 * delivered again. A refused command has had its effect: the answer in the topic.
 */
class RestartEndToEndTest extends AppOnADataDir {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender BORIS = new UpdateJson.Sender(1002, "Boris", "boris", "en");
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false   # the supervisor assigns
      """;
  static final String ID = "ticket-" + CHAT + "-300";
  static final String ACTIONS = "/api/tickets/" + ID + "/actions";
  static final long HOLD = 5101;
  static final String REFUSAL = "🚫 Only the assignee (Alice) or a supervisor can put this ticket on hold.";
  static final Duration FIRST_RESPONSE = Duration.ofSeconds(6);
  /** First response due {@link #FIRST_RESPONSE} after the opening, the chain's move to Level 2 as long after the breach. */
  static final String CHAIN_YAML = YAML + """
      sla:
        first-response: %s
        priorities: {HIGH: {first-response: %s}, URGENT: {first-response: %s}}
      """.formatted(FIRST_RESPONSE, FIRST_RESPONSE, FIRST_RESPONSE);

  /** A first-response time long enough to answer and stop before it, on a loaded machine. */
  static final Duration REPLY_IN = Duration.ofSeconds(15);
  static final String REPLY_YAML = YAML + """
      sla:
        first-response: %s
        priorities: {HIGH: {first-response: %s}, URGENT: {first-response: %s}}
      """.formatted(REPLY_IN, REPLY_IN, REPLY_IN);
  static final long REPLY = 5102;

  /**
   * The audit's run: Boris's /hold is refused (Alice has the ticket), then the supervisor gives
   * the ticket to Boris. After a restart the stale /hold was applied: ON_HOLD, SLA paused, hours
   * after the topic was told it was refused.
   */
  @Test
  void aCommandRefusedBeforeARestartIsNotRunAgainAfterIt() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    String status = staleHoldRefused(f, () -> {});
    List<String> topic = new ArrayList<>(f.telegram.textsIn(300));

    f.close();
    f = new AppFixture(dir, YAML, Map.of());
    topic.addAll(f.telegram.textsIn(300)); // the restarted app has a Telegram of its own
    assertTheHoldNeverApplied(f, status, topic);
  }

  /**
   * The window the test above leaves: a crash after the refusal's answer was written to the outbox
   * and before its inbox row was marked settled. The store refuses that one mark (a trigger on the
   * embedded inbox), the supervisor gives the ticket to Boris meanwhile, and the app stops there;
   * restarted, the row is still pending. Run again it was accepted this time: ON_HOLD, after the
   * topic was told it was refused. The answer in the outbox, keyed by the update, records that it ran.
   */
  @Test
  void aCommandRefusedJustBeforeACrashIsNotRunAgainAfterIt() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    String status = staleHoldRefused(f, () -> f.app().database().inboxJdbi().useHandle(h -> h.execute(
        "create trigger crash_before_settle before update of status on inbox when new.status = 'APPLIED' and"
            + " old.update_id = " + HOLD + " begin select raise(abort, 'the process died before this mark'); end")));
    List<String> topic = new ArrayList<>(f.telegram.textsIn(300));
    f.close();

    assertThat(afterTheCrash("crash_before_settle")).as("what the crash left").isEqualTo(Inbox.PENDING);
    f = new AppFixture(dir, YAML, Map.of());
    topic.addAll(f.telegram.textsIn(300));
    assertTheHoldNeverApplied(f, status, topic);
  }

  /**
   * The same crash in the production shape: PostgreSQL and a Temporal cluster that outlives the
   * webhook role. The validator's refusal is in no workflow history, so Temporal's update id does
   * not stop a second run: the webhook role restarted ran the /hold again, and it was accepted.
   */
  @Test
  void aCommandRefusedJustBeforeTheWebhookRoleCrashedIsNotRunAgainAfterIt() throws Exception {
    RolesApart apart = RolesApart.start();
    AppFixture worker = null;
    try {
      worker = apart.role(dir.resolve("worker"), YAML, ForumdeskApp.Mode.WORKER);
      f = apart.role(dir.resolve("webhook"), YAML, ForumdeskApp.Mode.WEBHOOK);
      String status = staleHoldRefused(f, () -> f.app().database().inboxJdbi().useHandle(h -> {
        h.execute("create function crash_before_settle() returns trigger language plpgsql as"
            + " $$ begin raise exception 'the process died before this mark'; end $$");
        h.execute("create trigger crash_before_settle before update of status on inbox for each row when"
            + " (new.status = 'APPLIED' and old.update_id = " + HOLD + ") execute function crash_before_settle()");
      }));
      f.close();
      f = null;

      String left = worker.app().database().jdbi().withHandle(h -> {
        h.execute("drop trigger crash_before_settle on inbox");
        return h.createQuery("select status from inbox where update_id = " + HOLD).mapTo(String.class).one();
      });
      assertThat(left).as("what the crash left").isEqualTo(Inbox.PENDING);
      f = apart.role(dir.resolve("webhook"), YAML, ForumdeskApp.Mode.WEBHOOK);
      assertTheHoldNeverApplied(f, status, apart.telegram.textsIn(300));
    } finally {
      AppFixture webhook = f;
      f = null;
      apart.closeWith(webhook, worker);
    }
  }

  /**
   * The same crash for an accepted command, which its workflow answers: its update id is the
   * inbox's, so a second run is answered from Temporal's record (the dispatcher's retries here) or,
   * once the embedded server restarted and restored the ticket, from the events its projection
   * had seen. No second hold, no second answer.
   */
  @Test
  void aCommandAcceptedJustBeforeACrashIsNotAppliedTwice() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", now));
    f.awaitTicket(ID, x -> !x.path("createdAt").isNull());
    assertThat(f.post(ACTIONS, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"boris\"}").statusCode())
        .isEqualTo(200);
    f.app().database().inboxJdbi().useHandle(h -> h.execute(
        "create trigger crash_before_mark before update of status on inbox when old.update_id = " + HOLD
            + " begin select raise(abort, 'the process died before this mark'); end"));
    f.postUpdate(UpdateJson.text(HOLD, CHAT, 300, 301, BORIS, "/hold waiting for the toner", now));
    f.awaitTicket(ID, x -> x.path("status").asText().equals("ON_HOLD"));
    Awaitility.await("the hold's answer").atMost(Duration.ofSeconds(15))
        .until(() -> f.telegram.textsIn(300).stream().anyMatch(x -> x.startsWith("⏸")));
    Thread.sleep(1500); // the dispatcher retries the row it could not mark meanwhile
    List<String> topic = new ArrayList<>(f.telegram.textsIn(300));
    f.close();

    assertThat(afterTheCrash("crash_before_mark")).as("what the crash left").isEqualTo(Inbox.PENDING);
    f = new AppFixture(dir, YAML, Map.of());
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(1500); // a hold run again would be projected and posted by now
    topic.addAll(f.telegram.textsIn(300));

    JsonNode t = f.awaitTicket(ID, x -> true);
    assertThat(t.path("status").asText()).isEqualTo("ON_HOLD");
    assertThat(t.path("audit").findValuesAsText("event")).containsOnlyOnce("ON_HOLD");
    assertThat(topic.stream().filter(x -> x.startsWith("⏸"))).as("one answer").hasSize(1);
    assertThat(topic).noneMatch(x -> x.startsWith("🚫"));
  }

  /**
   * Audit 10, F2: an escalation and a hold through the API, each answered 200, while the Level 2 topic
   * waits for the staff forum (Telegram answers 500 to createForumTopic). Nothing in the inbox brings
   * them back, and the restarted app had the ticket at Level 1, neither escalated nor on hold, without a
   * trace of either: the projection lagged behind the topic. Since audit 11, F2 the read model shows
   * both at once, with the topic pending, and the restored ticket asks for its topic again: one topic,
   * each action once, and a second restart changes nothing.
   */
  @Test
  void apiActionsAnsweredBeforeARestartAreAppliedOnceAfterIt() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", UpdateJson.now()));
    f.awaitTicket(ID, x -> !x.path("createdAt").isNull());
    Awaitility.await("the acknowledgement").atMost(Duration.ofSeconds(15)).until(() -> !f.telegram.textsIn(300).isEmpty());
    Thread.sleep(1000); // the opening projected: the escalation's is the next projection
    f.telegram.failNext("createForumTopic", 1_000, 500);
    var escalated = f.post(ACTIONS, "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"the toner supplier\"}",
        Map.of("Idempotency-Key", "escalate-300"));
    assertThat(escalated.statusCode()).as(escalated.body()).isEqualTo(200);
    var held = f.post(ACTIONS, "{\"action\":\"hold\",\"actor\":900001,\"reason\":\"waiting for the toner\"}");
    assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
    assertThat(held.body()).contains("ON_HOLD");
    JsonNode waiting = f.awaitTicket(ID, x -> x.path("status").asText().equals("ON_HOLD"));
    assertThat(waiting.path("level").asInt()).as("shown while the Level 2 topic waits").isEqualTo(2);
    assertThat(waiting.path("audit").findValuesAsText("event")).contains("ESCALATED", "ON_HOLD")
        .doesNotContain("LEVEL2_TOPIC");
    f.close();

    f = new AppFixture(dir, YAML, Map.of());
    assertEscalatedAndHeldOnce(f.awaitTicket(ID, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC")
        && x.path("status").asText().equals("ON_HOLD")));
    assertThat(f.telegram.calls("createForumTopic")).as("one Level 2 topic").hasSize(1);
    Thread.sleep(1500); // an action applied twice would be projected by now
    assertEscalatedAndHeldOnce(f.awaitTicket(ID, x -> true));
    f.close();

    f = new AppFixture(dir, YAML, Map.of());
    Thread.sleep(1500);
    assertEscalatedAndHeldOnce(f.awaitTicket(ID, x -> true));
    assertThat(f.telegram.calls("createForumTopic")).as("no second Level 2 topic").isEmpty();
    int kept = f.app().database().jdbi().withHandle(h -> h.createQuery("select count(*) from api_actions")
        .mapTo(Integer.class).one());
    assertThat(kept).as("each action forgotten once its projection showed it").isZero();
  }

  /**
   * The same in the production shape (PostgreSQL, a Temporal cluster that outlives the roles): the
   * actions live on in Temporal, nothing applies them again, and the worker's projection forgets
   * them. The webhook role restarted while the Level 2 topic waited leaves them applied once.
   */
  @Test
  void apiActionsAnsweredBeforeTheWebhookRoleRestartedAreAppliedOnce() throws Exception {
    RolesApart apart = RolesApart.start();
    AppFixture worker = null;
    try {
      worker = apart.role(dir.resolve("worker"), YAML, ForumdeskApp.Mode.WORKER);
      f = apart.role(dir.resolve("webhook"), YAML, ForumdeskApp.Mode.WEBHOOK);
      f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", UpdateJson.now()));
      f.awaitTicket(ID, x -> !x.path("createdAt").isNull());
      Awaitility.await("the acknowledgement").atMost(Duration.ofSeconds(15)).until(() -> !apart.telegram.textsIn(300).isEmpty());
      Thread.sleep(1000);
      apart.telegram.failNext("createForumTopic", 3, 500);
      assertThat(f.post(ACTIONS, "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"the toner supplier\"}",
          Map.of("Idempotency-Key", "escalate-300")).statusCode()).isEqualTo(200);
      assertThat(f.post(ACTIONS, "{\"action\":\"hold\",\"actor\":900001,\"reason\":\"waiting for the toner\"}")
          .statusCode()).isEqualTo(200);
      f.close();
      f = null;

      f = apart.role(dir.resolve("webhook"), YAML, ForumdeskApp.Mode.WEBHOOK);
      assertEscalatedAndHeldOnce(f.awaitTicket(ID, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC")
          && x.path("status").asText().equals("ON_HOLD")));
      Thread.sleep(1500);
      assertEscalatedAndHeldOnce(f.awaitTicket(ID, x -> true));
      assertThat(apart.telegram.calls("createForumTopic").stream().filter(c -> c.status() == 200)).hasSize(1);
      int kept = worker.app().database().jdbi().withHandle(h -> h.createQuery("select count(*) from api_actions")
          .mapTo(Integer.class).one());
      assertThat(kept).as("forgotten once the worker's projection showed them").isZero();
    } finally {
      AppFixture webhook = f;
      f = null;
      apart.closeWith(webhook, worker);
    }
  }

  /**
   * Audit 11, F6: a ticket past its first response, on the escalation chain, is escalated through the
   * API (answered 200), and the process dies before the escalation's projection committed. Restarted
   * once the chain's deadline has passed, the restored workflow's overdue chain moved it to Level 2
   * first, and the journaled escalation was refused then ("The ticket is already at Level 2"): no
   * audit entry of the supervisor's escalation, and the Level 2 summary gave the chain's reason. The
   * journal is applied before the restored ticket looks at its deadlines: the supervisor's escalation
   * with its reason, in the audit and the summary, and the chain finds the ticket at Level 2 already.
   */
  @Test
  void anApiEscalationAnsweredBeforeAKillIsNotBeatenByTheRestoredChain() throws Exception {
    f = new AppFixture(dir, CHAIN_YAML, Map.of());
    f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", UpdateJson.now()));
    JsonNode breached = f.awaitTicket(ID, x -> x.path("status").asText().equals("ESCALATED"));
    assertThat(breached.path("level").asInt()).as("the breach, not yet the chain").isEqualTo(1);
    Instant chainDue = lastEntryAt(breached, "ESCALATED").plus(FIRST_RESPONSE);
    laterProjectionsLost(f, ID);
    f.telegram.failNext("createForumTopic", 1_000, 500); // nor was the Level 2 topic opened before the kill
    var escalated = f.post(ACTIONS, "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"kill9 test\"}",
        Map.of("Idempotency-Key", "escalate-kill9"));
    assertThat(escalated.statusCode()).as(escalated.body()).isEqualTo(200);
    Awaitility.await("the escalation journaled").atMost(Duration.ofSeconds(15)).until(() -> f.app().database().jdbi()
        .withHandle(h -> h.createQuery("select count(*) from api_actions where status = 'ACCEPTED'").mapTo(Integer.class).one()) == 1);
    f.close();
    f = null;
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), chainDue).toMillis()) + 1_000);

    f = new AppFixture(dir, CHAIN_YAML, Map.of());
    JsonNode t = f.awaitTicket(ID, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"));
    assertThat(t.path("level").asInt()).isEqualTo(2);
    List<JsonNode> escalations = new ArrayList<>();
    t.path("audit").forEach(e -> {
      if (e.path("event").asText().equals("ESCALATED") && e.path("reason").asText().startsWith("Level 2")) {
        escalations.add(e);
      }
    });
    assertThat(escalations).as("the supervisor's escalation, with its reason, in the audit").singleElement()
        .satisfies(e -> {
          assertThat(e.path("reason").asText()).isEqualTo("Level 2: kill9 test");
          assertThat(e.path("actor").asText()).isEqualTo("supervisor:900001");
        });
    assertThat(t.path("audit").findValuesAsText("reason")).as("the chain found it at Level 2 already")
        .noneMatch(r -> r.endsWith("after the escalation: Level 2"));
    Awaitility.await("the Level 2 summary").atMost(Duration.ofSeconds(15)).until(() -> !level2Summaries(f).isEmpty());
    Thread.sleep(1000); // a second summary would be sent by now
    assertThat(level2Summaries(f)).as("the Level 2 summary").singleElement().asString()
        .contains("Reason: kill9 test").doesNotContain("still no first response");
  }

  /**
   * An agent's reply answered 200 by the webhook before the first-response deadline, still waiting in
   * the inbox when the process stopped (the dispatcher had not delivered it: it waited for a retry's
   * backoff). Restarted once the deadline has passed: the restored ticket's journal
   * holds the reply, applied before the overdue deadline, so the ticket never breached. No supervisor
   * is called, nothing moves to Level 2, and the audit has no escalation for the first response. With
   * the inbox's rows left out of the journal, the deadline fired first: "⚠️ No agent has answered" to
   * the supervisors, ESCALATED in the audit, and then the breach withdrawn by the redelivered reply.
   */
  @Test
  void anAgentsReplyWaitingInTheInboxAtTheStopKeepsTheRestoredTicketFromBreaching() throws Exception {
    f = new AppFixture(dir, REPLY_YAML, Map.of());
    long now = UpdateJson.now();
    assertThat(f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", now)).statusCode())
        .isEqualTo(200);
    assertThat(f.postUpdate(UpdateJson.text(5101, CHAT, 300, 301, BOB, "It smokes", now)).statusCode()).isEqualTo(200);
    JsonNode opened = f.awaitTicket(ID, x -> x.path("firstMessage").asText().equals("It smokes"));
    Instant due = Instant.parse(opened.path("sla").path("firstResponseDue").asText());
    f.app().database().inboxJdbi().useHandle(h -> h.execute(
        "create trigger hold_reply after insert on inbox when new.update_id = " + REPLY + " begin update inbox set"
            + " next_attempt_at = new.next_attempt_at + 86400000 where update_id = new.update_id; end"));
    var reply = f.postUpdate(UpdateJson.text(REPLY, CHAT, 300, 302, BORIS, "Unplug it, I am on my way",
        UpdateJson.now()));
    assertThat(reply.statusCode()).as("accepted by the webhook").isEqualTo(200);
    Thread.sleep(1000); // delivered, it would be projected by now
    assertThat(f.awaitTicket(ID, x -> true).path("firstResponseAt").isNull()).as("not applied before the stop").isTrue();
    assertThat(Instant.now()).as("the scenario: stopped before the first-response deadline").isBefore(due);
    f.close();
    f = null;

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("inbox.db"));
        Statement st = c.createStatement()) {
      st.execute("drop trigger hold_reply");
      // as the stop left it, waiting for a retry that falls due a few seconds after the restart: the
      // restored ticket has looked at its deadlines by then, whatever the journal holds
      st.execute("update inbox set next_attempt_at = " + due.plusSeconds(6).toEpochMilli() + " where update_id = " + REPLY);
      var row = st.executeQuery("select status from inbox where update_id = " + REPLY);
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).as("what the stop left").isEqualTo(Inbox.PENDING);
    }
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()) + 1_000); // the deadline passes while down

    f = new AppFixture(dir, REPLY_YAML, Map.of());
    f.awaitTicket(ID, x -> !x.path("firstResponseAt").isNull());
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(1500); // a breach's notice would be posted by now
    JsonNode t = f.awaitTicket(ID, x -> true);
    assertThat(t.path("level").asInt()).as("no Level 2 move").isEqualTo(1);
    assertThat(t.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(t.path("sla").path("breaches").size()).as("no breach").isZero();
    assertThat(t.path("audit").findValuesAsText("event")).doesNotContain("ESCALATED", "SLA_BREACH");
    List<String> firstResponse = new ArrayList<>();
    t.path("audit").forEach(e -> {
      if (e.path("event").asText().equals("FIRST_RESPONSE")) {
        firstResponse.add(e.path("reason").asText());
      }
    });
    assertThat(firstResponse).as("in time, no breach to withdraw").containsExactly("first agent reply");
    assertThat(f.telegram.sent()).extracting(call -> call.params().path("text").asText())
        .as("no supervisor called").noneMatch(x -> x.startsWith("⚠️ No agent has answered") || x.startsWith("🚨"));
    String mark = f.app().database().inboxJdbi().withHandle(h -> h.createQuery(
        "select status from inbox where update_id = " + REPLY).mapTo(String.class).one());
    assertThat(mark).as("settled once its projection showed it").isEqualTo(Inbox.APPLIED);
  }

  /** The texts sent to the Level 2 forum that give an escalation's reason. */
  private static List<String> level2Summaries(AppFixture f) {
    long level2 = -1009876543210L; // support.level2-chat-id of AppFixture.CONFIG
    return f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == level2)
        .map(c -> c.params().path("text").asText()).filter(x -> x.contains("Reason: ")).toList();
  }

  /** When the ticket's last {@code event} entry was recorded. */
  private static Instant lastEntryAt(JsonNode t, String event) {
    Instant at = null;
    for (JsonNode e : t.path("audit")) {
      if (e.path("event").asText().equals(event)) {
        at = Instant.parse(e.path("at").asText());
      }
    }
    return at;
  }

  /**
   * What a kill -9 leaves when the ticket's projections from now on had not committed: the read model
   * keeps its snapshot of now. Its version is put far ahead, so the projections that follow are taken
   * for older ones and dropped, and the API actions stay in the journal (they are forgotten once a
   * projection shows them).
   */
  private static void laterProjectionsLost(AppFixture f, String id) {
    f.app().database().jdbi().useHandle(h -> {
      String state = h.createQuery("select state from tickets where id = :id").bind("id", id).mapTo(String.class).one();
      ObjectNode s = Json.read(state, ObjectNode.class);
      long ahead = s.path("version").asLong() + 1_000_000;
      s.put("version", ahead);
      h.createUpdate("update tickets set version = :version, state = :state where id = :id")
          .bind("version", ahead).bind("state", Json.write(s)).bind("id", id).execute();
    });
  }

  private static void assertEscalatedAndHeldOnce(JsonNode t) {
    assertThat(t.path("status").asText()).isEqualTo("ON_HOLD");
    assertThat(t.path("level").asInt()).isEqualTo(2);
    List<String> events = t.path("audit").findValuesAsText("event");
    assertThat(events).containsOnlyOnce("ESCALATED", "ON_HOLD", "LEVEL2_TOPIC");
    assertThat(t.path("audit").findValuesAsText("reason"))
        .contains("Level 2: the toner supplier", "waiting for the toner");
  }

  /**
   * With the app stopped: takes the fault out of the embedded inbox.
   *
   * @return the status the crash left the /hold's inbox row in
   */
  private String afterTheCrash(String trigger) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("inbox.db"));
        Statement st = c.createStatement()) {
      st.execute("drop trigger " + trigger);
      var row = st.executeQuery("select status from inbox where update_id = " + HOLD);
      return row.next() ? row.getString(1) : null;
    }
  }

  /**
   * Bob's ticket goes to Alice; Boris's /hold (update {@value #HOLD}) is refused in the topic; then
   * the supervisor gives the ticket to Boris, whose /hold would be accepted now.
   *
   * @param beforeHold what to do before the /hold arrives (a fault in the store)
   * @return the ticket's status after all that
   */
  private static String staleHoldRefused(AppFixture f, Runnable beforeHold) throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", now));
    f.awaitTicket(ID, x -> !x.path("createdAt").isNull());
    assertThat(f.post(ACTIONS, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"alice\"}").statusCode())
        .isEqualTo(200);
    beforeHold.run();

    f.postUpdate(UpdateJson.text(HOLD, CHAT, 300, 301, BORIS, "/hold stale command from Boris", now));
    Awaitility.await("the refusal in the topic").atMost(Duration.ofSeconds(15))
        .until(() -> f.telegram.textsIn(300).contains(REFUSAL));
    assertThat(f.post(ACTIONS, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"boris\"}").statusCode())
        .isEqualTo(200);
    String status = f.awaitTicket(ID, x -> x.path("assignee").path("id").asLong() == 1002).path("status").asText();
    Thread.sleep(1500); // the dispatcher retries a row it could not mark meanwhile
    return status;
  }

  /**
   * Once the restarted app delivered its inbox: Boris has the ticket as before, not on hold, and
   * the topic ({@code topic}: all it was sent) heard the refusal once and no hold.
   */
  private static void assertTheHoldNeverApplied(AppFixture f, String status, List<String> topic) throws Exception {
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(1500); // a hold run again would be projected and posted by now

    JsonNode t = f.awaitTicket(ID, x -> true);
    assertThat(t.path("status").asText()).as("the refused hold changed nothing").isEqualTo(status);
    assertThat(t.path("assignee").path("id").asLong()).isEqualTo(1002);
    assertThat(t.path("sla").path("paused").asBoolean()).isFalse();
    assertThat(t.path("audit").findValuesAsText("event")).doesNotContain("ON_HOLD");
    assertThat(topic).as("one refusal, and no hold").containsOnlyOnce(REFUSAL).noneMatch(x -> x.startsWith("⏸"));
    String mark = f.app().database().inboxJdbi().withHandle(h -> h.createQuery(
        "select status from inbox where update_id = " + HOLD).mapTo(String.class).one());
    assertThat(mark).as("settled at last").isEqualTo(Inbox.APPLIED);
  }
}
