package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Steps the fixed rate up until the webhook's p99 passes 50 ms (or a request fails), each step
 * from a driver JVM of its own ({@link StepDriverMain}). The ack rate is what Telegram sees; the dispatch rate (inbox → Temporal, measured until the step's
 * backlog drained) is what the rest of the system keeps up with.
 */
public record Throughput(BenchOptions options, BenchApp app, boolean drains) {
  private static final double P99_LIMIT_MS = 50;

  /** Between steps the inbox drains into Temporal, so each step starts with no backlog. */
  public Throughput(BenchOptions options, BenchApp app) {
    this(options, app, true);
  }

  /** The webhook alone ({@link BenchApp#startIngressAlone}): nothing drains, every step only adds to the inbox. */
  public static Throughput withoutTemporal(BenchOptions options, BenchApp app) {
    return new Throughput(options, app, false);
  }

  public List<Row> run() {
    int best = 0;
    double bestDispatch = 0;
    List<String> steps = new ArrayList<>();
    for (int rate : options.throughputRates()) {
      awaitDrained();
      int count = (int) (rate * options.stepSeconds());
      long t0 = System.nanoTime();
      Optional<StepDriverMain.Step> measured = step(rate, count, 3_000_000L + 100_000L * steps.size());
      if (measured.isEmpty()) {
        steps.add(rate + "/s → the driver JVM gave no result");
        break;
      }
      StepDriverMain.Step r = measured.get();
      long drained = !drains ? -1 : Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(options.drainMaxSeconds()), Duration.ofMillis(50));
      double elapsed = (System.nanoTime() - t0) / 1e9; // includes the driver JVM's start: the rate errs low
      double p99 = r.p99Millis();
      String dispatch = !drains ? "none (no Temporal)" : drained < 0 ? "not drained in " + options.drainMaxSeconds() + " s"
          : String.format("%.0f/s", count / elapsed);
      boolean ok = r.ok() == r.sent() && p99 <= P99_LIMIT_MS;
      Progress.say("throughput step %d/s: %s, %d of %d answered 200, dispatch %s", rate, r.summary(), r.ok(), r.sent(), dispatch);
      steps.add(String.format("%d/s → p99 %.1f ms", rate, p99));
      if (!ok) {
        break;
      }
      best = rate;
      if (drained >= 0) {
        bestDispatch = Math.max(bestDispatch, count / elapsed);
      }
    }
    List<Row> rows = new ArrayList<>();
    rows.add(Row.measured("sustained webhook throughput before p99 > 50 ms (ack, fixed-rate steps of "
            + options.stepSeconds() + " s)",
        (best == 0 ? "below the first step" : "≥ " + best + " updates/s") + " (" + String.join("; ", steps) + ")",
        "> 1,000 updates/s", best > 1000));
    if (!drains) {
      return rows;
    }
    rows.add(Row.report("↳ inbox → Temporal dispatch rate during those steps (until the step's backlog drained)",
        bestDispatch == 0 ? "no step drained within " + options.drainMaxSeconds() + " s"
            : String.format("%.0f updates/s", bestDispatch),
        "report"));
    awaitDrained();
    return rows;
  }

  /** Each step's driver warms up at the step's rate first: 1 s quick, 3 s full. */
  private int warmupSeconds() {
    return options.quick() ? 1 : 3;
  }

  /** One fixed-rate step from a driver JVM at nice -5, after its warm-up. */
  private Optional<StepDriverMain.Step> step(int rate, int count, long idBase) {
    List<Row> out = ChildJvm.run(StepDriverMain.class, List.of(app.webhook().toString(), BenchApp.SECRET,
        Integer.toString(rate), Integer.toString(count), Long.toString(idBase), Integer.toString(warmupSeconds())),
        Duration.ofSeconds(120), -5, AckLatency.DRIVER_HEAP);
    return out.stream().findFirst().map(row -> StepDriverMain.decode(row.value()));
  }

  private void awaitDrained() {
    if (!drains) {
      return;
    }
    long waited = Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(options.drainMaxSeconds() * 2L), Duration.ofMillis(100));
    if (waited < 0) {
      Progress.say("inbox backlog still %d after %d s; going on", app.inboxBacklog(), options.drainMaxSeconds() * 2);
    }
  }
}
