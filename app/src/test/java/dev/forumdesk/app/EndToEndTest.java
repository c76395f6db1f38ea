package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.UpdateJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook → inbox → Temporal → read model → API, and the ack through the outbox, in one JVM. */
class EndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");

  @TempDir Path dir;
  AppFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture(dir);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aNewTopicBecomesATicketVisibleInTheApiAndIsAcknowledgedOnce() throws Exception {
    long now = UpdateJson.now();
    assertThat(f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, BOB, "Refund for order 7", now)).statusCode())
        .isEqualTo(200);
    assertThat(f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, BOB, "Refund for order 7", now)).statusCode())
        .as("Telegram's redelivery").isEqualTo(200);

    JsonNode t = f.awaitTicket("ticket--1001234567890-42", x -> x.path("status").asText().equals("NEW"));
    assertThat(t.path("title").asText()).isEqualTo("Refund for order 7");
    assertThat(t.path("chatId").asLong()).isEqualTo(CHAT);
    assertThat(t.path("threadId").asLong()).isEqualTo(42);
    assertThat(t.path("customer").path("username").asText()).isEqualTo("bob");
    // phase 2 moves it from the general queue to billing within moments
    t = f.awaitTicket("ticket--1001234567890-42", x -> x.path("routing").path("phase").asText().equals("ROUTED"));
    assertThat(t.path("queue").asText()).isEqualTo("billing");
    assertThat(t.path("priority").asText()).isEqualTo("NORMAL");
    assertThat(t.path("createdAt").asText()).isNotEmpty();
    assertThat(t.path("sla").path("firstResponseDue").asText()).isNotEmpty();
    assertThat(t.path("audit").get(0).path("event").asText()).isEqualTo("OPENED");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !f.telegram.sent().isEmpty());
    Thread.sleep(1500); // a second ack would have arrived by now
    assertThat(f.telegram.sent()).singleElement().satisfies(call -> {
      assertThat(call.params().path("chat_id").asLong()).isEqualTo(CHAT);
      assertThat(call.params().path("message_thread_id").asLong()).isEqualTo(42);
      assertThat(call.params().path("parse_mode").asText()).isEqualTo("HTML");
      assertThat(call.params().path("text").asText()).contains("Refund for order 7");
    });
    assertThat(f.telegram.calls("setWebhook")).singleElement()
        .satisfies(c -> assertThat(c.params().path("secret_token").asText()).isEqualTo(AppFixture.SECRET));
  }

  /**
   * Audit 8, F5, through the real workflow: a ticket routed to billing and moved to Level 2 by
   * /escalate is in the level2 queue now, but still billing's in the ticket JSON ({@code
   * routedQueue}), the {@code ?queue=billing} filter and the day's report; {@code ?level=2} finds it.
   */
  @Test
  void aTicketEscalatedToLevel2StaysInTheQueueItWasRoutedToForTheListAndTheReport() throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, BOB, "Refund for order 7", now));
    f.postUpdate(UpdateJson.text(2, CHAT, 42, 43, BOB, "I was charged twice, please refund one", now));
    f.awaitTicket("ticket--1001234567890-42", x -> x.path("routing").path("phase").asText().equals("ROUTED"));
    f.postUpdate(UpdateJson.text(3, CHAT, 42, 44, ALICE, "/escalate needs the payment provider", now));
    JsonNode t = f.awaitTicket("ticket--1001234567890-42", x -> x.path("level").asInt() == 2);
    assertThat(t.path("queue").asText()).isEqualTo("level2");
    assertThat(t.path("routedQueue").asText()).isEqualTo("billing");

    assertThat(f.json("/api/tickets?queue=billing").findValuesAsText("threadId")).containsExactly("42");
    assertThat(f.json("/api/tickets?level=2").findValuesAsText("threadId")).containsExactly("42");
    assertThat(f.json("/api/tickets?level=1").size()).isZero();
    JsonNode report = f.json("/api/reports/sla?date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    assertThat(report.path("byQueue").fieldNames()).toIterable().containsExactly("billing");
    assertThat(report.path("byLevel").path("2").path("tickets").asInt()).isEqualTo(1);

    // audit 9, F10: /status's card too, which the one who asked gets by DM (the customer reads the topic)
    f.postUpdate(UpdateJson.text(4, CHAT, 42, 45, ALICE, "/status", now));
    Awaitility.await("Alice's card").atMost(Duration.ofSeconds(15)).until(() -> f.telegram.sent().stream()
        .anyMatch(c -> c.params().path("chat_id").asLong() == ALICE.id() && c.params().path("text").asText().contains("Priority: ")));
    assertThat(f.telegram.sent()).filteredOn(c -> c.params().path("chat_id").asLong() == ALICE.id())
        .map(c -> c.params().path("text").asText()).filteredOn(x -> x.contains("Priority: ")).singleElement()
        .satisfies(card -> assertThat(card).contains("Level 2 · Queue billing").doesNotContain("Queue level2"));
  }

  @Test
  void aTopicFirstSeenByAMessageKeepsTheNameItWasCreatedWith() throws Exception {
    // no forum_topic_created reached us (the bot was added later): the first message is all we see
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 310, 311, BOB, "Login fails", "Invoice question for March", now));

    JsonNode t = f.awaitTicket("ticket--1001234567890-310", x -> x.path("assignee").hasNonNull("name"));
    assertThat(t.path("title").asText()).isEqualTo("Login fails");
    assertThat(t.path("firstMessage").asText()).isEqualTo("Invoice question for March");
    assertThat(t.path("audit").get(0).path("reason").asText()).isEqualTo("topic created: Login fails");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !f.telegram.calls("editForumTopic").isEmpty());
    assertThat(f.telegram.calls("editForumTopic").getFirst().params().path("name").asText())
        .isEqualTo("[" + t.path("assignee").path("name").asText() + "] Login fails");
  }

  @Test
  void aPersonsRenameOfAnAssignedTopicGetsItsAssigneesTagBackOnce() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-320";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 320, 321, BOB, "Refund", "I was charged twice", now));
    JsonNode t = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("name"));
    String tag = "[" + t.path("assignee").path("name").asText() + "] ";
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> f.telegram.calls("editForumTopic").size() == 1);

    f.postUpdate(UpdateJson.topicEdited(2, CHAT, 320, 322, BOB, "Refund for order 7", now));
    Awaitility.await("the lock is put back").atMost(Duration.ofSeconds(10))
        .until(() -> f.telegram.calls("editForumTopic").size() == 2);
    assertThat(f.telegram.calls("editForumTopic").getLast().params().path("name").asText())
        .isEqualTo(tag + "Refund for order 7");
    // Telegram reports the bot's own edit as a rename too: tagged, it changes nothing
    f.postUpdate(UpdateJson.topicEdited(3, CHAT, 320, 323, BOB, tag + "Refund for order 7", now));
    f.postUpdate(UpdateJson.text(4, CHAT, 320, 324, ALICE, "Looking into it", now)); // after the echo
    JsonNode answered = f.awaitTicket(id, x -> x.hasNonNull("firstResponseAt"));
    assertThat(answered.path("title").asText()).isEqualTo("Refund for order 7");
    assertThat(answered.path("audit").findValuesAsText("event")).containsOnlyOnce("RENAMED");
    Thread.sleep(1500); // another edit would have been sent by now
    assertThat(f.telegram.calls("editForumTopic")).hasSize(2);
  }

  @Test
  void aSetWebhookTelegramFailsAtStartIsRetriedAndHealthIsDownUntilTheWebhookIsOurs() throws Exception {
    f.close();
    f = new AppFixture(dir.resolve("retry"), AppFixture.CONFIG, java.util.Map.of(),
        telegram -> telegram.failNext("setWebhook", 2, 502));
    JsonNode down = Json.mapper().readTree(f.get("/observe/health").body());
    assertThat(down.path("status").asText()).isEqualTo("DOWN");
    assertThat(down.toString()).contains("not set in Telegram");

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .until(() -> f.telegram.webhookUrl().equals("https://forumdesk.example.test/telegram/webhook"));
    assertThat(f.telegram.calls("setWebhook")).hasSize(3);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40)) // getWebhookInfo is cached 30 s
        .until(() -> f.get("/observe/health").statusCode() == 200);
  }

  @Test
  void anActionsTextIsBoundedBeforeItReachesTheTopicOrTheAudit() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 70, BOB, "Long reasons", UpdateJson.now()));
    String id = "ticket-" + CHAT + "-70";
    f.awaitTicket(id, x -> !x.path("createdAt").isNull());

    HttpResponse<String> huge = f.post("/api/tickets/" + id + "/actions",
        "{\"action\":\"hold\",\"actor\":1001,\"reason\":\"" + "a".repeat(3_000_000) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);
    HttpResponse<String> long_ = f.post("/api/tickets/" + id + "/actions",
        "{\"action\":\"hold\",\"actor\":1001,\"reason\":\"" + "a".repeat(1_001) + "\"}");
    assertThat(long_.statusCode()).isEqualTo(400);
    assertThat(long_.body()).contains("the reason is 1001 characters; at most 1000");
    assertThat(f.json("/api/tickets/" + id).path("status").asText()).isEqualTo("NEW");
    assertThat(f.post("/api/tickets/" + id + "/actions",
        "{\"action\":\"hold\",\"actor\":1001,\"reason\":\"" + "a".repeat(1_000) + "\"}").statusCode()).isEqualTo(200);
  }

  /**
   * Audit 16, F4: on hold the dues are null (the SLA is paused), and the ticket JSON says what each
   * clock has left instead, exactly what the workflow kept at the hold (the due before it less the
   * hold's moment) and what the resume starts from. An unanswered ticket: first response and
   * resolution; an answered one whose customer wrote again: next response and resolution.
   */
  @Test
  void aHeldTicketsJsonSaysWhatEachClockHasLeftAndTheResumeStartsFromThat() throws Exception {
    String unanswered = "ticket-" + CHAT + "-90";
    String waiting = "ticket-" + CHAT + "-92";
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 90, BOB, "Question about my plan", now));
    f.postUpdate(UpdateJson.topicCreated(2, CHAT, 92, BOB, "Another question about my plan", now));
    f.postUpdate(UpdateJson.text(3, CHAT, 92, 93, ALICE, "Which plan is it?", now));
    f.postUpdate(UpdateJson.text(4, CHAT, 92, 94, BOB, "The yearly one", now + 1));
    JsonNode a = f.awaitTicket(unanswered, x -> x.path("routing").path("phase").asText().equals("ROUTED"));
    JsonNode b = f.awaitTicket(waiting, x -> x.path("routing").path("phase").asText().equals("ROUTED")
        && !x.path("sla").path("nextResponseDue").isNull());
    assertThat(a.path("sla").path("firstResponseRemaining").isNull()).as("running: a due, nothing paused").isTrue();
    assertThat(a.path("sla").has("firstResponseRemaining")).as("the key is there, null").isTrue();

    for (String id : new String[] {unanswered, waiting}) {
      assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"hold\",\"actor\":1001}").statusCode()).isEqualTo(200);
    }
    JsonNode heldA = f.awaitTicket(unanswered, x -> x.path("status").asText().equals("ON_HOLD"));
    JsonNode heldB = f.awaitTicket(waiting, x -> x.path("status").asText().equals("ON_HOLD"));

    JsonNode slaA = heldA.path("sla");
    assertThat(slaA.path("paused").asBoolean()).isTrue();
    assertThat(slaA.path("firstResponseDue").isNull()).as("paused: no due").isTrue();
    assertThat(slaA.path("resolutionDue").isNull()).isTrue();
    Instant holdA = lastAt(heldA, "ON_HOLD");
    Duration firstLeft = Duration.parse(slaA.path("firstResponseRemaining").asText());
    assertThat(firstLeft).as("what the first-response clock had at the hold")
        .isEqualTo(Duration.between(holdA, Instant.parse(a.path("sla").path("firstResponseDue").asText())))
        .isBetween(Duration.ofMinutes(20), Duration.ofMinutes(30));
    assertThat(Duration.parse(slaA.path("resolutionRemaining").asText()))
        .isEqualTo(Duration.between(holdA, Instant.parse(a.path("sla").path("resolutionDue").asText())));
    assertThat(slaA.path("nextResponseRemaining").isNull()).as("not running").isTrue();

    JsonNode slaB = heldB.path("sla");
    Instant holdB = lastAt(heldB, "ON_HOLD");
    assertThat(slaB.path("firstResponseRemaining").isNull()).as("answered").isTrue();
    assertThat(Duration.parse(slaB.path("nextResponseRemaining").asText()))
        .isEqualTo(Duration.between(holdB, Instant.parse(b.path("sla").path("nextResponseDue").asText())))
        .isBetween(Duration.ofHours(1), Duration.ofHours(2));
    assertThat(Duration.parse(slaB.path("resolutionRemaining").asText()))
        .isEqualTo(Duration.between(holdB, Instant.parse(b.path("sla").path("resolutionDue").asText())));
    // the list (the dashboard's source) carries them too
    JsonNode listed = f.json("/api/tickets?status=ON_HOLD");
    assertThat(listed).anySatisfy(x -> {
      assertThat(x.path("id").asText()).isEqualTo(unanswered);
      assertThat(x.path("sla").path("firstResponseRemaining").asText()).isEqualTo(slaA.path("firstResponseRemaining").asText());
    });

    assertThat(f.post("/api/tickets/" + unanswered + "/actions", "{\"action\":\"resume\",\"actor\":1001}").statusCode()).isEqualTo(200);
    JsonNode resumed = f.awaitTicket(unanswered, x -> !x.path("sla").path("paused").asBoolean());
    Instant resumedAt = lastAt(resumed, "RESUMED");
    assertThat(Instant.parse(resumed.path("sla").path("firstResponseDue").asText())).as("the resume starts from what was left")
        .isEqualTo(resumedAt.plus(firstLeft));
    assertThat(resumed.path("sla").path("firstResponseRemaining").isNull()).isTrue();
    assertThat(resumed.path("sla").path("resolutionRemaining").isNull()).isTrue();
  }

  private static Instant lastAt(JsonNode ticket, String event) {
    Instant at = null;
    for (JsonNode e : ticket.path("audit")) {
      if (e.path("event").asText().equals(event)) {
        at = Instant.parse(e.path("at").asText());
      }
    }
    assertThat(at).as(event + " in the audit").isNotNull();
    return at;
  }

  @Test
  void onATemporalServerWithoutTheTicketSearchAttributesTicketsStillRun() throws Exception {
    f.close();
    // a "cluster" that has no Ticket* search attributes (and cannot list them): another embedded server
    try (var cluster = dev.forumdesk.worker.EmbeddedTemporal.start(0)) {
      f = new AppFixture(dir.resolve("cluster"), AppFixture.CONFIG, java.util.Map.of("TEMPORAL_ADDRESS", cluster.target()));
      f.postUpdate(UpdateJson.text(1, CHAT, 80, 81, BOB, "I need a refund for order 7", UpdateJson.now()));
      JsonNode t = f.awaitTicket("ticket-" + CHAT + "-80", x -> !x.path("assignee").isNull());
      assertThat(t.path("routing").path("phase").asText()).isEqualTo("ROUTED");
      f.close();
      f = null;
    }
  }

  @Test
  void theApiAnswersADatabaseOutageWith503InJson() throws Exception {
    f.app().database().close(); // as a full disk or a stopped PostgreSQL leaves it
    HttpResponse<String> r = f.get("/api/tickets");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Json.mapper().readTree(r.body()).path("error").asText()).isEqualTo("database unavailable, retry later");
  }

  @Test
  void anAgentsCommandInTheGeneralTopicIsAnsweredThereOnce() throws Exception {
    var alice = new UpdateJson.Sender(1001, "Alice", "alice", "en");
    f.postUpdate(UpdateJson.general(1, CHAT, 9, alice, "/status", UpdateJson.now()));
    f.postUpdate(UpdateJson.general(1, CHAT, 9, alice, "/status", UpdateJson.now())); // redelivered
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> f.telegram.sent().stream()
        .anyMatch(c -> !c.params().has("message_thread_id") && c.params().path("text").asText().contains("General topic")));
    Thread.sleep(500);
    assertThat(f.telegram.sent()).filteredOn(c -> c.params().path("text").asText().contains("General topic")).hasSize(1);
    assertThat(f.json("/api/tickets")).isEmpty();
  }

  @Test
  void agentReplyMovesTheTicketToInProgress() throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 50, BOB, "Login fails", now));
    f.postUpdate(UpdateJson.text(2, CHAT, 50, 51, BOB, "I cannot log in", now));
    f.postUpdate(UpdateJson.text(3, CHAT, 50, 52, ALICE, "Let me check", now + 5));

    JsonNode t = f.awaitTicket("ticket--1001234567890-50", x -> x.path("status").asText().equals("IN_PROGRESS"));
    assertThat(t.path("firstResponseAt").isNull()).isFalse();
    assertThat(t.path("firstMessage").asText()).isEqualTo("I cannot log in");
  }

  @Test
  void apiNeedsTheBearerTokenAndAnswers404ForUnknownTickets() throws Exception {
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(f.base() + "/api/tickets")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(f.get("/api/tickets/ticket-1-2").statusCode()).isEqualTo(404);
    assertThat(f.get("/api/tickets?status=BANANA").statusCode()).isEqualTo(400);
    HttpClient http = HttpClient.newHttpClient();
    java.util.function.Function<String, Integer> as = header -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(f.base() + "/api/tickets")).header("Authorization", header)
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    assertThat(as.apply("bearer " + AppFixture.API_TOKEN)).as("the scheme in any case").isEqualTo(200);
    assertThat(as.apply("Basic " + AppFixture.API_TOKEN)).isEqualTo(401);
    assertThat(as.apply("Bearer " + AppFixture.API_TOKEN + "x")).isEqualTo(401);
    assertThat(as.apply("Bearer")).isEqualTo(401);
    HttpResponse<String> huge = f.get("/api/tickets?limit=99999999999");
    assertThat(huge.statusCode()).as("a number, more than are listed: the most").isEqualTo(200);
    assertThat(f.get("/api/tickets?limit=999999999999999999999").statusCode()).as("beyond a long too")
        .isEqualTo(200);
    assertThat(f.get("/api/tickets?limit=lots").body())
        .contains("limit must be a whole number of at least 1 (at most 1000 are listed), got \\\"lots\\\"");
  }

  @Test
  void aKnownPathWithAWrongMethodIs405ListingItsMethodsAndAnUnknownPathStays404() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    record Case(String method, String path, String allow) {}
    for (Case c : java.util.List.of(new Case("PUT", "/telegram/webhook", "POST"),
        new Case("GET", "/telegram/webhook", "POST"), new Case("DELETE", "/api/tickets", "GET"),
        new Case("POST", "/observe/health", "GET"), new Case("PUT", "/api/tickets/ticket-1-2/actions", "POST"))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(f.base() + c.path()))
              .header("Authorization", "Bearer " + AppFixture.API_TOKEN)
              .header("X-Telegram-Bot-Api-Secret-Token", AppFixture.SECRET)
              .method(c.method(), HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c.method() + " " + c.path()).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(c.method() + " " + c.path()).contains(c.allow());
      assertThat(dev.forumdesk.json.Json.mapper().readTree(r.body()).path("error").asText())
          .startsWith(c.method() + " not allowed");
    }
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(f.base() + "/api/nothing"))
        .header("Authorization", "Bearer " + AppFixture.API_TOKEN)
        .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> nothing = f.get("/nothing");
    assertThat(nothing.statusCode()).isEqualTo(404);
    assertThat(nothing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(dev.forumdesk.json.Json.mapper().readTree(nothing.body()).path("error").asText())
        .isEqualTo("no such endpoint: GET /nothing");
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(f.base() + "/api/tickets"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).as("the bearer check comes first").isEqualTo(401);
  }

  /** The raw answer to {@code GET target} sent as is (java.net.http would refuse a bad %XX itself). */
  static String raw(AppFixture f, String target) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", URI.create(f.base()).getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + AppFixture.API_TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * What Helidon refuses before any route (a bad percent-encoding, an overlong path) carries the
   * usual JSON error body too, not an empty one.
   */
  @Test
  void errorsHelidonAnswersBeforeTheRoutesHaveAJsonBody() throws Exception {
    for (String target : java.util.List.of("/api/tickets/%ZZ", "/api/tickets?status=%ZZ", "/" + "a".repeat(20_000))) {
      String answer = raw(f, target);
      String label = target.substring(0, Math.min(30, target.length()));
      assertThat(answer).as(label).matches("(?s)HTTP/1\\.1 (400|414) .*");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).as(label).contains("content-type: application/json");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(Json.mapper().readTree(body).path("error").asText()).as(label).isNotBlank();
    }
    assertThat(raw(f, "/" + "a".repeat(20_000))).startsWith("HTTP/1.1 414").contains("URI too long");
    assertThat(raw(f, "/api/tickets/%ZZ")).startsWith("HTTP/1.1 400").contains("percent-encoding");
  }

  @Test
  void healthReportsTemporalAndDatabase() throws Exception {
    HttpResponse<String> r = f.get("/observe/health");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode h = dev.forumdesk.json.Json.mapper().readTree(r.body());
    assertThat(h.path("status").asText()).isEqualTo("UP");
    assertThat(h.path("checks").path("temporal").path("status").asText()).isEqualTo("UP");
    assertThat(h.path("checks").path("database").path("status").asText()).isEqualTo("UP");
    assertThat(h.path("checks").path("telegram").path("pendingUpdateCount").asLong()).isZero();
    assertThat(f.get("/observe/metrics").body()).contains("forumdesk_");
  }

  /** README's series are there at 0 before their first event: an alert on their increase sees 0, not "no data". */
  @Test
  void theCountersExistBeforeTheirFirstEvent() throws Exception {
    String metrics = f.get("/observe/metrics").body();
    assertThat(metrics).contains(
        "forumdesk_inbox_retries_total 0.0",
        "forumdesk_inbox_delivered_total",
        "forumdesk_updates_total{result=\"malformed\"} 0.0",
        "forumdesk_updates_total{result=\"backlog_full\"} 0.0",
        "forumdesk_updates_total{result=\"unavailable\"} 0.0",
        "forumdesk_sla_breaches_total{clock=\"first-response\"} 0.0",
        "forumdesk_sla_breaches_total{clock=\"next-response\"} 0.0",
        "forumdesk_sla_breaches_total{clock=\"resolution\"} 0.0");
    assertThat(metrics).as("README: the outbox counters are there at 0 from the start").contains(OUTBOX_AT_ZERO);
    assertThat(metrics).contains("forumdesk_inbox_delivery_delay_seconds_count 0");
  }

  /**
   * Audit 12, F5: 17 of the 34 {@code # HELP} lines were empty, and a refused webhook call was
   * counted nowhere. Every Forumdesk series says what it counts, and a wrong secret is counted.
   * Audit 13, F9: a body over 1 MiB (413) is counted too, as {@code result="too_large"}.
   */
  @Test
  void everyForumdeskMetricIsDescribedAndAWrongSecretIsCounted() throws Exception {
    double before = unauthorized(f.get("/observe/metrics").body());
    HttpResponse<String> refused = f.post("/telegram/webhook", "{\"update_id\":1}",
        java.util.Map.of("X-Telegram-Bot-Api-Secret-Token", "rotated"));
    assertThat(refused.statusCode()).isEqualTo(401);
    String metrics = f.get("/observe/metrics").body();
    assertThat(unauthorized(metrics)).as("a rotated secret can be alerted on").isEqualTo(before + 1);
    assertThat(metrics).contains("forumdesk_updates_total{result=\"forbidden\"} 0.0");
    assertThat(metrics).as("present from the start").contains("forumdesk_updates_total{result=\"too_large\"} ");
    double tooLarge = counted(metrics, "too_large");
    HttpResponse<String> huge = f.post("/telegram/webhook", "{\"update_id\":2,\"message\":{\"text\":\""
        + "x".repeat(1024 * 1024) + "\"}}", java.util.Map.of("X-Telegram-Bot-Api-Secret-Token", AppFixture.SECRET));
    assertThat(huge.statusCode()).isEqualTo(413);
    metrics = f.get("/observe/metrics").body();
    assertThat(counted(metrics, "too_large")).as("audit 13 F9: a body over 1 MiB is counted").isEqualTo(tooLarge + 1);
    assertThat(metrics).contains("# HELP forumdesk_updates_total ").contains("too_large (body over 1 MiB, 413)");
    java.util.List<String> help = metrics.lines().filter(l -> l.startsWith("# HELP forumdesk_")).toList();
    assertThat(help).hasSizeGreaterThan(30);
    assertThat(help).as("no forumdesk_ metric without a description")
        .allSatisfy(l -> assertThat(l.split(" ", 4)).hasSize(4).satisfies(p -> assertThat(p[3]).isNotBlank()));
  }

  private static double unauthorized(String metrics) {
    return counted(metrics, "unauthorized");
  }

  /** {@code forumdesk_updates_total{result=...}}'s value in a scrape; 0 when the series is missing. */
  private static double counted(String metrics, String result) {
    String series = "forumdesk_updates_total{result=\"" + result + "\"} ";
    return metrics.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
        .findFirst().orElse(0);
  }

  /** The outbox sender's counters, in every role (each has a sender): an alert on their increase reads 0. */
  static final String[] OUTBOX_AT_ZERO = {
    "forumdesk_outbox_sent_total 0.0", "forumdesk_outbox_429_total 0.0", "forumdesk_outbox_rejected_total 0.0",
    "forumdesk_outbox_retries_total 0.0", "forumdesk_outbox_interrupted_total 0.0", "forumdesk_outbox_timeouts_total 0.0",
    "forumdesk_outbox_coalesced_total 0.0"
  };

  /**
   * Every series README names is one /observe/metrics exposes under that very name (a Micrometer
   * timer's {@code _seconds_count}, not the name it was registered with), so a dashboard or alert
   * written from README finds it. {@code forumdesk_outbox_{sent,429}_total} is two names; a brace after
   * a whole name is its labels.
   */
  @Test
  void everyMetricReadmeNamesIsExposedUnderThatName() throws Exception {
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    java.util.Set<String> named = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(forumdesk_[a-z0-9_]*)(?:\\{([a-z0-9_,]+)\\}([a-z0-9_]*))?").matcher(readme);
    while (m.find()) {
      String stem = m.group(1);
      if (!stem.endsWith("_")) { // a whole name, and its labels if any
        named.add(stem);
      } else {
        for (String part : m.group(2).split(",")) {
          named.add(stem + part + m.group(3));
        }
      }
    }
    // a series that exists only in another role or after a while, as README says next to it
    named.removeAll(java.util.Set.of(
        "forumdesk_worker_pollers", // webhook role only
        // with an external help desk only (HelpDeskEndToEndTest checks them)
        "forumdesk_helpdesk_sync_failures_total", "forumdesk_helpdesk_unsynced", "forumdesk_helpdesk_last_success_seconds",
        "forumdesk_alert_active", "forumdesk_alerts_total")); // from the alert monitor's first look, 30 s in
    assertThat(named).contains("forumdesk_inbox_delivery_delay_seconds_count", "forumdesk_outbox_429_total");
    java.util.Set<String> exposed = new java.util.HashSet<>();
    for (String line : f.get("/observe/metrics").body().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exposed.add(line.split("[{ ]", 2)[0]);
      }
    }
    assertThat(exposed).as("README's metric names").containsAll(named);
  }
}
