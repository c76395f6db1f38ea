package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.time.Duration;
import java.util.List;

/**
 * A desk's day in the embedded server's memory: N tickets opened, resolved by an agent and closed
 * (auto-close after 1 s), so their workflows complete; heap after GC once all are closed. Twice,
 * each in a fresh app: with the default retention ({@code temporal.embedded-retention}: P1D, so the
 * embedded Temporal server still holds every closed execution, as it did before it had one) and
 * with 1 s (the sweep then runs every second and drops them). Runs in a JVM of its own
 * ({@link ClosedTicketsMain}) so the heap is these apps' alone.
 */
public record ClosedTickets(BenchOptions options, OpenLoopDriver driver) {
  private static final int RATE = 100;
  private static final String CLOSE_AT_ONCE = "sla:\n  auto-close-resolved: PT1S\n";
  private static final String TARGET = "report; bounded heap";
  private static final Duration SETTLE = Duration.ofSeconds(75);

  public List<Row> run() {
    int n = options.quick() ? 200 : 1_000;
    String figure = n + " closed tickets: heap after GC (whole JVM), the embedded server's retention";
    try {
      Heap held = closeAll(n, "P1D", 11);
      Heap dropped = closeAll(n, "PT1S", 12);
      return List.of(Row.report(figure, String.format(
          "P1D (held): %s, %.3f MB per closed ticket; PT1S (dropped): %s, %.3f MB per closed ticket; empty app %s",
          Idle.mib(held.closed()), held.perTicket(), Idle.mib(dropped.closed()), dropped.perTicket(), Idle.mib(held.empty())),
          TARGET));
    } catch (RuntimeException e) {
      return List.of(Row.failed(figure, TARGET, e));
    }
  }

  record Heap(long empty, long closed, int tickets) {
    double perTicket() {
      return (closed - empty) / (1024.0 * 1024) / tickets;
    }
  }

  private Heap closeAll(int n, String retention, long seed) {
    String yaml = CLOSE_AT_ONCE + "temporal:\n  embedded-retention: " + retention + "\n";
    try (BenchApp app = BenchApp.start("closed-tickets", 0, yaml)) {
      Idle.sleep(Duration.ofSeconds(2));
      long empty = Idle.heapAfterGc();
      Progress.say("closed tickets, retention %s: empty app %s heap after GC; opening %d tickets at %d/s",
          retention, Idle.mib(empty), n, RATE);
      UpdateStream stream = new UpdateStream(seed, seed * 1_000_000, 1.0);
      int acked = driver.run(RATE, n, i -> app.webhookRequest(stream.newTopic()), Duration.ofSeconds(60)).ok();
      Duration bound = Duration.ofSeconds(n / 10 + 60);
      if (Idle.await(() -> app.ticketCount() >= acked, bound, Duration.ofMillis(200)) < 0) {
        throw new IllegalStateException(app.ticketCount() + " of " + acked + " tickets visible after " + bound.toSeconds() + " s");
      }
      List<String> ids = app.unresolvedTicketIds();
      Progress.say("closed tickets, retention %s: %d visible; resolving them at %d/s", retention, ids.size(), RATE);
      OpenLoopDriver.Result resolved =
          driver.run(RATE, ids.size(), i -> app.apiAction(ids.get((int) i), "resolve"), Duration.ofSeconds(60));
      if (Idle.await(() -> app.ticketCount("CLOSED") >= acked, bound, Duration.ofMillis(200)) < 0) {
        throw new IllegalStateException(app.ticketCount("CLOSED") + " of " + acked + " closed after "
            + bound.toSeconds() + " s (resolve answers " + resolved.statuses() + ")");
      }
      // with 1 s the sweep runs every second and drops an execution at its second look; the
      // server's gRPC deadlines of the last calls (long polls: about a minute) hold their
      // executions until then too, so both retentions are measured once those have passed
      Idle.sleep(SETTLE);
      long closed = Idle.heapAfterGc();
      Progress.say("closed tickets, retention %s: all %d closed; heap %s after GC", retention, acked, Idle.mib(closed));
      return new Heap(empty, closed, acked);
    }
  }
}
