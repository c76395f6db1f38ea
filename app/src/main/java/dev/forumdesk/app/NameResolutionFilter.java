package dev.forumdesk.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.forumdesk.log.OncePer;
import dev.forumdesk.text.OneLine;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * gRPC's channel to Temporal logs "Failed to resolve name" as a WARN with a stack trace each time it
 * retries a host it cannot look up, every few seconds. The start refuses a TEMPORAL_ADDRESS that does
 * not resolve; this is for a name that stops resolving later (a DNS outage): one WARN line a minute
 * naming TEMPORAL_ADDRESS, the ticket worker's own "Temporal does not answer" line saying the rest.
 * Registered in logback.xml.
 */
public final class NameResolutionFilter extends TurboFilter {
  static final String GRPC_CHANNEL = "io.grpc.internal.ManagedChannelImpl";
  static final String FAILURE = "Failed to resolve name";
  private static final Pattern DESCRIPTION = Pattern.compile("description=([^,}\\n]*)");
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(NameResolutionFilter.class);
  private final OncePer oncePerMinute = new OncePer(Duration.ofMinutes(1), Clock.systemUTC());

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !GRPC_CHANNEL.equals(logger.getName()) || format == null || !format.contains(FAILURE)) {
      return FilterReply.NEUTRAL;
    }
    oncePerMinute.run(() -> log.warn("Temporal's host does not resolve ({}); check TEMPORAL_ADDRESS and DNS, retrying"
        + " (said at most once a minute)", cause(format, t)));
    return FilterReply.DENY;
  }

  /**
   * Why, in one line: gRPC logs the failed Status (its description, "Unable to resolve host notahost",
   * and its cause's whole stack trace) inside the message rather than as the exception.
   */
  static String cause(String message, Throwable t) {
    Matcher m = DESCRIPTION.matcher(message);
    if (m.find()) {
      return m.group(1).strip();
    }
    Throwable c = t;
    while (c != null && c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == null ? "no reason given" : OneLine.of(c.toString(), 200);
  }
}
