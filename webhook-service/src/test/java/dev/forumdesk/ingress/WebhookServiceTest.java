package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /telegram/webhook against the real Helidon server and a real H2 inbox. */
class WebhookServiceTest {
  static final String SECRET = "s3cret_Token-1";
  static final long CHAT = -1001234567890L;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @TempDir Path dir;
  Database db;
  Inbox inbox;
  WebServer server;
  SimpleMeterRegistry metrics;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    startWith(List.of("127.0.0.0/8", "::1/128"));
  }

  void startWith(List<String> cidrs) {
    db = Database.embedded(dir);
    inbox = new Inbox(db);
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {chat-id: " + CHAT + "}");
    metrics = new SimpleMeterRegistry();
    Ingress ingress = new Ingress(inbox, new UpdateClassifier(config, (c, t) -> Optional.empty()), metrics, () -> {});
    server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(r -> r.register("/telegram", new WebhookService(ingress, Optional.of(SECRET), new CidrAllowList(cidrs))))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.stop();
    db.close();
  }

  HttpResponse<String> post(String body, String secret) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      b.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String topic(long updateId) {
    return UpdateJson.topicCreated(updateId, CHAT, 42, BOB, "Refund for order 7", 1_700_000_000L);
  }

  long rows() {
    return db.inboxJdbi().withHandle(h -> h.createQuery("select count(*) from inbox").mapTo(Long.class).one());
  }

  @Test
  void storesTheUpdateBeforeAnswering200() throws Exception {
    HttpResponse<String> r = post(topic(7), SECRET);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(inbox.pending(10)).singleElement().satisfies(row -> {
      assertThat(row.updateId()).isEqualTo(7);
      assertThat(row.ticketId()).isEqualTo("ticket--1001234567890-42");
      assertThat(row.kind()).isEqualTo("topic-created");
    });
  }

  @Test
  void missingOrWrongSecretIs401AndStoresNothing() throws Exception {
    assertThat(post(topic(1), null).statusCode()).isEqualTo(401);
    assertThat(post(topic(2), "wrong").statusCode()).isEqualTo(401);
    assertThat(post(topic(3), SECRET + "x").statusCode()).isEqualTo(401);
    assertThat(rows()).isZero();
    assertThat(metrics.counter("forumdesk_updates_total", "result", "unauthorized").count())
        .as("audit 12 F5: a rotated secret can be alerted on").isEqualTo(3.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "forbidden").count()).isZero();
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertThat(post("{not json", SECRET).statusCode()).isEqualTo(400);
    assertThat(post("{\"message\": {}}", SECRET).statusCode()).as("no update_id").isEqualTo(400);
    assertThat(post("[1,2]", SECRET).statusCode()).isEqualTo(400);
    assertThat(post("{\"update_id\":14} trailing garbage", SECRET).statusCode()).as("text after the update").isEqualTo(400);
    assertThat(post("{\"update_id\":2.7}", SECRET).statusCode()).as("no id, not update 2").isEqualTo(400);
    assertThat(rows()).isZero();
  }

  @Test
  void bodyOver1MiBIs413() throws Exception {
    assertThat(metrics.find("forumdesk_updates_total").tag("result", "too_large").counter())
        .as("present at 0 from the start, like unauthorized and forbidden").isNotNull()
        .satisfies(c -> assertThat(c.count()).isZero());
    String big = "{\"update_id\": 5, \"message\": {\"text\": \"" + "x".repeat(1024 * 1024) + "\"}}";
    assertThat(post(big, SECRET).statusCode()).isEqualTo(413);
    assertThat(rows()).isZero();
    assertThat(metrics.counter("forumdesk_updates_total", "result", "too_large").count())
        .as("audit 13 F9: an oversized body is counted").isEqualTo(1.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "malformed").count()).isZero();
    assertThat(metrics.counter("forumdesk_updates_total", "result", "unauthorized").count()).isZero();
  }

  @Test
  void duplicateUpdateIsAcceptedAndStoredOnce() throws Exception {
    assertThat(post(topic(9), SECRET).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post(topic(9), SECRET);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("duplicate");
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void updatesThatAreNotTicketsAre200AndNotQueued() throws Exception {
    String general = UpdateJson.general(11, CHAT, 500, BOB, "hello all", 1_700_000_000L);
    String otherChat = UpdateJson.topicCreated(12, -100777, 42, BOB, "elsewhere", 1_700_000_000L);
    String edited = "{\"update_id\":13,\"edited_message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"}}}";
    assertThat(post(general, SECRET).statusCode()).isEqualTo(200);
    assertThat(post(otherChat, SECRET).statusCode()).isEqualTo(200);
    assertThat(post(edited, SECRET).statusCode()).isEqualTo(200);
    // not asked for by default (webhook.allowed-updates), still taken if a team lists it
    String button = "{\"update_id\":14,\"callback_query\":{\"id\":\"q1\",\"from\":{\"id\":1001,\"is_bot\":false,"
        + "\"first_name\":\"Alice\"},\"data\":\"resolve\"}}";
    HttpResponse<String> pressed = post(button, SECRET);
    assertThat(pressed.statusCode()).isEqualTo(200);
    assertThat(pressed.body()).contains("ignored");
    assertThat(inbox.pending(10)).isEmpty();
    assertThat(rows()).as("kept to recognise redeliveries").isEqualTo(4);
  }

  @Test
  void sourceOutsideTheAllowedNetworksIs403() throws Exception {
    stop();
    startWith(List.of("149.154.160.0/20"));
    assertThat(post(topic(1), SECRET).statusCode()).isEqualTo(403);
    assertThat(rows()).isZero();
    assertThat(metrics.counter("forumdesk_updates_total", "result", "forbidden").count()).isEqualTo(1.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "unauthorized").count()).isZero();
  }

  @Test
  void databaseFailureIs503NeverA200() throws Exception {
    db.close();
    assertThat(post(topic(21), SECRET).statusCode()).isEqualTo(503);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "unavailable").count())
        .as("an operator can alert on refused updates: Telegram retries them, then gives up").isEqualTo(1.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "stored").count()).isZero();
    db = Database.embedded(dir); // reopen so teardown and a redelivery work
  }

  /**
   * Audit 21a, F2: a date that is no plausible time of a Telegram message (not positive, before
   * Telegram, minutes ahead of our clock, or past what an Instant holds) is stored as the time of
   * receipt: 200 and one effect, never a 503 that reads as an inbox outage, one WARN saying why.
   * A plausible date, however old, is kept.
   */
  @Test
  void anImplausibleDateIsStoredAsTheTimeOfReceipt() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ReceivedUpdate.class);
    var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logged.start();
    logger.addAppender(logged);
    try {
      long before = java.time.Instant.now().getEpochSecond();
      long[] odd = {1_000_000_000_000_000L, 9_000_000_000_000_000_000L, -1, 0, 1_000_000_000L, before + 3_600};
      for (int i = 0; i < odd.length; i++) {
        HttpResponse<String> r = post(UpdateJson.topicCreated(100 + i, CHAT, 50 + i, BOB, "Odd date", odd[i]), SECRET);
        assertThat(r.statusCode()).as("date %d", odd[i]).isEqualTo(200);
        assertThat(r.body()).contains("\"result\":\"stored\"");
      }
      String plausible = UpdateJson.privateEdited(200, 9, BOB, "edited", 1_400_000_000L, before + 60);
      assertThat(post(plausible, SECRET).statusCode()).isEqualTo(200);
      String oddEdit = UpdateJson.privateEdited(201, 9, BOB, "edited", 1_400_000_000L, -5);
      assertThat(post(oddEdit, SECRET).statusCode()).isEqualTo(200);
      long after = java.time.Instant.now().getEpochSecond();

      var dates = inbox.pending(20).stream()
          .map(row -> dev.forumdesk.json.Json.read(row.payload(), com.fasterxml.jackson.databind.JsonNode.class))
          .toList();
      assertThat(dates).hasSize(odd.length);
      assertThat(dates).allSatisfy(u -> assertThat(u.at("/message/date").asLong()).isBetween(before, after));
      assertThat(dates).extracting(u -> u.at("/message/forum_topic_created/name").asText()).containsOnly("Odd date");
      assertThat(metrics.counter("forumdesk_updates_total", "result", "stored").count()).isEqualTo(odd.length);
      assertThat(metrics.counter("forumdesk_updates_total", "result", "unavailable").count()).isZero();

      var edits = db.inboxJdbi().withHandle(h -> h.createQuery("select payload from inbox where update_id >= 200 order by update_id")
          .mapTo(String.class).list()).stream()
          .map(p -> dev.forumdesk.json.Json.read(p, com.fasterxml.jackson.databind.JsonNode.class)).toList();
      assertThat(edits).hasSize(2);
      assertThat(edits.get(0).at("/edited_message/date").asLong()).as("an old message edited now").isEqualTo(1_400_000_000L);
      assertThat(edits.get(0).at("/edited_message/edit_date").asLong()).isEqualTo(before + 60);
      assertThat(edits.get(1).at("/edited_message/date").asLong()).isEqualTo(1_400_000_000L);
      assertThat(edits.get(1).at("/edited_message/edit_date").asLong()).isBetween(before, after);

      var warnings = logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
          .map(e -> e.getFormattedMessage()).toList();
      assertThat(warnings).as("one line for each odd date, saying why").hasSize(odd.length + 1);
      assertThat(warnings.getFirst()).contains("update 100", "message.date 1000000000000000", "time of receipt");
      assertThat(warnings.getLast()).contains("update 201", "edited_message.edit_date -5");
      assertThat(warnings).noneMatch(w -> w.contains(SECRET));
    } finally {
      logger.detachAppender(logged);
    }
  }

  /**
   * Audit 21a, F5: a lone UTF-16 surrogate (the JSON escape backslash-u-d800, which is no UTF-8) in an update's
   * text was stored and sent on, and a Bot API that checks UTF-8 refused the acknowledgement and the
   * title edit. It is replaced by U+FFFD where the update comes in; a proper pair (an emoji written
   * as two escapes) and everything else stay as sent.
   */
  @Test
  void aLoneSurrogateInAnUpdatesTextIsStoredAsTheReplacementCharacter() throws Exception {
    // JSON escapes: the title's HIGH (d800) and LOW (dc00) are lone, so is the d83d in an unknown
    // field's name; y's escaped backslash before "ud800" is text
    String lone = UpdateJson.topicCreated(301, CHAT, 61, BOB, "lone HIGH surrogate, LOW too, at the end HIGH", UpdateJson.now())
        .replace("HIGH", "\\ud800").replace("LOW", "\\uDC00")
        .replace("{\"update_id\"", "{\"x_\\ud83d\":1,\"y\":\"\\\\ud800 is text\",\"update_id\"");
    String pair = UpdateJson.topicCreated(302, CHAT, 62, BOB, "emoji PAIR and \\ud800 as text", UpdateJson.now())
        .replace("PAIR", "\\ud83d\\ude00");
    assertThat(lone).contains("\"x_\\ud83d\":1").contains("lone \\ud800 surrogate");
    assertThat(post(lone, SECRET).statusCode()).isEqualTo(200);
    assertThat(post(pair, SECRET).statusCode()).isEqualTo(200);

    var rows = inbox.pending(10);
    assertThat(rows).hasSize(2);
    var stored = dev.forumdesk.json.Json.read(rows.get(0).payload(), dev.forumdesk.telegram.Update.class);
    assertThat(stored.message().forumTopicCreated().name())
        .isEqualTo("lone \uFFFD surrogate, \uFFFD too, at the end \uFFFD");
    assertThat(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(rows.get(0).payload()))
        .as("the whole stored update is valid UTF-8").isTrue();
    var tree = dev.forumdesk.json.Json.read(rows.get(0).payload(), com.fasterxml.jackson.databind.JsonNode.class);
    assertThat(tree.path("y").asText()).as("an escaped backslash is no surrogate").isEqualTo("\\ud800 is text");
    assertThat(tree.has("x_\uFFFD")).isTrue();
    assertThat(rows.get(1).payload()).as("a proper pair is stored as sent").isEqualTo(pair);
    assertThat(dev.forumdesk.json.Json.read(rows.get(1).payload(), dev.forumdesk.telegram.Update.class)
        .message().forumTopicCreated().name()).isEqualTo("emoji \uD83D\uDE00 and \\ud800 as text");
  }

  @Test
  void onlyPostIsServed() throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isIn(404, 405);
  }

  /**
   * Audit 21a F3: every refused call logged an INFO line, and anyone on the Internet can be refused (712
   * lines for 712 calls). Each is counted; the log says each reason at most once a minute, with how many.
   */
  @Test
  void refusedCallsAreCountedEachAndLoggedOncePerReason() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(WebhookService.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      for (int i = 0; i < 6; i++) {
        assertThat(post(topic(1), "wrong").statusCode()).isEqualTo(401);
      }
      String big = "{\"update_id\": 5, \"message\": {\"text\": \"" + "x".repeat(1024 * 1024) + "\"}}";
      for (int i = 0; i < 3; i++) {
        assertThat(post(big, SECRET).statusCode()).isEqualTo(413);
      }
    } finally {
      logger.detachAppender(lines);
    }
    assertThat(metrics.counter("forumdesk_updates_total", "result", "unauthorized").count()).isEqualTo(6.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "too_large").count()).isEqualTo(3.0);
    assertThat(lines.list).extracting(e -> e.getFormattedMessage()).containsExactly(
        "webhook refused: missing or wrong secret token header (401; said at most once a minute for this reason,"
            + " 1 such call since it was last said)",
        "webhook refused: body larger than 1 MiB (413; said at most once a minute for this reason,"
            + " 1 such call since it was last said)");
  }

  /** Headers of a webhook call with the right secret and {@code declared} as its Content-Length, and {@code sent}. */
  java.net.Socket callWithBody(long declared, String sent) throws Exception {
    java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
    s.setSoTimeout(60_000); // a hang fails the test rather than holding it
    s.getOutputStream().write(("POST /telegram/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "X-Telegram-Bot-Api-Secret-Token: " + SECRET + "\r\nContent-Length: " + declared + "\r\n\r\n" + sent)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /**
   * Audit 21a F4: a call whose connection closes before its body is whole was counted and logged as a body
   * over 1 MiB (300 cut-off calls: too_large 304). It is an outcome of its own, aborted; too_large stays
   * what it says.
   */
  @Test
  void aBodyCutOffByItsConnectionIsAbortedNotTooLarge() throws Exception {
    for (int i = 0; i < 3; i++) {
      callWithBody(100_000, "{").close();
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60); // generous: not a speed check
    while (metrics.counter("forumdesk_updates_total", "result", "aborted").count() < 3.0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(metrics.counter("forumdesk_updates_total", "result", "aborted").count()).as("the three calls read")
        .isEqualTo(3.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "too_large").count()).isZero();
    assertThat(rows()).isZero();
    assertThat(post(topic(8), SECRET).statusCode()).as("still serving").isEqualTo(200);
  }

  /**
   * Audit 21a F4: a declared Content-Length over 1 MiB is answered 413 before anything of the body is read;
   * the server waited for the 5 MB (40 s, until the client gave up). (The server drains what follows rather
   * than close at once: a close with the body unread resets the connection, and a client still sending, as
   * EndToEndTest's 1 MiB post is, may lose the 413.)
   */
  @Test
  void aDeclaredLengthOver1MiBIs413AtOnceWithoutReadingTheBody() throws Exception {
    try (java.net.Socket s = callWithBody(5_000_000, "{\"update_id\":")) {
      String answer = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 413");
    }
    assertThat(metrics.counter("forumdesk_updates_total", "result", "too_large").count()).isEqualTo(1.0);
    assertThat(metrics.counter("forumdesk_updates_total", "result", "aborted").count()).isZero();
  }
}
