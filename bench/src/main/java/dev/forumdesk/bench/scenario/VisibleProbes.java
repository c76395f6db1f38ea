package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.Latencies;
import dev.forumdesk.bench.report.Progress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Topic created → ticket visible, one probe after the other: post a forum_topic_created, then poll
 * GET /api/tickets/{id} every 2 ms until it answers 200, and every 50 ms on until its workflow has
 * projected it (until then the API shows the ticket from its opening update in the inbox,
 * {@code "waitingInInbox":true}).
 */
final class VisibleProbes {
  static final Duration BOUND = Duration.ofSeconds(5);
  /** Between two polls of one probe until visible, in ms: the resolution of that figure. */
  private static final long POLL = 2;
  /**
   * Between two polls once visible, until projected. Every 2 ms, and still every 20 ms, the
   * probes under load were hundreds of reads a second (more than the 200 updates/s beside them),
   * served at the webhook's priority, ahead of the work they waited for.
   */
  private static final long POLL_PROJECTED = 50;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final int port;

  VisibleProbes(int port) {
    this.port = port;
  }

  /** Probes that became visible, of how many were tried, and the same probes until projected. */
  record Probed(Latencies visible, Latencies acked, Latencies projected, int attempted) {
    boolean met() {
      return attempted > 0 && visible.count() == attempted && visible.percentileMillis(99) < 200;
    }

    String text() {
      int missed = attempted - visible.count();
      if (visible.count() == 0) {
        return "none of " + attempted + " visible within " + BOUND.toSeconds() + " s";
      }
      return visible.summary() + (missed == 0 ? "" : ", " + missed + " of " + attempted + " not visible within " + BOUND.toSeconds() + " s")
          + "; of which the topic's ack " + acked.summary();
    }

    String projectedText() {
      int missed = attempted - projected.count();
      return (projected.count() == 0 ? "none" : projected.summary())
          + (missed == 0 ? "" : ", " + missed + " of " + attempted + " not projected within " + BOUND.toSeconds() + " s");
    }
  }

  /**
   * Up to n probes within {@code phase}, one after the other: the next is posted once the last was
   * projected (or {@link #BOUND} passed). Posted as soon as the last was visible, twenty probes
   * were a new topic every 50 ms, about all two cores process: no longer idle.
   */
  Probed probe(UpdateStream stream, int n, Duration phase) {
    Probed p = new Probed(new Latencies(), new Latencies(), new Latencies(), 0);
    int attempted = 0;
    long phaseEnd = System.nanoTime() + phase.toNanos();
    for (; attempted < n && System.nanoTime() < phaseEnd; attempted++) {
      probeOne(stream.newTopic(), UpdateStream.ticketId(stream.lastThread()), p);
    }
    return new Probed(p.visible(), p.acked(), p.projected(), attempted);
  }

  /**
   * n probes, one posted every {@code every} whatever became of the last: under load the time until
   * projected is seconds, and one after the other they made the phase as long.
   */
  Probed probeEvery(UpdateStream stream, int n, Duration every) {
    Probed p = new Probed(new Latencies(), new Latencies(), new Latencies(), n);
    try (var probes = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        String json = stream.newTopic();
        String id = UpdateStream.ticketId(stream.lastThread());
        probes.submit(() -> probeOne(json, id, p));
        Idle.sleep(every);
      }
    }
    return p;
  }

  /** n reads of the ticket list: the client's code paths compiled before the first probe. */
  void warmUp(int n) {
    for (int i = 0; i < n; i++) {
      try {
        HTTP.send(apiGet("/api/tickets?limit=1"), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        Progress.say("warm-up read failed: %s", e);
      }
    }
  }

  /** Posts one new topic and polls its ticket until projected or {@link #BOUND} passed. */
  private void probeOne(String json, String id, Probed into) {
    long t0 = System.nanoTime();
    try {
      if (HTTP.send(webhookRequest(json), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
        return;
      }
      into.acked().add(System.nanoTime() - t0);
      long deadline = t0 + BOUND.toNanos();
      boolean seen = false;
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = HTTP.send(apiGet("/api/tickets/" + id), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          long now = System.nanoTime();
          if (!seen) {
            into.visible().add(now - t0);
            seen = true;
          }
          if (!waitingInInbox(r)) {
            into.projected().add(now - t0);
            return;
          }
        }
        Thread.sleep(seen ? POLL_PROJECTED : POLL);
      }
    } catch (Exception e) {
      Progress.say("probe %s failed: %s", id, e);
    }
  }

  private static boolean waitingInInbox(HttpResponse<String> r) {
    return r.body().contains("\"waitingInInbox\":true");
  }

  private HttpRequest webhookRequest(String json) {
    return BenchApp.webhookPost(URI.create("http://127.0.0.1:" + port + "/telegram/webhook"), BenchApp.SECRET, json);
  }

  private HttpRequest apiGet(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + BenchApp.API_TOKEN)
        .GET()
        .build();
  }
}
