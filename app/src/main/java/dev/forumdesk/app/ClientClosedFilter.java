package dev.forumdesk.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.forumdesk.log.OncePer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Helidon's HTTP/1 connection takes a connection the client closed before its request's headers were
 * whole (a client gone, a scanner, a slow client giving up) for an internal error: a WARN "Internal
 * server error" with a 13-line stack trace ({@code DataReader$InsufficientDataAvailableException}), one
 * per connection, for anyone who reaches the port, before any token or allow-list (audit 21a F3: 300
 * connections, 3,600 stack lines). Nothing failed here and nobody is left to answer: one INFO line a
 * minute at most, with how many such connections since the last one. Every other warning of Helidon's
 * stays. Registered in logback.xml.
 */
public final class ClientClosedFilter extends TurboFilter {
  static final String HTTP1_CONNECTION = "io.helidon.webserver.http1.Http1Connection";
  static final String INTERNAL_ERROR = "Internal server error";
  private static final String NO_MORE_DATA = "InsufficientDataAvailableException";
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(ClientClosedFilter.class);
  private final OncePer oncePerMinute = new OncePer(Duration.ofMinutes(1), Clock.systemUTC());
  private final AtomicLong sinceLastLine = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !HTTP1_CONNECTION.equals(logger.getName()) || format == null
        || !format.contains(INTERNAL_ERROR) || !closedEarly(t)) {
      return FilterReply.NEUTRAL;
    }
    total.incrementAndGet();
    sinceLastLine.incrementAndGet();
    oncePerMinute.run(() -> log.info("a client closed its connection before its request was whole ({} such"
        + " connection(s) since this was last said; said at most once a minute)", sinceLastLine.getAndSet(0)));
    return FilterReply.DENY;
  }

  /** Tests: how many connections it has taken since the process started. */
  long connectionsClosedEarly() {
    return total.get();
  }

  /** Helidon's RequestException, caused by its reader finding the connection closed. */
  private static boolean closedEarly(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getClass().getName().endsWith(NO_MORE_DATA)) {
        return true;
      }
    }
    return false;
  }
}
