package dev.forumdesk.app;

import dev.forumdesk.store.DatabaseCheck;
import dev.forumdesk.telegram.SharedRead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures of the database that several gauges show, read in one pass for all of them: at most once
 * per {@code freshFor}, and waited for {@code waitAtMost} by a scrape as a whole, not by each of its
 * gauges. When the read is late, the gauges of that scrape and of the next ones within {@code
 * freshFor} get nothing (NaN) at once; the read goes on for a later scrape. Before, each gauge waited
 * for the pool's 5 s connection timeout in turn, and a scrape during a database outage took 45 s
 * (audit 20b, F1). While the {@link DatabaseCheck} finds the database down, there are none at once,
 * in the same scrape as {@code forumdesk_database_up 0}, and the read does not query.
 *
 * @param <T> the figures; none when they cannot be read (it logs nothing per scrape)
 */
final class ScrapeRead<T> {
  private static final Logger log = LoggerFactory.getLogger(ScrapeRead.class);
  private final DatabaseCheck database;
  private final SharedRead<Optional<T>> read;
  private final Duration freshFor;
  private final Duration waitAtMost;
  private final Clock clock;
  /** When a look last found the read late: looks until {@code freshFor} later do not wait for it. */
  private Instant lateAt;

  ScrapeRead(String name, DatabaseCheck database, Supplier<T> figures, Duration freshFor, Duration waitAtMost,
      Clock clock) {
    this.database = database;
    this.read = new SharedRead<>(() -> {
      if (!database.now().up()) {
        return Optional.empty();
      }
      try {
        return Optional.of(figures.get());
      } catch (RuntimeException e) { // the database failed under the read: the health checks say why
        log.debug("{} could not be read: {}", name, e.toString());
        return Optional.empty();
      }
    }, clock, name);
    this.freshFor = freshFor;
    this.waitAtMost = waitAtMost;
    this.clock = clock;
  }

  /** The figures at most {@code freshFor} old, or empty: the database down, or not read within the wait. */
  Optional<T> get() {
    if (!database.now().up()) {
      return Optional.empty();
    }
    Duration wait;
    synchronized (this) {
      wait = lateAt != null && clock.instant().isBefore(lateAt.plus(freshFor)) ? Duration.ZERO : waitAtMost;
    }
    SharedRead.Answer<Optional<T>> a = read.get(freshFor, wait);
    if (a.late()) {
      synchronized (this) {
        if (!wait.isZero()) {
          lateAt = clock.instant();
        }
      }
      return Optional.empty();
    }
    return a.reading().flatMap(SharedRead.Reading::value);
  }
}
