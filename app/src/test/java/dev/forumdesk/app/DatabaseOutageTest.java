package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.log.LogCapture;
import dev.forumdesk.store.DatabaseCheck;
import dev.forumdesk.telegram.UpdateJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production store, PostgreSQL, stopped or restarted under a running app (audit 20b): the
 * metrics still answer at once and say the database is down, health names the cause, and the log
 * says what happened in a line or two, without stack traces.
 */
class DatabaseOutageTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  /** A first-response deadline that passes while PostgreSQL is stopped: the ticket's workflow writes then. */
  static final String YAML = AppFixture.ALICE_ONLY + """
      sla:
        first-response: PT4S
        priorities: {HIGH: {first-response: PT4S}, URGENT: {first-response: PT4S}}
      """;

  @TempDir Path dir;
  @RegisterExtension final LogCapture logged = LogCapture.root();
  RolesApart apart;
  AppFixture app;
  boolean stopped;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    DatabaseConnectionsFilterTest.forgetEarlierOutages();
    apart = RolesApart.start();
    app = apart.role(dir.resolve("app"), YAML, ForumdeskApp.Mode.RUN);
  }

  @AfterEach
  void stop() throws Exception {
    if (stopped) { // the app stops with its database up, as it would be after an outage
      apart.postgres.startAgain();
    }
    apart.closeWith(app);
  }

  private void stopPostgres() throws Exception {
    apart.postgres.stop();
    stopped = true;
  }

  private void startPostgres() throws Exception {
    apart.postgres.startAgain();
    stopped = false;
  }

  /**
   * F1: each database-backed gauge waited the pool's 5 s in turn, and a scrape took 45 s, far past
   * Prometheus' 10 s timeout: forumdesk_database_up 0 could not be scraped while it was true.
   */
  @Test
  void theMetricsAnswerWithinAScrapeTimeoutDuringAnOutageWithTheDatabaseDownAndItsFiguresNaN() throws Exception {
    assertThat(get("/observe/metrics").body()).contains("forumdesk_database_up 1.0")
        .contains("forumdesk_inbox_backlog 0.0");

    stopPostgres();
    Thread.sleep(DatabaseCheck.FRESH_FOR.toMillis() + 100); // past the answer the last scrape got
    for (int scrape = 1; scrape <= 2; scrape++) {
      long start = System.nanoTime();
      HttpResponse<String> r = get("/observe/metrics");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // within Prometheus' default 10 s scrape timeout (45 s before); the ~1 s it takes is a benchmark's matter
      assertThat(took).as("scrape %d", scrape).isLessThan(Duration.ofSeconds(8));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("forumdesk_database_up 0.0")
          .contains("forumdesk_inbox_backlog NaN")
          .contains("forumdesk_inbox_oldest_unapplied_seconds NaN")
          .contains("forumdesk_outbox_backlog NaN")
          .contains("forumdesk_outbox_unknown NaN")
          .contains("forumdesk_tickets_open{status=\"NEW\"} NaN")
          .contains("forumdesk_temporal_up 1.0");
    }

    startPostgres();
    Awaitility.await("the figures once PostgreSQL answers again").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(get("/observe/metrics").body()).contains("forumdesk_database_up 1.0")
            .contains("forumdesk_inbox_backlog 0.0").contains("forumdesk_tickets_open{status=\"NEW\"} 0.0"));
  }

  /** F5: the database-backed checks said "no answer within PT3S" although PostgreSQL refused at once. */
  @Test
  void healthNamesTheRefusedConnectionAsTheCause() throws Exception {
    stopPostgres();
    Thread.sleep(DatabaseCheck.FRESH_FOR.toMillis() + 100); // past an answer a readiness poll got
    long start = System.nanoTime();
    HttpResponse<String> r = get("/observe/health");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode checks = Json.mapper().readTree(r.body()).path("checks");
    String refused = "connection refused (127.0.0.1:" + apart.postgres.port() + ")";
    assertThat(checks.path("database").path("status").asText()).isEqualTo("DOWN");
    assertThat(checks.path("database").path("error").asText()).as(r.body()).isEqualTo(refused);
    for (String check : List.of("inbox", "outbox", "privateChats")) {
      assertThat(checks.path(check).path("status").asText()).as(check).isEqualTo("DOWN");
      assertThat(checks.path(check).path("error").asText()).as(check).isEqualTo("database unavailable: " + refused);
    }
    assertThat(checks.path("temporal").path("status").asText()).isEqualTo("UP");
  }

  /**
   * F2: a ticket's local activity that failed on the database logged a WARN with ~50 frames on
   * every try (1,732 stack lines in one outage), beside the pools' own stack traces. Now: no stack
   * trace, one line when the activities start failing and one when they go through again.
   */
  @Test
  void anOutageWhileATicketsDeadlinePassesLogsLinesNotStackTraces() throws Exception {
    app.postUpdate(UpdateJson.topicCreated(100, CHAT, 42, BOB, "Card blocked", UpdateJson.now()));
    app.awaitTicket("ticket-" + CHAT + "-42", t -> !t.path("createdAt").isNull());

    stopPostgres();
    // the first-response deadline passes (4 s) and the workflow's writes fail and are retried
    Thread.sleep(12_000);
    get("/observe/metrics");
    get("/observe/health");
    startPostgres();
    app.awaitTicket("ticket-" + CHAT + "-42", t -> t.path("sla").path("breaches").size() > 0);

    // the recovery line follows the activity that wrote the breach: it may come a moment after it shows
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> messages(logged.events(),
        "dev.forumdesk.worker.DatabaseOutages").stream().anyMatch(l -> l.startsWith("the database answers again")));
    List<ILoggingEvent> events = logged.events();
    assertThat(events).as("stack traces").filteredOn(e -> e.getThrowableProxy() != null)
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).isEmpty();
    assertThat(messages(events, "io.temporal.internal.activity")).as("the SDK's activity failures").isEmpty();
    assertThat(messages(events, "dev.forumdesk.worker.DatabaseOutages"))
        .as("the worker's own lines").hasSize(2)
        .satisfies(l -> assertThat(l.getFirst()).startsWith("the database is unavailable (")
            .contains("): the tickets' activities are retried until it answers"))
        .satisfies(l -> assertThat(l.getLast()).startsWith("the database answers again: the tickets' activities go on"));
    // the desk's loops (the outbox sender, the dispatcher, the monitors' looks, the waiting line): a line
    // each in words, not a WARN with the raw exception per pass (audit 21b F5)
    assertThat(events).as("raw exceptions in our lines").filteredOn(e -> e.getLoggerName().startsWith("dev.forumdesk.")
            && e.getFormattedMessage().matches("(?s).*(Exception|Error): .*"))
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).isEmpty();
    assertThat(events).as("each loop says it once").filteredOn(e -> e.getFormattedMessage().contains(
            ": the database is unavailable ("))
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).doesNotHaveDuplicates();
  }

  /**
   * F3: after a restart each pooled connection logged Hikari's WARN advising a shorter maxLifetime
   * (28 per role), which has nothing to do with it. Now one line says the connections were reset.
   */
  @Test
  void aRestartLogsOneLineThatTheConnectionsWereReset() throws Exception {
    app.postUpdate(UpdateJson.topicCreated(100, CHAT, 42, BOB, "Card blocked", UpdateJson.now()));
    app.awaitTicket("ticket-" + CHAT + "-42", t -> !t.path("createdAt").isNull());

    apart.postgres.restart();
    // the pools hand out their old connections: each use finds one the restart closed
    for (int i = 0; i < 20; i++) {
      get("/observe/health");
      get("/api/tickets");
      get("/observe/metrics");
    }
    // as Telegram does, again after a 503 (the inbox's write met a connection the restart closed)
    String update = UpdateJson.text(101, CHAT, 42, 4201, BOB, "Any news?", UpdateJson.now());
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> app.postUpdate(update).statusCode() == 200);
    app.awaitTicket("ticket-" + CHAT + "-42", t -> t.path("firstMessage").asText().equals("Any news?"));

    List<ILoggingEvent> events = logged.events();
    assertThat(events).filteredOn(e -> e.getFormattedMessage().contains("maxLifetime"))
        .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    assertThat(events).as("stack traces").filteredOn(e -> e.getThrowableProxy() != null)
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).isEmpty();
    assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith("the database closed the pools' connections"))
        .hasSize(1);
  }

  private static List<String> messages(List<ILoggingEvent> events, String loggerPrefix) {
    return events.stream().filter(e -> e.getLoggerName().startsWith(loggerPrefix))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** A GET that gives up after 10 s, Prometheus' default scrape timeout. */
  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(app.base() + path))
            .header("Authorization", "Bearer " + AppFixture.API_TOKEN)
            .timeout(Duration.ofSeconds(10))
            .GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
