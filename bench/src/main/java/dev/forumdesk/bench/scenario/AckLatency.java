package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.baseline.SyncWebhook;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.GcPauses;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.config.ConfigLoader;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * Webhook ack latency at a fixed 200 updates/s (the inbox commit is on the ack path), and the
 * same load against the naive synchronous handler that calls Temporal before answering.
 */
public record AckLatency(BenchOptions options, BenchApp app, OpenLoopDriver driver) {
  static final String FIGURE = "webhook ack latency at 200 updates/s (inbox fsync on)";
  /** About 10 MB/s at 200 updates/s: 350 MB in a full run, well inside the 800 MB eden. */
  static final List<String> DRIVER_HEAP = List.of("-Xms1200m", "-Xmx1200m", "-Xmn1g");

  public List<Row> run(String temporalTarget) {
    List<Row> rows = measure(options.ackRate() == BenchOptions.RATE ? FIGURE
        : FIGURE.replace("at " + BenchOptions.RATE + " ", "at " + options.ackRate() + " "));
    rows.add(baseline(temporalTarget, options.ackRate()));
    return rows;
  }

  /** The ack at 200 updates/s (`--ack-rate`) from a driver JVM of its own, and the app's own part of it. */
  public List<Row> measure(String figure) {
    int rate = options.ackRate();
    Progress.say("ack latency: a driver JVM of its own sends %d/s: warm-up %d s, measuring %d s",
        rate, options.warmupSeconds(), options.latencySeconds());
    var commits = app.app().database().inboxWrites().stats();
    long batches0 = commits.batches();
    long writes0 = commits.writes();
    GcPauses gc = GcPauses.record();
    List<Row> measured;
    try {
      measured = ChildJvm.run(AckDriverMain.class,
          List.of(app.webhook().toString(), BenchApp.SECRET, String.valueOf(rate), String.valueOf(options.warmupSeconds()),
              String.valueOf(options.latencySeconds())),
          // Telegram's servers do not share our cores: the driver runs ahead of the app (nice -5),
          // and with a young generation larger than all it allocates in a full run it never stops
          // for a collection (its first one took 174 ms on these cores and was charged to the ack)
          Duration.ofSeconds(options.warmupSeconds() + options.latencySeconds() + 120L), -5, DRIVER_HEAP);
    } finally {
      gc.close();
    }
    long batches = commits.batches() - batches0;
    String server = app.serverStoreLatency() + String.format(java.util.Locale.ROOT,
        "; %d group commits of %.1f writes (new rows and delivery marks) on average, %.2f ms each (mean since start)",
        batches, batches == 0 ? 0.0 : (commits.writes() - writes0) / (double) batches, commits.meanCommitMillis());
    Progress.say("ack latency: %s; in the app %s", measured.isEmpty() ? "no result" : measured.getFirst().value(), server);
    List<Row> rows = new java.util.ArrayList<>(measured.isEmpty()
        ? List.of(Row.failed(figure, "p99 < 10 ms", new IllegalStateException("the driver JVM gave no result")))
        : measured);
    if (!measured.isEmpty()) {
      Row ack = rows.getFirst();
      rows.set(0, rate == BenchOptions.RATE ? ack.named(figure)
          : Row.report(figure, ack.value(), "report (the target p99 < 10 ms is at " + BenchOptions.RATE + "/s)"));
    }
    rows.add(Row.report("↳ of which in the app: parse, classify, inbox group commit (forumdesk_webhook_store)", server, "report"));
    // every stop of the app's JVM stops its webhook: the tail above is read beside these
    rows.add(Row.report("↳ the app JVM's garbage collections during the driver's run (warm-up and measurement)",
        gc.summary(), "report"));
    return rows;
  }

  private Row baseline(String temporalTarget, int rate) {
    String figure = "↳ baseline: signalWithStart inside the handler, no inbox, same load";
    // a fair start: what the product's run left in its inbox is delivered first (bounded; 200/s
    // for 11 s is 2,200 updates, about 40 s of work, more than a quick run waits for)
    long drain = options.quick() ? 2 : options.drainMaxSeconds() * 3L;
    if (Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(drain), Duration.ofMillis(100)) < 0) {
      Progress.say("inbox backlog still %d; the baseline runs beside its delivery", app.inboxBacklog());
    }
    try (SyncWebhook sync =
        new SyncWebhook(temporalTarget, "forumdesk", ConfigLoader.load(java.util.Optional.of(app.configFile())))) {
      UpdateStream stream = new UpdateStream(43, 2_000_000, 0.2);
      java.util.function.LongFunction<HttpRequest> req =
          i -> HttpRequest.newBuilder(sync.webhook())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(stream.next()))
              .build();
      Progress.say("baseline sync webhook: warm-up %d s, measuring %d s at %d/s",
          options.warmupSeconds(), options.baselineSeconds(), rate);
      driver.run(rate, rate * options.warmupSeconds(), req, Duration.ofSeconds(30));
      OpenLoopDriver.Result r = driver.run(rate, rate * options.baselineSeconds(), req, Duration.ofSeconds(30));
      Progress.say("baseline sync webhook: %s, statuses %s", r.latencies().summary(), r.statuses());
      return Row.baseline(figure, r.latencies().summary() + notOk(r));
    } catch (RuntimeException e) {
      return Row.failed(figure, "—", e);
    }
  }

  static String notOk(OpenLoopDriver.Result r) {
    int bad = r.sent() - r.ok();
    return bad == 0 ? "" : ", " + bad + " not 200 " + r.statuses() + (r.errors() > 0 ? ", " + r.errors() + " errors" : "");
  }
}
