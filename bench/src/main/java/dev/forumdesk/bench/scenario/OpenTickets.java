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
 * server, worker and read model together. Runs in a JVM of its own ({@link OpenTicketsMain}) so
 * that heap and CPU are this app's alone.
 */
public final class OpenTickets implements AutoCloseable {
  private static final int CREATE_RATE = 200;

  private final BenchOptions options;
  private final OpenLoopDriver driver;
  private Optional<BenchApp> app = Optional.empty();
  private double emptyCpu = Double.NaN;
  private long heapBefore;

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
      heapBefore = Idle.heapAfterGc();
      emptyCpu = Idle.processCpuPercent(Duration.ofSeconds(options.idleCpuSeconds()));
      Progress.say("open tickets: empty app, %s heap after GC (whole JVM), %.1f%% of a core idle; opening %d tickets at %d/s",
          Idle.mib(heapBefore), emptyCpu, n, CREATE_RATE);

      UpdateStream stream = new UpdateStream(48, 7_000_000, 1.0);
      long t0 = System.nanoTime();
      OpenLoopDriver.Result posted =
          driver.run(CREATE_RATE, n, i -> app.webhookRequest(stream.newTopic()), Duration.ofSeconds(60));
      int acked = posted.ok(); // a refused update (503) would be retried by Telegram; here it is just not a ticket
      long[] lastSaid = {System.nanoTime()};
      long waited = Idle.await(() -> {
        long have = app.ticketCount();
        if (System.nanoTime() - lastSaid[0] > 5_000_000_000L) {
          lastSaid[0] = System.nanoTime();
          Progress.say("open tickets: %d of %d visible, inbox backlog %d", have, acked, app.inboxBacklog());
        }
        return have >= acked;
        // count(*) over thousands of tickets is not free: poll often only while they are few
      }, Duration.ofSeconds(n / 5 + 60), Duration.ofMillis(n > 1_000 ? 1_000 : 100));
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      long open = app.ticketCount();
      if (waited < 0 || open == 0) {
        throw new IllegalStateException(open + " of " + acked + " acked tickets visible in " + (n / 5 + 60)
            + " s; inbox rows of the missing: " + app.missingTickets(5));
      }
      String refused = acked < n ? "; " + (n - acked) + " updates not acked " + posted.statuses() : "";
      Idle.sleep(Duration.ofSeconds(2));
      long heapAfter = Idle.heapAfterGc();
      double perTicket = (heapAfter - heapBefore) / (1024.0 * 1024) / open;
      Progress.say("open tickets: heap %s after GC, %.3f MB per ticket", Idle.mib(heapAfter), perTicket);
      return List.of(
          Row.report(open + " open tickets: heap after GC (whole JVM: embedded Temporal + worker + app)",
              Idle.mib(heapAfter) + " (same JVM before the tickets " + Idle.mib(heapBefore) + "); all " + open + " visible "
                  + String.format("%.1f s", openSeconds) + " after the first was posted ("
                  + String.format("%.0f tickets/s", open / openSeconds) + ")" + refused, "report; bounded heap"),
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
      // phase 2 (enrichment, routing, assignment or the waiting line) must be over, or its work
      // would count as the idle cost of open tickets
      long t0 = System.nanoTime();
      List<Row> rows = new java.util.ArrayList<>();
      if (Idle.await(() -> a.routedCount() >= n, Duration.ofSeconds(n / 5 + 60), Duration.ofSeconds(n > 1_000 ? 5 : 1)) < 0) {
        Progress.say("open tickets: only %d of %d routed; measuring anyway", a.routedCount(), n);
      } else {
        double routedAfter = (System.nanoTime() - t0) / 1e9;
        // the steady state of an open ticket: routed, assigned or waiting, timers armed
        long heapRouted = Idle.heapAfterGc();
        double perTicket = (heapRouted - heapBefore) / (1024.0 * 1024) / n;
        Progress.say("open tickets: all routed %.1f s after the last became visible; heap %s after GC, %.3f MB per ticket",
            routedAfter, Idle.mib(heapRouted), perTicket);
        rows.add(Row.report("↳ heap after GC once phase 2 routed every ticket",
            String.format("%s, %.3f MB per ticket (routed %.0f s after the last became visible)",
                Idle.mib(heapRouted), perTicket, routedAfter), "report; bounded heap"));
      }
      long queued = a.outboxBacklog();
      double cpuBacklog = Idle.processCpuPercent(window);
      // the acknowledgements queue behind the 20/min group limit; with them out of the way the
      // figure shows what the tickets themselves cost while idle
      a.app().database().jdbi().useHandle(h -> h.execute("update outbox set status = 'SENT' where status = 'PENDING'"));
      Idle.sleep(Duration.ofSeconds(1));
      double cpuIdle = Idle.processCpuPercent(window);
      Progress.say("open tickets: %.1f%% of a core idle (%.1f%% with %d acks queued)", cpuIdle, cpuBacklog, queued);
      rows.add(Row.report("↳ JVM CPU while idle with " + n + " open tickets (" + window.toSeconds() + " s window)",
          String.format("%.1f%% of one core (empty app %.1f%%); %.1f%% while %d acks wait for the group limit",
              cpuIdle, emptyCpu, cpuBacklog, queued),
          "report"));
      return rows;
    } catch (RuntimeException e) {
      return List.of(Row.failed("JVM CPU while idle with " + n + " open tickets", "report", e));
    }
  }

  @Override
  public void close() {
    app.ifPresent(BenchApp::close);
  }
}
