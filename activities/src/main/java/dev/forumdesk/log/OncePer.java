package dev.forumdesk.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** Lets an action (a warning) happen at most once per interval: an outage (the CRM, the database) logs once a minute, not per ticket or per request. */
public final class OncePer {
  private final Duration interval;
  private final Clock clock;
  private final AtomicReference<Instant> last = new AtomicReference<>(Instant.MIN);

  public OncePer(Duration interval, Clock clock) {
    this.interval = interval;
    this.clock = clock;
  }

  /** Runs the action if this interval's turn is free, and takes the turn. */
  public void run(Runnable action) {
    if (takeTurn()) {
      action.run();
    }
  }

  /**
   * Takes this interval's turn, if it is free, without an action: a warning logged elsewhere (e.g. an
   * outage's first line) counts as this interval's, and the next {@link #run} waits a whole interval.
   */
  public void mark() {
    takeTurn();
  }

  private boolean takeTurn() {
    Instant now = clock.instant();
    Instant prev = last.get();
    return (prev.equals(Instant.MIN) || !now.isBefore(prev.plus(interval))) && last.compareAndSet(prev, now);
  }
}
