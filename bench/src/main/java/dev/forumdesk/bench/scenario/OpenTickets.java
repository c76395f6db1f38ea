package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Many open tickets, each a running workflow waiting on its SLA timers and signals: heap after GC
 * (delta over the same app before the tickets), MB per ticket, and the JVM's CPU while nothing
 * happens. The embedded Temporal server keeps every history in this heap, so the figure covers
 * server, worker and read model together. The idle CPU is taken last ({@link #idleCpu}), once the
 * apps running in the background have finished, so it is this app's alone.
 */
public final class OpenTickets implements AutoCloseable {
  private static final int CREATE_RATE = 400;

  private final BenchOptions options;
  private final OpenLoopDriver driver;
  private Optional<BenchApp> app = Optional.empty();

  public OpenTickets(BenchOptions options, OpenLoopDriver driver) {
    this.options = options;
    this.driver = driver;
  }

  /** Opens the tickets and measures the heap; the app stays up for {@link #idleCpu}. */
  public List<Row> open() {
    int n = options.openTickets();
    try {
      BenchApp app = BenchApp.start("open-tickets", 0);
      this.app = Optional.of(app);
      Idle.sleep(Duration.ofSeconds(2));
      long heapBefore = Idle.heapAfterGc();
      Progress.say("open tickets: empty app, %s heap after GC (whole JVM); opening %d tickets at %d/s",
          Idle.mib(heapBefore), n, CREATE_RATE);

      UpdateStream stream = new UpdateStream(48, 7_000_000, 1.0);
      long t0 = System.nanoTime();
      OpenLoopDriver.Result posted =
          driver.run(CREATE_RATE, n, i -> app.webhookRequest(stream.newTopic()), Duration.ofSeconds(60));
      long waited = Idle.await(() -> {
        long have = app.ticketCount();
        Progress.say("open tickets: %d of %d visible, inbox backlog %d", have, n, app.inboxBacklog());
        return have >= n;
      }, Duration.ofSeconds(n / 5 + 60), Duration.ofSeconds(5));
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      if (waited < 0 || posted.ok() < n) {
        throw new IllegalStateException(app.ticketCount() + " of " + n + " tickets visible, " + posted.ok() + " acked");
      }
      Idle.sleep(Duration.ofSeconds(2));
      long heapAfter = Idle.heapAfterGc();
      double perTicket = (heapAfter - heapBefore) / (1024.0 * 1024) / n;
      Progress.say("open tickets: heap %s after GC, %.3f MB per ticket", Idle.mib(heapAfter), perTicket);
      return List.of(
          Row.report(n + " open tickets: heap after GC (whole JVM: embedded Temporal + worker + app)",
              Idle.mib(heapAfter) + " (before the tickets " + Idle.mib(heapBefore) + "); all " + n + " visible "
                  + String.format("%.1f s", openSeconds) + " after the first was posted ("
                  + String.format("%.0f tickets/s", n / openSeconds) + ")", "report; bounded heap"),
          Row.report("↳ MB per open ticket", String.format("%.3f MB", perTicket), "report"));
    } catch (RuntimeException e) {
      return List.of(Row.failed(n + " open tickets: heap, MB per ticket", "report", e));
    }
  }

  /** CPU of the whole JVM while the open tickets wait, with the acks queued and after. */
  public List<Row> idleCpu() {
    if (app.isEmpty()) {
      return List.of();
    }
    BenchApp a = app.get();
    int n = options.openTickets();
    Duration window = Duration.ofSeconds(options.idleCpuSeconds());
    try {
      long queued = a.outboxBacklog();
      double cpuBacklog = Idle.processCpuPercent(window);
      // the acknowledgements queue behind the 20/min group limit; with them out of the way the
      // figure shows what the tickets themselves cost while idle
      a.app().database().jdbi().useHandle(h -> h.execute("update outbox set status = 'SENT' where status = 'PENDING'"));
      Idle.sleep(Duration.ofSeconds(1));
      double cpuIdle = Idle.processCpuPercent(window);
      Progress.say("open tickets: %.1f%% of a core idle (%.1f%% with %d acks queued)", cpuIdle, cpuBacklog, queued);
      return List.of(Row.report("↳ JVM CPU while idle with " + n + " open tickets (" + window.toSeconds() + " s window)",
          String.format("%.1f%% of one core; %.1f%% while %d acks wait for the group limit", cpuIdle, cpuBacklog, queued),
          "report"));
    } catch (RuntimeException e) {
      return List.of(Row.failed("JVM CPU while idle with " + n + " open tickets", "report", e));
    }
  }

  @Override
  public void close() {
    app.ifPresent(BenchApp::close);
  }
}
