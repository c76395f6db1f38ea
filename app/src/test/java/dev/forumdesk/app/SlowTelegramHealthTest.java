package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Telegram slow to answer getWebhookInfo: /observe/health and /observe/metrics still answer at once
 * (Telegram's last answer, marked stale), and the health polls, the metrics scrape and the monitors
 * that come meanwhile share one call to Telegram rather than make one each.
 */
class SlowTelegramHealthTest extends AppOnADataDir {
  static final String CONFIG = AppFixture.CONFIG + """
      alerts:
        check-every: PT1S
      """;
  static final Duration SLOW = Duration.ofSeconds(6);

  @Test
  void healthAnswersWithTelegramsLastAnswerAndConcurrentPollsShareOneCall() throws Exception {
    f = new AppFixture(dir, CONFIG, Map.of());
    Awaitility.await("health UP").atMost(Duration.ofSeconds(20))
        .until(() -> telegram(f.get("/observe/health")).path("status").asText().equals("UP"));

    f.telegram.slow("getWebhookInfo", SLOW);
    int before = f.telegram.arrived("getWebhookInfo");
    Thread.sleep(1_200); // the answer health has is older than alerts.check-every now

    List<Callable<Timed>> polls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      polls.add(() -> timed("/observe/health"));
    }
    polls.add(() -> timed("/observe/metrics"));
    List<Timed> answers = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Timed> answer : pool.invokeAll(polls)) {
        answers.add(answer.get());
      }
    }
    int calls = f.telegram.arrived("getWebhookInfo") - before;

    for (Timed t : answers.subList(0, 5)) {
      assertThat(t.took()).as("health waits %s at most for Telegram", Duration.ofSeconds(1))
          .isLessThan(Duration.ofMillis(2_500));
      assertThat(t.response().statusCode()).as(t.response().body()).isEqualTo(200);
      JsonNode telegram = telegram(t.response());
      assertThat(telegram.path("status").asText()).as(t.response().body()).isEqualTo("DEGRADED");
      assertThat(telegram.path("stale").asBoolean()).isTrue();
      assertThat(telegram.path("readSecondsAgo").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(telegram.path("pendingUpdateCount").asLong()).isZero();
      assertThat(telegram.path("warning").asText()).startsWith("getWebhookInfo did not answer within 1 s");
    }
    Timed metrics = answers.get(5);
    assertThat(metrics.took()).as("a metrics scrape waits as long").isLessThan(Duration.ofMillis(2_500));
    assertThat(metrics.response().body()).contains("forumdesk_telegram_pending_updates 0.0");
    assertThat(calls).as("one getWebhookInfo for all of them and the monitors meanwhile").isEqualTo(1);

    f.telegram.slow("getWebhookInfo", Duration.ZERO); // Telegram answers at once again: fresh, UP
    Awaitility.await("health UP again").atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode telegram = telegram(f.get("/observe/health"));
      return telegram.path("status").asText().equals("UP") && !telegram.has("stale");
    });
  }

  private record Timed(HttpResponse<String> response, Duration took) {}

  private Timed timed(String path) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = f.get(path);
    return new Timed(r, Duration.ofNanos(System.nanoTime() - t0));
  }

  private static JsonNode telegram(HttpResponse<String> health) throws Exception {
    return Json.mapper().readTree(health.body()).path("checks").path("telegram");
  }
}
