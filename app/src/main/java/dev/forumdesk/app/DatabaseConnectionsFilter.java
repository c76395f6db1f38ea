package dev.forumdesk.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.forumdesk.log.OncePer;
import dev.forumdesk.store.DatabaseOutage;
import dev.forumdesk.text.OneLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The connection pools' own warnings when PostgreSQL restarts or stops, one per pooled connection
 * (the four pools hold 28 a role): Hikari's "Failed to validate connection … Possibly consider using
 * a shorter maxLifetime value", which points the operator the wrong way (the database closed them; their
 * age has nothing to do with it), its "marked as broken because of SQLSTATE(57P01)" and "Pool is
 * empty, failed to create/setup connection" with a stack trace each (audit 20b, F2 and F3). The log
 * shows one WARN line instead: that the database closed the pools' connections, or that the pools
 * cannot open one, with the reason, at most once a minute each. Every other warning of the pools
 * stays. Registered in logback.xml.
 */
public final class DatabaseConnectionsFilter extends TurboFilter {
  static final String POOL_BASE = "com.zaxxer.hikari.pool.PoolBase";
  static final String PROXY_CONNECTION = "com.zaxxer.hikari.pool.ProxyConnection";
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(DatabaseConnectionsFilter.class);
  private volatile Clock clock = Clock.systemUTC();
  private volatile OncePer closed = oncePerMinute(clock);
  private volatile OncePer cannotOpen = oncePerMinute(clock);
  /**
   * When the pools last could not open a connection (each time, told or not): a connection found
   * closed within a minute of it is the same outage, said when it began (audit 21b F5: said again
   * 61 s into a stop, reading as a second restart).
   */
  private volatile Instant couldNotOpen = Instant.MIN;

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || format == null) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    if (name.equals(POOL_BASE) && format.contains("Failed to validate connection")) {
      // Hikari's arguments: the pool, the connection, the driver's message
      closed(params != null && params.length > 2 ? "connection lost (" + OneLine.of(String.valueOf(params[2]), 160) + ")"
          : "connection lost");
      return FilterReply.DENY;
    }
    if (name.equals(PROXY_CONNECTION) && format.contains("marked as broken")) {
      Throwable thrown = thrown(params, t);
      closed(thrown == null ? "connection lost" : DatabaseOutage.describe(thrown));
      return FilterReply.DENY;
    }
    if (name.equals(POOL_BASE) && format.contains("failed to create/setup connection")) {
      Throwable thrown = thrown(params, t);
      String why = thrown == null ? "no reason given" : DatabaseOutage.describe(thrown);
      couldNotOpen = clock.instant();
      cannotOpen.run(() -> log.warn("the pools cannot open a database connection ({}); they keep trying (said at most"
          + " once a minute)", why));
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private void closed(String why) {
    Instant last = couldNotOpen;
    if (!last.equals(Instant.MIN) && clock.instant().isBefore(last.plus(Duration.ofMinutes(1)))) {
      return; // the pools cannot open one: the outage that closed them, already said
    }
    closed.run(() -> log.warn("the database closed the pools' connections ({}); the pools open new ones as it answers"
        + " (said at most once a minute)", why));
  }

  /** Tests: the next restart or outage is told again, as in a process that has seen none. */
  void forget() {
    forget(Clock.systemUTC());
  }

  /** Tests: as {@link #forget()}, on {@code clock}. */
  void forget(Clock clock) {
    this.clock = clock;
    closed = oncePerMinute(clock);
    cannotOpen = oncePerMinute(clock);
    couldNotOpen = Instant.MIN;
  }

  private static OncePer oncePerMinute(Clock clock) {
    return new OncePer(Duration.ofMinutes(1), clock);
  }

  /** SLF4J passes an exception given after the arguments as the last argument. */
  private static Throwable thrown(Object[] params, Throwable t) {
    if (t != null) {
      return t;
    }
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
  }
}
