package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.UpdateJson;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle through the real webhook, Temporal (real time, short SLAs) and fake Telegram. */
class LifecycleEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  /** The sample desk's Level 2 group: a forum of its own, for staff only. */
  static final long STAFF_FORUM = -1009876543210L;
  static final String YAML = AppFixture.CONFIG + """
      sla:
        first-response: PT2S
        priorities: {HIGH: {first-response: PT2S}, URGENT: {first-response: PT2S}}
      routing:
        enabled: false   # these follow unassigned tickets: notices go to the supervisors
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;


  /**
   * Group mode: the customer reads the topic, so the first-response breach and the escalation
   * chain, which call the supervisors and speak of SLA times, go to the staff forum (the Level 2
   * group, another forum here), naming the ticket; the customer's topic gets nothing of them.
   */
  @Test
  void anUnansweredTopicCallsTheSupervisorsInTheStaffForumNotInTheCustomersTopic() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 42, BOB, "Nobody answers", now()));
    JsonNode t = f.awaitTicket("ticket--1001234567890-42", x -> x.path("status").asText().equals("ESCALATED"));
    assertThat(t.path("sla").path("breaches").get(0).path("clock").asText()).isEqualTo("first-response");
    assertThat(t.path("audit")).anyMatch(a -> a.path("event").asText().equals("ESCALATED")
        && a.path("reason").asText().equals("first response over PT2S") && a.path("actor").asText().equals("system"));

    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
      List<String> staff = staffForumGeneral();
      return staff.stream().anyMatch(x -> x.contains("No agent has answered within 2 s")
              && x.contains("tg://user?id=900001") && x.contains("https://t.me/c/1234567890/42"))
          && staff.stream().anyMatch(x -> x.contains("Still unanswered") && x.contains("tg://user?id=900001")
              && x.contains("https://t.me/c/1234567890/42"));
    });
    assertThat(f.telegram.textsIn(42)).as("what Bob reads").isNotEmpty()
        .noneMatch(x -> x.contains("No agent") || x.contains("unanswered") || x.contains("tg://user")
            || x.contains("take a look") || x.contains("Level 2"));
    assertThat(f.get("/observe/metrics").body()).contains("forumdesk_sla_breaches_total{clock=\"first-response\"}");
    // each escalation once, though the ticket was projected again after each
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(f.get("/observe/metrics").body())
        .contains("forumdesk_escalations_total{reason=\"first-response\"} 1.0")
        .contains("forumdesk_escalations_total{reason=\"level2-chain\"} 1.0")
        .contains("forumdesk_escalations_total{reason=\"command\"} 0.0"));
  }

  /**
   * Group mode: /hold, the customer's message that ends it and /escalate read neutrally in the
   * customer's topic; the staff forum gets them in full: the agent's reasons, the SLA words, the
   * supervisors' mention.
   */
  @Test
  void holdResumeAndEscalateReadNeutrallyInTheCustomersTopicAndInFullInTheStaffForum() throws Exception {
    String link = "https://t.me/c/1234567890/44";
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 44, BOB, "Card blocked", now()));
    f.awaitTicket("ticket--1001234567890-44", x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 44, 441, ALICE, "Hi Bob, let me check with the bank.", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 44, 442, ALICE, "/hold waiting for bank", now()));
    f.awaitTicket("ticket--1001234567890-44", x -> x.path("status").asText().equals("ON_HOLD"));
    awaitTopicAndStaffForum("the hold", 44, "⏸ This ticket is on hold; we will get back to you.",
        link, "⏸ On hold: waiting for bank. SLA clocks paused.");

    f.postUpdate(UpdateJson.text(update++, CHAT, 44, 443, BOB, "Any news?", now()));
    // back to the status before the hold: IN_PROGRESS, or ESCALATED when a loaded machine let the
    // 2 s first-response deadline pass before Alice's reply was taken
    String resumed = f.awaitTicket("ticket--1001234567890-44",
        x -> !x.path("status").asText().equals("ON_HOLD") && x.path("sla").path("paused").asBoolean() == false)
        .path("status").asText();
    assertThat(resumed).isIn("IN_PROGRESS", "ESCALATED");
    awaitTopicAndStaffForum("the resume", 44, "▶️ We are back on it.",
        link, "▶️ Resumed: the customer wrote; status " + resumed + ", SLA clocks running again.");

    f.postUpdate(UpdateJson.text(update++, CHAT, 44, 444, ALICE, "/escalate customer angry", now()));
    f.awaitTicket("ticket--1001234567890-44", x -> x.path("level").asInt() == 2);
    awaitTopicAndStaffForum("the escalation", 44, "⬆️ A specialist will join shortly.",
        link, "⬆️ Escalated to Level 2: customer angry.", "tg://user?id=900001");
    assertThat(f.telegram.textsIn(44)).as("what Bob reads")
        .noneMatch(x -> x.contains("waiting for bank") || x.contains("SLA") || x.contains(resumed)
            || x.contains("customer angry") || x.contains("Level 2") || x.contains("tg://user") || x.contains("take a look"));
  }

  /**
   * Audit 10, F5: an upset customer read "Priority is now LOW." in their topic. In group mode
   * /priority is answered to the agent who typed it, privately, and an API action in its answer;
   * the customer's topic gets nothing of either.
   */
  @Test
  void priorityIsAnsweredToWhoAskedNotInTheCustomersTopic() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 46, BOB, "Oh great, it crashed again", now()));
    f.awaitTicket("ticket--1001234567890-46", x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 46, 461, ALICE, "/priority low", now()));
    f.awaitTicket("ticket--1001234567890-46", x -> x.path("priority").asText().equals("LOW"));
    Awaitility.await("Alice's answer").atMost(Duration.ofSeconds(15)).until(() -> f.telegram.sent().stream()
        .anyMatch(c -> c.params().path("chat_id").asLong() == ALICE.id()
            && c.params().path("text").asText().contains("Priority is now LOW.")
            && c.params().path("text").asText().contains("https://t.me/c/1234567890/46")));

    HttpResponse<String> urgent = f.post("/api/tickets/ticket--1001234567890-46/actions",
        "{\"action\":\"priority\",\"actor\":900001,\"priority\":\"urgent\"}");
    assertThat(urgent.statusCode()).as(urgent.body()).isEqualTo(200);
    assertThat(urgent.body()).contains("Priority is now URGENT.");
    f.awaitTicket("ticket--1001234567890-46", x -> x.path("priority").asText().equals("URGENT"));
    Thread.sleep(1500); // an answer in the topic would have been sent by now
    assertThat(f.telegram.textsIn(46)).as("what Bob reads").isNotEmpty().noneMatch(x -> x.contains("Priority"));
  }

  /** Waits until topic {@code thread} reads {@code line} and the staff forum has a text with each of {@code parts}. */
  private void awaitTopicAndStaffForum(String what, long thread, String line, String... parts) {
    Awaitility.await(what).atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsIn(thread).contains(line)
        && staffForumGeneral().stream().anyMatch(x -> Arrays.stream(parts).allMatch(x::contains)));
  }

  /** What the bot posted in the staff forum's General topic. */
  private List<String> staffForumGeneral() {
    return f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == STAFF_FORUM && !c.params().has("message_thread_id"))
        .map(c -> c.params().path("text").asText()).toList();
  }

  @Test
  void commandsInTheTopicAreAnsweredThereAndRefusalsSayWhy() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 50, BOB, "Commands", now()));
    f.awaitTicket("ticket--1001234567890-50", x -> !x.path("createdAt").isNull());

    f.postUpdate(UpdateJson.text(update++, CHAT, 50, 51, BOB, "/resolve", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 50, 52, ALICE, "/hold@ForumdeskBot waiting for logs", now()));
    JsonNode held = f.awaitTicket("ticket--1001234567890-50", x -> x.path("status").asText().equals("ON_HOLD"));
    assertThat(held.path("sla").path("paused").asBoolean()).isTrue();

    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.sentIn(50).stream()
        .map(c -> c.params().path("text").asText()).filter(x -> x.contains("Only agents and supervisors can use /resolve") || x.contains("on hold")).count() == 2);

    // a redelivered command update does nothing more
    f.postUpdate(UpdateJson.text(update - 1, CHAT, 50, 52, ALICE, "/hold waiting for logs", now()));
    // the bot knows its name (getMe: ForumdeskBot), so another bot's command is not ours to run
    assertThat(f.telegram.calls("getMe")).anyMatch(c -> c.status() == 200);
    f.postUpdate(UpdateJson.text(update++, CHAT, 50, 53, ALICE, "/resume@SomeOtherBot", now()));
    Thread.sleep(1000);
    assertThat(f.telegram.sentIn(50).stream().filter(c -> c.params().path("text").asText().contains("on hold")).count()).isEqualTo(1);
    assertThat(f.json("/api/tickets/ticket--1001234567890-50").path("status").asText()).isEqualTo("ON_HOLD");
  }

  @Test
  void dashboardActionsFollowTheSameRules() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 60, BOB, "Via API", now()));
    f.awaitTicket("ticket--1001234567890-60", x -> !x.path("createdAt").isNull());

    HttpResponse<String> resume = f.post("/api/tickets/ticket--1001234567890-60/actions", "{\"action\":\"resume\",\"actor\":1001}");
    assertThat(resume.statusCode()).isEqualTo(409);
    assertThat(resume.body()).contains("not on hold");
    // the answer is for a person reading the dashboard: plain text, not the topic's Telegram HTML
    HttpResponse<String> hold = f.post("/api/tickets/ticket--1001234567890-60/actions",
        "{\"action\":\"hold\",\"actor\":1001,\"reason\":\"waiting for <b>Acme</b> & co\"}");
    assertThat(hold.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(hold.body()).path("message").asText())
        .contains("waiting for <b>Acme</b> & co").doesNotContain("&lt;", "&amp;");
    assertThat(f.post("/api/tickets/ticket--1001234567890-60/actions", "{\"action\":\"resume\",\"actor\":1001}")
        .statusCode()).isEqualTo(200);
    HttpResponse<String> resolve = f.post("/api/tickets/ticket--1001234567890-60/actions", "{\"action\":\"resolve\",\"actor\":1001}");
    assertThat(resolve.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(resolve.body()).path("status").asText()).isEqualTo("RESOLVED");
    assertThat(f.post("/api/tickets/ticket--1001234567890-60/actions", "{\"action\":\"resolve\",\"actor\":5001}").statusCode()).isEqualTo(403);
    assertThat(f.post("/api/tickets/ticket--1001234567890-60/actions", "{\"action\":\"dance\",\"actor\":1001}").statusCode()).isEqualTo(400);
    assertThat(f.post("/api/tickets/ticket--1-2/actions", "{\"action\":\"resolve\",\"actor\":1001}").statusCode()).isEqualTo(404);
    // a malformed request is a 400 before any rule is asked; 409 stays for what the lifecycle refuses
    HttpResponse<String> banana = f.post("/api/tickets/ticket--1001234567890-60/actions",
        "{\"action\":\"priority\",\"actor\":1001,\"priority\":\"banana\"}");
    assertThat(banana.statusCode()).isEqualTo(400);
    assertThat(banana.body()).contains("Unknown priority 'banana'. Use one of: low, normal, high, urgent.");
    HttpResponse<String> nobody = f.post("/api/tickets/ticket--1001234567890-60/actions",
        "{\"action\":\"assign\",\"actor\":1001}");
    assertThat(nobody.statusCode()).isEqualTo(400);
    assertThat(nobody.body()).contains("assign needs \\\"username\\\"");

    f.awaitTicket("ticket--1001234567890-60", x -> x.path("status").asText().equals("RESOLVED"));
    JsonNode audit = f.json("/api/tickets/ticket--1001234567890-60/audit");
    assertThat(audit.get(0).path("event").asText()).isEqualTo("OPENED");
    assertThat(audit).anyMatch(a -> a.path("event").asText().equals("RESOLVED") && a.path("actor").asText().equals("agent:1001"));

    JsonNode report = f.json("/api/reports/sla?date=" + LocalDate.now(ZoneOffset.UTC));
    assertThat(report.path("total").path("tickets").asInt()).isEqualTo(1);
    assertThat(report.path("total").path("resolved").asInt()).isEqualTo(1);
    assertThat(f.get("/api/reports/sla?date=yesterday").statusCode()).isEqualTo(400);
    assertThat(f.get("/api/tickets?limit=0").statusCode()).isEqualTo(400);
    assertThat(f.get("/api/tickets?limit=-1").statusCode()).isEqualTo(400);
    assertThat(f.json("/api/tickets?limit=1")).hasSize(1);
  }

  /**
   * An action whose 503 came after Temporal applied it (a frozen server answering past
   * {@code temporal.action-timeout}) is retried with the same Idempotency-Key: the same update id, so
   * it is answered from the record and applied once. Escalating twice would add a second entry.
   */
  @Test
  void anActionRetriedWithItsIdempotencyKeyIsAppliedOnce() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 65, BOB, "Retried", now()));
    f.awaitTicket("ticket--1001234567890-65", x -> !x.path("createdAt").isNull());
    String actions = "/api/tickets/ticket--1001234567890-65/actions";
    String escalate = "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"needs DB access\"}";

    HttpResponse<String> first = f.post(actions, escalate, Map.of("Idempotency-Key", "esc-1"));
    HttpResponse<String> retry = f.post(actions, escalate, Map.of("Idempotency-Key", "esc-1"));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    f.awaitTicket("ticket--1001234567890-65", x -> x.path("status").asText().equals("ESCALATED"));
    Thread.sleep(500); // a second escalation would be projected by now
    assertThat(f.json(actions.replace("/actions", "/audit")).findValuesAsText("reason"))
        .filteredOn(r -> r.contains("needs DB access")).hasSize(1);
  }

  /**
   * Audit 6 F6: a key reused for another request was answered 200 with the first request's result
   * ("Priority is now LOW.") while the URGENT asked for was dropped. It is refused now; a retry
   * written differently (key order, spacing) is still the same request.
   */
  @Test
  void anIdempotencyKeyReusedForAnotherRequestIsRefused() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 66, BOB, "Reused key", now()));
    f.awaitTicket("ticket--1001234567890-66", x -> !x.path("createdAt").isNull());
    String actions = "/api/tickets/ticket--1001234567890-66/actions";
    Map<String, String> k1 = Map.of("Idempotency-Key", "k1");

    HttpResponse<String> low = f.post(actions, "{\"action\":\"priority\",\"actor\":1001,\"priority\":\"low\"}", k1);
    assertThat(low.statusCode()).as(low.body()).isEqualTo(200);
    HttpResponse<String> retry = f.post(actions, "{ \"priority\": \"low\", \"actor\": 1001, \"action\": \"priority\" }", k1);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(low.body());

    HttpResponse<String> urgent = f.post(actions, "{\"action\":\"priority\",\"actor\":1001,\"priority\":\"urgent\"}", k1);
    assertThat(urgent.statusCode()).as(urgent.body()).isEqualTo(422);
    assertThat(Json.mapper().readTree(urgent.body()).path("error").asText())
        .isEqualTo("Idempotency-Key k1 was already used for a different request");
    // the same key on another ticket is another request too
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 67, BOB, "Other", now()));
    f.awaitTicket("ticket--1001234567890-67", x -> !x.path("createdAt").isNull());
    assertThat(f.post("/api/tickets/ticket--1001234567890-67/actions",
        "{\"action\":\"priority\",\"actor\":1001,\"priority\":\"low\"}", k1).statusCode()).isEqualTo(422);
    assertThat(f.post(actions, "{\"action\":\"resolve\",\"actor\":1001}", Map.of("Idempotency-Key", "")).statusCode())
        .as("an empty key").isEqualTo(400);

    Thread.sleep(500); // an URGENT applied would be projected by now
    assertThat(f.awaitTicket("ticket--1001234567890-66", x -> true).path("priority").asText()).isEqualTo("LOW");
  }

  @Test
  void aRefusedActionSaysWhetherTheActorTheRequestOrTheTicketsStateIsWrong() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 70, BOB, "Refusals", now()));
    f.awaitTicket("ticket--1001234567890-70", x -> !x.path("createdAt").isNull());
    String actions = "/api/tickets/ticket--1001234567890-70/actions";
    assertThat(f.post(actions, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"alice\"}").statusCode())
        .isEqualTo(200);

    // who asked: 403 (the roster's rule, and the validator's)
    assertRefused(actions, "{\"action\":\"assign\",\"actor\":1001,\"username\":\"boris\"}", 403,
        "Only a supervisor can /assign; the assignee can /reassign.");
    assertRefused(actions, "{\"action\":\"hold\",\"actor\":1002,\"reason\":\"x\"}", 403,
        "Only the assignee (Alice) or a supervisor can put this ticket on hold.");
    // what was asked: 400
    assertRefused(actions, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"nobody\"}", 400,
        "Unknown agent @nobody; known agents: @alice, @boris.");
    // the ticket's state: 409, maybe later
    assertRefused(actions, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"alice\"}", 409,
        "The ticket is already assigned to Alice.");
    // NEW, or ESCALATED already on a loaded machine (first response PT2S)
    HttpResponse<String> resume = f.post(actions, "{\"action\":\"resume\",\"actor\":1001}");
    assertThat(resume.statusCode()).isEqualTo(409);
    assertThat(Json.mapper().readTree(resume.body()).path("error").asText()).matches(
        "The ticket is not on hold \\(it is (NEW|ESCALATED)\\)\\.");

    JsonNode t = f.awaitTicket("ticket--1001234567890-70", x -> x.path("assignee").path("id").asLong() == 1001);
    assertThat(t.path("status").asText()).as("the refused hold changed nothing").isNotEqualTo("ON_HOLD");
    // an agent's /assign of the agent who has it is refused for who asked too, not as "already
    // assigned" (409), which reads as if she could have assigned it otherwise (audit 6 F1)
    assertRefused(actions, "{\"action\":\"assign\",\"actor\":1001,\"username\":\"alice\"}", 403,
        "Only a supervisor can /assign; the assignee can /reassign.");
    f.postUpdate(UpdateJson.text(update++, CHAT, 70, 71, ALICE, "/assign @alice", now()));
    Awaitility.await("the bot's answer alike").atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsIn(70)
        .contains("🚫 Only a supervisor can /assign; the assignee can /reassign."));
  }

  /** The action is refused with {@code status} and the bot's reason as the error. */
  private void assertRefused(String path, String body, int status, String reason) throws Exception {
    HttpResponse<String> res = f.post(path, body);
    assertThat(res.statusCode()).as(body).isEqualTo(status);
    assertThat(Json.mapper().readTree(res.body()).path("error").asText()).isEqualTo(reason);
  }
}
