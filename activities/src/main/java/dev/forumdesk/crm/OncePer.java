package dev.forumdesk.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** Lets an action (a warning) happen at most once per interval, so a CRM outage logs once a minute, not per ticket. */
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
