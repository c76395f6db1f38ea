package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Topic created → ticket visible via the API, idle and while 200 updates/s of other traffic flow.
 * The probes run in a JVM of their own ({@link VisibleProbeMain}); the other traffic comes from
 * this one.
 */
public record TicketVisible(BenchOptions options, BenchApp app, OpenLoopDriver driver) {
  static final String IDLE = "topic created → ticket visible via API, idle";
  static final String LOADED = "topic created → ticket visible via API, under 200 updates/s";

  public List<Row> run() {
    // idle means idle: what earlier figures left in the inbox is delivered first
    if (Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(options.drainMaxSeconds() * 3L), Duration.ofMillis(100)) < 0) {
      Progress.say("inbox backlog still %d; the idle probes run with it", app.inboxBacklog());
    }
    Progress.say("topic → ticket visible: %d probes, idle", options.visibleProbes());
    List<Row> rows = new ArrayList<>(probes(4_000_000, IDLE, false));

    Progress.say("topic → ticket visible: %d probes under %d updates/s", options.visibleProbes(), BenchOptions.RATE);
    // the other traffic from this JVM, where the driver's threads run at the background's nice: a
    // driver JVM of its own at nice -5 took 0.7 of a core ahead of everything, and the burst and
    // escalation figures beside it (their fake Telegram and timers in this JVM) missed their targets
    UpdateStream background = new UpdateStream(46, 5_000_000, 0.2);
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<OpenLoopDriver.Result> load =
        CompletableFuture.supplyAsync(() -> driver.run(BenchOptions.RATE, BenchOptions.RATE * 120,
            i -> app.webhookRequest(background.next()), Duration.ofSeconds(30), done::get), Background.EXECUTOR);
    Idle.sleep(Duration.ofSeconds(1));
    List<Row> loaded = probes(4_200_000, LOADED, true);
    done.set(true);
    OpenLoopDriver.Result bg = load.join();
    long backlog = app.inboxBacklog();
    // this driver's own latencies include its callbacks' wait at the background's nice: not the ack
    Progress.say("under load, the other traffic: %d updates sent, %d answered 200; inbox backlog %d", bg.sent(), bg.ok(), backlog);
    if (!loaded.isEmpty() && backlog > 0) {
      loaded = new ArrayList<>(loaded);
      Row first = loaded.getFirst();
      loaded.set(0, first.withValue(first.value() + "; inbox backlog " + backlog + " when the load stopped"));
    }
    rows.addAll(loaded);
    return rows;
  }

  /**
   * One phase's probes in a child JVM at nice -5 (an agent's browser does not share our cores).
   * Idle, one after the other; under load, spaced evenly over 6 s (quick) or 60 s.
   */
  private List<Row> probes(long idBase, String figure, boolean spaced) {
    long phaseSeconds = spaced ? (options.quick() ? 6 : 60) : (options.quick() ? 12 : 90);
    List<Row> rows = ChildJvm.run(VisibleProbeMain.class,
        List.of(Integer.toString(app.app().port()), Integer.toString(options.visibleProbes()), Long.toString(phaseSeconds),
            Long.toString(idBase), figure, spaced ? "spaced" : "one-by-one"),
        Duration.ofSeconds(phaseSeconds * 2 + 60), -5);
    rows.forEach(r -> Progress.say("%s: %s", r.figure(), r.value()));
    return rows.isEmpty()
        ? List.of(Row.failed(figure, VisibleProbeMain.TARGET, new IllegalStateException("the probe JVM gave no result")))
        : rows;
  }
}
