package dev.forumdesk.app;

import dev.forumdesk.observe.BacklogMonitor.Reading;
import dev.forumdesk.worker.WorkerPollers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The webhook role's reading for its monitor: how long no worker has taken the tickets' tasks
 * from Temporal. Updates are still acknowledged and delivered meanwhile, but no ticket moves, so
 * above {@code alerts.worker-silent} the supervisors are told (once, and once when a worker polls
 * again). Counted from this process's start when Temporal remembers no poller, so a webhook started
 * a moment before its worker raises nothing; nothing is read while Temporal cannot tell.
 */
final class WorkerSilence implements Supplier<List<Reading>> {
  static final String CONDITION = "worker-silent";

  private final WorkerPollers pollers;
  private final Clock clock;
  private final Instant watchingSince;

  WorkerSilence(WorkerPollers pollers, Clock clock) {
    this.pollers = pollers;
    this.clock = clock;
    this.watchingSince = clock.instant();
  }

  @Override
  public List<Reading> get() {
    WorkerPollers.Snapshot s = pollers.current();
    if (s.error().isPresent()) {
      return List.of();
    }
    Instant now = clock.instant();
    Instant since = s.lastPolled().filter(t -> t.isAfter(watchingSince)).orElse(watchingSince);
    // polling now (a long poll under way) reads 0, whatever its start
    long silent = s.polling() ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
    return List.of(new Reading(CONDITION, "the time since a worker last took tickets' tasks from Temporal", silent,
        pollers.window().toSeconds(), " s"));
  }
}
