package dev.forumdesk.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a worker takes the tickets' tasks, as Temporal sees it: a role that runs no worker (the
 * webhook) asks DescribeTaskQueue of the ticket task queue, for workflow and activity tasks, who
 * polled within {@code window}. An idle worker polls again each minute (a long poll lasts up to
 * one), so the window must be longer than that. The answer is kept {@link #CACHE_FOR} (half the
 * window when that is shorter, so a fresh poll is never hidden by an old answer) so that health,
 * the gauge and the monitor together ask Temporal at most twice every few seconds.
 */
public final class WorkerPollers {
  public static final Duration CACHE_FOR = Duration.ofSeconds(5);

  /**
   * One look.
   *
   * @param workflowPollers pollers of workflow tasks seen within the window
   * @param activityPollers pollers of activity tasks seen within the window
   * @param lastPolled when both kinds of task were last polled for (the older of the two latest
   *     polls), empty when Temporal remembers no poller of one of them
   * @param error why Temporal could not tell (unreachable, or a server without DescribeTaskQueue)
   */
  public record Snapshot(int workflowPollers, int activityPollers, Optional<Instant> lastPolled,
      Optional<String> error) {
    /** A worker takes both kinds of task: tickets progress. */
    public boolean polling() {
      return error.isEmpty() && workflowPollers > 0 && activityPollers > 0;
    }
  }

  private final TemporalConnection temporal;
  private final String taskQueue;
  private final Duration window;
  private final Clock clock;
  private final Duration cacheFor;
  private volatile Snapshot last;
  private volatile Instant fetchedAt = Instant.MIN;

  public WorkerPollers(TemporalConnection temporal, String taskQueue, Duration window, Clock clock) {
    this.temporal = temporal;
    this.taskQueue = taskQueue;
    this.window = window;
    this.clock = clock;
    this.cacheFor = window.dividedBy(2).compareTo(CACHE_FOR) < 0 ? window.dividedBy(2) : CACHE_FOR;
  }

  public Duration window() {
    return window;
  }

  public synchronized Snapshot current() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(fetchedAt.plus(cacheFor))) {
      last = look(now);
      fetchedAt = now;
    }
    return last;
  }

  private Snapshot look(Instant now) {
    try {
      List<PollerInfo> workflow = temporal.pollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
      List<PollerInfo> activity = temporal.pollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
      Instant since = now.minus(window);
      Optional<Instant> workflowLast = latest(workflow);
      Optional<Instant> activityLast = latest(activity);
      Optional<Instant> both = workflowLast.isEmpty() || activityLast.isEmpty() ? Optional.empty()
          : Optional.of(workflowLast.get().isBefore(activityLast.get()) ? workflowLast.get() : activityLast.get());
      return new Snapshot(recent(workflow, since), recent(activity, since), both, Optional.empty());
    } catch (StatusRuntimeException e) {
      String why = e.getStatus().getCode() == Status.Code.UNIMPLEMENTED
          ? "this Temporal server cannot describe task queues"
          : "Temporal did not answer DescribeTaskQueue: " + e.getStatus().getCode();
      return new Snapshot(0, 0, Optional.empty(), Optional.of(why));
    }
  }

  private static int recent(List<PollerInfo> pollers, Instant since) {
    return (int) pollers.stream().filter(p -> lastAccess(p).isAfter(since)).count();
  }

  private static Optional<Instant> latest(List<PollerInfo> pollers) {
    return pollers.stream().map(WorkerPollers::lastAccess).max(Instant::compareTo);
  }

  private static Instant lastAccess(PollerInfo p) {
    return Instant.ofEpochSecond(p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos());
  }
}
