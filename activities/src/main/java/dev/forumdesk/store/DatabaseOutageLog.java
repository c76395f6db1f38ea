package dev.forumdesk.store;

import dev.forumdesk.log.OncePer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a loop of the desk (the outbox sender, the dispatcher, the monitors' looks, the waiting line)
 * says while the database is unavailable: one WARN when its passes start failing on it, with the
 * cause as {@link DatabaseOutage} names it ("connection refused (127.0.0.1:5432)"), at most one
 * "still" a minute while they fail, and one INFO when a pass goes through again; before, each failed
 * pass was a WARN with the raw exception (~20 a minute per role, audit 21b F5). A failure that is not
 * the database's is the loop's to log, each time, as before.
 */
public final class DatabaseOutageLog {
  /** How often a line says the database is still unavailable. */
  public static final Duration STILL_EVERY = Duration.ofMinutes(1);

  private final Logger log;
  private final String loop;
  private final String meanwhile;
  private final Clock clock;
  /** The outage the loop is in, if any; guarded by this. */
  private Outage outage;

  private final class Outage {
    final Instant since;
    final OncePer still = new OncePer(STILL_EVERY, clock);
    int failures;

    Outage(Instant since) {
      this.since = since;
      still.mark(); // the first line counts as the first minute's
    }
  }

  /**
   * @param log the loop's own logger: the lines name it
   * @param loop what the lines are about: "the outbox sender"
   * @param meanwhile what waits meanwhile: "bot messages wait in the outbox"
   */
  public DatabaseOutageLog(Logger log, String loop, String meanwhile, Clock clock) {
    this.log = log;
    this.loop = loop;
    this.meanwhile = meanwhile;
    this.clock = clock;
  }

  public DatabaseOutageLog(Logger log, String loop, String meanwhile) {
    this(log, loop, meanwhile, Clock.systemUTC());
  }

  /**
   * A pass failed: told here when it failed on the database.
   *
   * @return whether it did (the caller logs any other failure itself)
   */
  public synchronized boolean failed(Throwable failure) {
    Optional<String> why = DatabaseOutage.of(failure);
    if (why.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    if (outage == null) {
      outage = new Outage(now);
      log.warn("{}: the database is unavailable ({}); {} until it answers (said once per outage, then at most once a"
          + " minute)", loop, why.get(), meanwhile);
    } else {
      Outage o = outage;
      o.still.run(() -> log.warn("{}: the database is still unavailable ({}) after {} s ({} tries failed so far)", loop,
          why.get(), Duration.between(o.since, now).toSeconds(), o.failures + 1));
    }
    outage.failures++;
    return true;
  }

  /** A pass went through (it used the database): the outage, if any, is over. */
  public synchronized void succeeded() {
    if (outage != null) {
      log.info("{}: the database answers again ({} tries failed over {} s)", loop, outage.failures,
          Duration.between(outage.since, clock.instant()).toSeconds());
      outage = null;
    }
  }
}
