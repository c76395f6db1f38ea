package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The webhook's client in a JVM of its own, as Telegram is: in the app's JVM the driver's own
 * callbacks queued behind the app's threads, and its send lag (seconds) was charged to the ack.
 * Args: webhook URL, secret, updates/s, warm-up seconds, measured seconds. Prints
 * {@code ROW <json>} lines: the latency and the driver's own send lag.
 */
public final class AckDriverMain {
  private AckDriverMain() {}

  public static void main(String[] args) {
    URI url = URI.create(args[0]);
    String secret = args[1];
    int rate = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    UpdateStream stream = new UpdateStream(42, 1_000_000, 0.2);
    java.util.function.LongFunction<HttpRequest> request = i -> BenchApp.webhookPost(url, secret, stream.next());
    try (OpenLoopDriver driver = new OpenLoopDriver()) {
      driver.run(rate, rate * warmup, request, Duration.ofSeconds(30));
      OpenLoopDriver.Result r = driver.run(rate, rate * seconds, request, Duration.ofSeconds(30));
      boolean allOk = r.ok() == r.sent();
      String value = r.latencies().summary() + AckLatency.notOk(r);
      if (r.sent() < rate * seconds) {
        value += "; stopped after " + r.sent() + " of " + rate * seconds + " updates: the server fell 30 s behind";
      }
      emit(Row.measured(AckLatency.FIGURE, value, "p99 < 10 ms", allOk && r.latencies().percentileMillis(99) < 10));
      emit(Row.report("↳ the driver's own send lag (due time → handed to its HTTP client; a separate JVM)",
          r.sendLag().summary(), "report"));
    }
    System.out.flush();
    System.exit(0);
  }

  private static void emit(Row row) {
    System.out.println("ROW " + Json.write(row));
  }
}
