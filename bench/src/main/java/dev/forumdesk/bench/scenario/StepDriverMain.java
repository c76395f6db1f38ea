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
 * One fixed-rate step of the throughput figure from a JVM of its own, as {@link AckDriverMain} is
 * for the ack: in the bench JVM the driver's threads run at the app's background nice, and a 5 s
 * step at 250/s measured their own lag (p99 6 s) instead of the ack. Args: webhook URL, secret,
 * updates/s, count, id base, warm-up seconds (at the same rate, not measured). Prints one
 * {@code ROW} whose value is {@link #encode}d.
 */
public final class StepDriverMain {
  private StepDriverMain() {}

  /** What one step measured. */
  record Step(double p99Millis, int ok, int sent, String summary) {}

  static String encode(OpenLoopDriver.Result r) {
    return r.latencies().percentileMillis(99) + "|" + r.ok() + "|" + r.sent() + "|" + r.latencies().summary()
        + "; the driver's own send lag " + r.sendLag().summary();
  }

  static Step decode(String value) {
    String[] p = value.split("\\|", 4);
    return new Step(Double.parseDouble(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), p[3]);
  }

  public static void main(String[] args) {
    URI url = URI.create(args[0]);
    String secret = args[1];
    int rate = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    UpdateStream stream = new UpdateStream(44, Long.parseLong(args[4]), 0.2);
    int warmup = Integer.parseInt(args[5]);
    java.util.function.LongFunction<HttpRequest> request = i -> BenchApp.webhookPost(url, secret, stream.next());
    try (OpenLoopDriver driver = new OpenLoopDriver()) {
      // at the step's own rate, as the ack figure warms up: a cold driver's send lag was p99 425 ms
      driver.run(rate, rate * warmup, request, Duration.ofSeconds(30));
      OpenLoopDriver.Result r = driver.run(rate, count, request, Duration.ofSeconds(30));
      System.out.println("ROW " + Json.write(Row.report("step", encode(r), "")));
    }
    System.out.flush();
    System.exit(0);
  }
}
