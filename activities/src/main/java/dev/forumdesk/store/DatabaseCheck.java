package dev.forumdesk.store;

import dev.forumdesk.telegram.SharedRead;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Whether the database answers now, and if not why, within about 2 s: health's database check, the
 * checks and gauges that read it (which skip their queries while it is down) and
 * {@code forumdesk_database_up}. A pooled connection's round trip first; when the pool gives none
 * within {@link #POOL_WAIT} (in an outage it waits its whole 5 s connection timeout, and a refusal
 * never surfaced within health's 3 s: audit 20b, F5) or it fails, one connection of its own, made
 * with a 1 s connect timeout, tells why: "connection refused (127.0.0.1:5432)". One look at a time
 * for every reader, its answer kept {@link #FRESH_FOR}: a scrape or a health poll asks once, however
 * many of its parts ask.
 */
public final class DatabaseCheck {
  /** How long a look waits for a pooled connection before asking the database directly. */
  static final Duration POOL_WAIT = Duration.ofSeconds(1);
  /** The embedded store has no server to ask: the pool's wait is all there is, within health's 3 s. */
  static final Duration EMBEDDED_POOL_WAIT = Duration.ofMillis(2_500);
  /** How old an answer a reader accepts. */
  public static final Duration FRESH_FOR = Duration.ofSeconds(1);
  /** How long a reader waits for a look; a look itself ends within about 2 s. */
  static final Duration WAIT_AT_MOST = Duration.ofSeconds(3);

  /**
   * @param problem why it is down, or, up, what is wrong beside (the pool gave no connection in time)
   */
  public record Answer(boolean up, Optional<String> problem) {
    static Answer answers() {
      return new Answer(true, Optional.empty());
    }

    static Answer down(String why) {
      return new Answer(false, Optional.of(why));
    }
  }

  /** Opens a connection of its own to the database, outside the pools. */
  interface Direct {
    Connection open() throws SQLException;
  }

  private final DataSource pool;
  private final Optional<Direct> direct;
  private final Duration poolWait;
  private final SharedRead<Answer> read;

  /** @param direct empty for the embedded store */
  DatabaseCheck(DataSource pool, Optional<Direct> direct, Clock clock) {
    this.pool = pool;
    this.direct = direct;
    this.poolWait = direct.isPresent() ? POOL_WAIT : EMBEDDED_POOL_WAIT;
    this.read = new SharedRead<>(this::look, clock, "database-check");
  }

  /** The database's state, at most {@link #FRESH_FOR} old. */
  public Answer now() {
    SharedRead.Answer<Answer> a = read.get(FRESH_FOR, WAIT_AT_MOST);
    return a.late() ? Answer.down("no answer within " + WAIT_AT_MOST.toSeconds() + " s")
        : a.reading().orElseThrow().value();
  }

  private Answer look() {
    CompletableFuture<Void> ping = CompletableFuture.runAsync(() -> {
      try {
        roundTrip(pool.getConnection());
      } catch (SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, task -> Thread.ofVirtual().name("database-check-pool").start(task));
    Optional<String> pooled;
    try {
      ping.get(poolWait.toMillis(), TimeUnit.MILLISECONDS);
      return Answer.answers();
    } catch (TimeoutException e) {
      // left to end by itself, within the pool's connection timeout
      pooled = Optional.empty();
    } catch (ExecutionException e) {
      pooled = Optional.of(DatabaseOutage.describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.down("interrupted");
    }
    if (direct.isEmpty()) {
      return Answer.down(pooled.orElse("no connection within " + poolWait.toMillis() / 1000.0 + " s"));
    }
    try {
      roundTrip(direct.get().open());
    } catch (SQLException e) {
      return Answer.down(DatabaseOutage.describe(e));
    }
    // the database answers: the pool is busy, or its connection was one a restart had closed
    return new Answer(true, Optional.of(pooled.map(p -> "a pooled connection failed (" + p + ")")
        .orElse("no pooled connection free within " + poolWait.toSeconds() + " s")
        + "; a new connection answered"));
  }

  /** A statement, not just isValid: an H2 closed after a failed write kept answering isValid. */
  private static void roundTrip(Connection connection) throws SQLException {
    try (Connection c = connection; Statement st = c.createStatement()) {
      st.setQueryTimeout(2);
      st.execute("select 1");
    }
  }
}
