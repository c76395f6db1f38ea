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

  public void run(Runnable action) {
    Instant now = clock.instant();
    Instant prev = last.get();
    if ((prev.equals(Instant.MIN) || !now.isBefore(prev.plus(interval))) && last.compareAndSet(prev, now)) {
      action.run();
    }
  }
}
