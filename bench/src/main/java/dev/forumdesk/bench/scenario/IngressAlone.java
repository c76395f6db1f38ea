package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.Ports;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The front door by itself: the webhook role on the embedded store (SQLite inbox, fsync on) with
 * Temporal unreachable, as in an outage, when every acknowledged update waits in the inbox. The
 * one-JVM figures measure the ack beside the work behind it (the embedded Temporal server and the
 * worker, which need more than two cores at 200 updates/s); these measure what the ack path itself
 * costs and sustains, and so what a webhook deployed apart from the worker can take.
 */
public final class IngressAlone {
  private static final String ALONE = "webhook alone (Temporal down: every update waits in the inbox)";

  private IngressAlone() {}

  public static List<Row> ack(BenchOptions options, OpenLoopDriver driver) {
    String figure = "webhook ack latency at 200 updates/s, " + ALONE;
    return alone("ingress-ack", figure, app -> new AckLatency(options, app, driver).measure(figure));
  }

  public static List<Row> throughput(BenchOptions options) {
    String figure = "sustained webhook throughput before p99 > 50 ms, " + ALONE;
    return alone("ingress-throughput", figure, app -> {
      List<Row> rows = new ArrayList<>(Throughput.withoutTemporal(options, app).run());
      rows.set(0, rows.getFirst().named(figure));
      long stored = app.inboxBacklog();
      rows.add(Row.report("↳ updates stored in the inbox, undelivered, at the end of the steps", Long.toString(stored), "report"));
      return rows;
    });
  }

  private static List<Row> alone(String name, String figure, Function<BenchApp, List<Row>> measure) {
    // a port nothing listens on: the dispatcher's deliveries fail and are retried later, as in an outage
    try (BenchApp app = BenchApp.startIngressAlone(name, "127.0.0.1:" + Ports.free())) {
      Progress.say("webhook alone: up on port %d, no Temporal behind it", app.app().port());
      return measure.apply(app);
    } catch (RuntimeException e) {
      return List.of(Row.failed(figure, "—", e));
    }
  }
}
