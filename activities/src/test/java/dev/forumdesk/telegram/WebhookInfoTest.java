package dev.forumdesk.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * getWebhookInfo read once for everyone who looks meanwhile, each look waiting a bounded time: a
 * Telegram slow to answer gives its last answer marked late, or, before any answer, an unreachable
 * snapshot that says so.
 */
class WebhookInfoTest {
  private final FakeTelegram telegram = new FakeTelegram("7:info-token");
  private final WebhookInfo info = new WebhookInfo(
      new TelegramClient(telegram.url(), "7:info-token", Duration.ofSeconds(10)), Duration.ofMinutes(1));

  @AfterEach
  void close() {
    telegram.close();
  }

  @Test
  void looksWhileTelegramIsSlowShareOneCallAndWaitABoundedTime() throws Exception {
    telegram.slow("getWebhookInfo", Duration.ofSeconds(4));
    List<Callable<WebhookInfo.Snapshot>> looks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      looks.add(info::current);
    }
    List<WebhookInfo.Snapshot> got = new ArrayList<>();
    long t0 = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<WebhookInfo.Snapshot> f : pool.invokeAll(looks)) {
        got.add(f.get());
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(took).isLessThan(WebhookInfo.WAIT_AT_MOST.plusMillis(1_500));
    assertThat(got).allSatisfy(s -> {
      assertThat(s.late()).isTrue();
      assertThat(s.reachable()).isFalse();
      assertThat(s.readAt()).isEmpty();
      assertThat(s.error()).contains("getWebhookInfo did not answer within 1 s, nor before");
    });
    assertThat(telegram.arrived("getWebhookInfo")).as("one call for the four looks").isEqualTo(1);

    // its answer comes: kept for the next looks, with no second call
    Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> !info.current().late());
    WebhookInfo.Snapshot answered = info.current();
    assertThat(answered.reachable()).isTrue();
    assertThat(answered.readAt()).isPresent();
    assertThat(telegram.arrived("getWebhookInfo")).isEqualTo(1);

    // asked again (our setWebhook) while still slow: the last answer, marked late
    info.refresh();
    WebhookInfo.Snapshot late = info.current();
    assertThat(late.late()).isTrue();
    assertThat(late.reachable()).isTrue();
    assertThat(late.readAt()).isEqualTo(answered.readAt());
    assertThat(late.url()).isEqualTo(answered.url());
    assertThat(telegram.arrived("getWebhookInfo")).isEqualTo(2);
  }

  @Test
  void anAnswerServesEveryLookWhileFreshAndRefreshAsksAgain() {
    WebhookInfo.Snapshot first = info.current();
    assertThat(first.reachable()).isTrue();
    assertThat(first.late()).isFalse();
    assertThat(info.current()).isEqualTo(first);
    assertThat(telegram.arrived("getWebhookInfo")).isEqualTo(1);

    telegram.webhookChangedElsewhere("https://elsewhere.example/hook");
    info.refresh();
    assertThat(info.current().url()).contains("https://elsewhere.example/hook");
    assertThat(telegram.arrived("getWebhookInfo")).isEqualTo(2);
  }

  /**
   * Why Telegram could not be read, as health shows it: a sentence, not the outcome's Java record
   * ({@code Transient[description=getWebhookInfo: 502 Bad Gateway, ambiguous=false]}, audit 21b F4).
   */
  @Test
  void whyTelegramCouldNotBeReadIsASentence() throws Exception {
    telegram.failNext("getWebhookInfo", 1, 502);
    assertThat(info.current().error()).contains("getWebhookInfo: 502 Internal Server Error"); // the fake's words for 502

    FakeTelegram slow = new FakeTelegram("7:info-token");
    try {
      slow.slow("getWebhookInfo", Duration.ofSeconds(4));
      WebhookInfo timesOut = new WebhookInfo(
          new TelegramClient(slow.url(), "7:info-token", Duration.ofSeconds(2)), Duration.ZERO);
      timesOut.current(); // late: the call goes on
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !timesOut.current().late());
      assertThat(timesOut.current().error()).contains("getWebhookInfo: no answer within 2 s");
    } finally {
      slow.close();
    }

    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    WebhookInfo refused = new WebhookInfo(
        new TelegramClient("http://127.0.0.1:" + port + "/", "7:info-token", Duration.ofSeconds(2)), Duration.ZERO);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !refused.current().late());
    assertThat(refused.current().error()).contains("getWebhookInfo: connection refused (127.0.0.1:" + port + ")");
  }
}
