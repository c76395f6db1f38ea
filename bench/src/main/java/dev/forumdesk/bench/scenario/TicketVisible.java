package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.Latencies;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Topic created → ticket visible: post a forum_topic_created, then poll GET /api/tickets/{id}
 * every 2 ms until it answers 200. Idle, and again while 200 updates/s of other traffic flow.
 */
public record TicketVisible(BenchOptions options, BenchApp app, OpenLoopDriver driver) {
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public List<Row> run() {
    UpdateStream probes = new UpdateStream(45, 4_000_000, 1.0);
    // idle means idle: what earlier figures left in the inbox is delivered first
    if (Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(options.drainMaxSeconds() * 3L), Duration.ofMillis(100)) < 0) {
      Progress.say("inbox backlog still %d; the idle probes run with it", app.inboxBacklog());
    }
    Progress.say("topic → ticket visible: %d probes, idle", options.visibleProbes());
    probe(probes, 3); // warm-up
    Probed idle = probe(probes, options.visibleProbes());
    Progress.say("visible idle: %s", idle.text());

    Progress.say("topic → ticket visible: %d probes under %d updates/s", options.visibleProbes(), BenchOptions.RATE);
    UpdateStream background = new UpdateStream(46, 5_000_000, 0.2);
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<OpenLoopDriver.Result> load =
        CompletableFuture.supplyAsync(() -> driver.run(BenchOptions.RATE, BenchOptions.RATE * 120,
            i -> app.webhookRequest(background.next()), Duration.ofSeconds(30), done::get), Background.EXECUTOR);
    Idle.sleep(Duration.ofSeconds(1));
    Probed loaded = probe(probes, options.visibleProbes());
    done.set(true);
    OpenLoopDriver.Result bg = load.join();
    long backlog = app.inboxBacklog();
    Progress.say("visible under load: %s (background: %d updates acked %s; inbox backlog %d)",
        loaded.text(), bg.sent(), bg.latencies().summary(), backlog);

    String target = "p99 < 200 ms; seed requires < 5 s";
    return List.of(
        Row.measured("topic created → ticket visible via API, idle", idle.text(), target, idle.met()),
        Row.measured("topic created → ticket visible via API, under 200 updates/s",
            loaded.text() + (backlog > 0 ? "; inbox backlog " + backlog + " when the load stopped" : ""),
            target, loaded.met()));
  }

  /** Probes that became visible, of how many were tried. */
  private record Probed(Latencies visible, int attempted) {
    boolean met() {
      return attempted > 0 && visible.count() == attempted && visible.percentileMillis(99) < 200;
    }

    String text() {
      int missed = attempted - visible.count();
      if (visible.count() == 0) {
        return "none of " + attempted + " visible within " + BOUND.toSeconds() + " s";
      }
      return visible.summary() + (missed == 0 ? "" : ", " + missed + " of " + attempted + " not visible within " + BOUND.toSeconds() + " s");
    }
  }

  /** Up to n probes, one after the other, within the phase's time bound. */
  private Probed probe(UpdateStream stream, int n) {
    Latencies latencies = new Latencies();
    int attempted = 0;
    long phaseEnd = System.nanoTime() + Duration.ofSeconds(options.quick() ? 12 : 90).toNanos();
    for (int i = 0; i < n && System.nanoTime() < phaseEnd; i++, attempted++) {
      String json = stream.newTopic();
      String id = UpdateStream.ticketId(stream.lastThread());
      long t0 = System.nanoTime();
      try {
        if (HTTP.send(app.webhookRequest(json), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
          continue;
        }
        long deadline = t0 + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
          if (HTTP.send(app.apiGet("/api/tickets/" + id), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            latencies.add(System.nanoTime() - t0);
            break;
          }
          Thread.sleep(2);
        }
      } catch (Exception e) {
        Progress.say("probe %s failed: %s", id, e);
      }
    }
    return new Probed(latencies, attempted);
  }
}
