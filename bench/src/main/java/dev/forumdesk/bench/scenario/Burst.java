package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.baseline.NaiveSender;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.telegram.FakeTelegram;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * N new topics in one group at once: every topic gets an acknowledgement through the outbox,
 * and the group allows 20 messages a minute (and a chat 1 a second). Compares the time until the
 * last acknowledgement with the least the limits allow, and counts 429s. Mostly waiting on the
 * rate limit, so it runs in its own app in the background while the CPU-bound figures are taken.
 */
public final class Burst {
  private final BenchOptions options;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  public Burst(BenchOptions options) {
    this.options = options;
  }

  /**
   * Least time Telegram's limits allow from the first to the last of n messages to one group:
   * message k goes no sooner than 1 s after message k-1 (per chat) and 60 s after message k-20
   * (20 per sliding minute per group).
   */
  public static double minimumSeconds(int n) {
    double[] t = new double[Math.max(1, n)];
    for (int k = 1; k < n; k++) {
      t[k] = Math.max(t[k - 1] + 1, k >= 20 ? t[k - 20] + 60 : 0);
    }
    return t[Math.max(0, n - 1)];
  }

  /** Completes once the app is up and the topics are posted: from then on it mostly waits. */
  public CompletableFuture<Void> started() {
    return started;
  }

  /**
   * Completes once the burst's tickets are routed (or failed): from then on its app only sends
   * acknowledgements at the group's pace, and a figure beside it that needs an idle machine can run.
   */
  public CompletableFuture<Void> settled() {
    return settled;
  }

  public CompletableFuture<List<Row>> startInBackground() {
    int n = options.burstTopics();
    Duration bound = Duration.ofSeconds((long) (minimumSeconds(n) * 1.5 + 30));
    CompletableFuture<NaiveSender.Result> naive =
        CompletableFuture.supplyAsync(() -> NaiveSender.burst(BenchApp.TOKEN, BenchApp.CHAT, n, bound), Background.EXECUTOR);
    CompletableFuture<List<Row>> product = CompletableFuture.supplyAsync(() -> product(n, bound), Background.EXECUTOR);
    return product.thenCombine(naive.exceptionally(e -> null), (rows, baseline) -> {
      List<Row> all = new ArrayList<>(rows);
      all.add(baseline == null
          ? Row.failed("↳ baseline: no outbox scheduler", "—", new IllegalStateException("naive sender failed"))
          : Row.baseline("↳ baseline: no outbox scheduler (send at once, sleep retry_after on 429)",
              String.format("%d of %d sent in %.1f s, %d × 429", baseline.sent(), n, baseline.seconds(), baseline.rejected429())));
      return all;
    });
  }

  /** When each topic got its first bot message (the acknowledgement), by thread id. */
  static java.util.Map<Long, Instant> firstMessagePerTopic(List<FakeTelegram.Call> sent) {
    java.util.Map<Long, Instant> first = new java.util.HashMap<>();
    for (FakeTelegram.Call c : sent) {
      if (c.method().equals("sendMessage") && c.params().hasNonNull("message_thread_id")) {
        first.merge(c.params().get("message_thread_id").asLong(), c.at(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    return first;
  }

  private List<Row> product(int n, Duration bound) {
    double min = minimumSeconds(n);
    String figure = "burst of " + n + " new topics in one group: all acknowledgements sent";
    try (BenchApp app = BenchApp.start("burst", 0, "sla: {first-response: PT4H}\n")) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      UpdateStream stream = new UpdateStream(47, 6_000_000, 1.0);
      Progress.say("burst: posting %d new topics to one group (least time the limits allow: %.0f s)", n, min);
      Instant t0 = Instant.now();
      for (int i = 0; i < n; i++) {
        http.send(app.webhookRequest(stream.newTopic()), HttpResponse.BodyHandlers.discarding());
      }
      started.complete(null);
      Idle.await(() -> app.routedCount() >= n, Duration.ofSeconds(60), Duration.ofMillis(200));
      settled.complete(null);
      int[] reported = {0};
      // done when every topic has its acknowledgement: the first bot message in its thread (SLA
      // warnings are pushed out by the long first-response deadline of this app)
      long waited = Idle.await(() -> {
        int acked = firstMessagePerTopic(app.telegram.sent()).size();
        if (acked >= reported[0] + 20) {
          reported[0] = acked;
          Progress.say("burst: %d acknowledgements sent for %d topics", acked, n);
        }
        return acked >= n;
      }, bound, Duration.ofMillis(500));
      List<FakeTelegram.Call> sent = app.telegram.sent();
      Instant last = firstMessagePerTopic(sent).values().stream().max(Instant::compareTo).orElse(Instant.now());
      double seconds = (last.toEpochMilli() - t0.toEpochMilli()) / 1000.0;
      long rejected = app.telegram.count429();
      if (System.getenv("BENCH_DEBUG") != null) {
        app.telegram.calls("sendMessage").forEach(c -> Progress.say("  %s %d +%.2f s",
            c.method(), c.status(), (c.at().toEpochMilli() - t0.toEpochMilli()) / 1000.0));
        List<String> statuses = app.app().database().jdbi().withHandle(h -> h.createQuery(
            "select status || ':' || count(*) from outbox group by status").mapTo(String.class).list());
        Progress.say("  outbox: %s", String.join(", ", statuses));
      }
      int acked = firstMessagePerTopic(sent).size();
      Progress.say("burst: %d of %d acknowledged in %.1f s, %d × 429", acked, n, seconds, rejected);
      String value = waited < 0
          ? String.format("only %d acknowledged, %d still queued after %d s", acked, app.outboxBacklog(), bound.toSeconds())
          : String.format("%.1f s = %.2f × the minimum %.0f s", seconds, seconds / min, min);
      return List.of(
          Row.measured(figure, value, "≤ 1.1 × minimum", waited >= 0 && seconds <= 1.1 * min),
          Row.measured("↳ 429s received from Telegram during the burst", rejected + " × 429", "0 after the first", rejected <= 1),
          Row.report("↳ bot messages sent to the group by then (coalescing saves messages)",
              waited < 0 ? sent.size() + " messages sent before the bound; coalescing not judged"
                  : sent.size() + " messages, " + Math.max(0, n - sent.size()) + " coalesced", "report"));
    } catch (Exception e) {
      started.complete(null);
      settled.complete(null);
      return List.of(Row.failed(figure, "≤ 1.1 × minimum", e));
    }
  }
}
