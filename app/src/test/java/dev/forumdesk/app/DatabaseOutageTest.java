package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.log.LogCapture;
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
  void theMetricsAnswerWithinTwoSecondsDuringAnOutageWithTheDatabaseDownAndItsFiguresNaN() throws Exception {
    assertThat(get("/observe/metrics").body()).contains("forumdesk_database_up 1.0")
        .contains("forumdesk_inbox_backlog 0.0");

    stopPostgres();
    for (int scrape = 1; scrape <= 2; scrape++) {
      long start = System.nanoTime();
      HttpResponse<String> r = get("/observe/metrics");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("scrape %d", scrape).isLessThan(Duration.ofMillis(2_500));
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
    long start = System.nanoTime();
    HttpResponse<String> r = get("/observe/health");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3_500));
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
