package dev.forumdesk.store;

import dev.forumdesk.text.OneLine;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a failure means the database cannot be used now (PostgreSQL stopped, restarting,
 * unreachable, or no pooled connection free in time), and why, in one line for the log and health:
 * "connection refused (127.0.0.1:5432)". Such a failure is retried and passes once the database
 * answers, so it is said in a line, never as a stack trace per try. Any other failure (a constraint,
 * a bug) is not one.
 */
public final class DatabaseOutage {
  /** pgjdbc's "Connection to 127.0.0.1:5432 refused. Check that …": the address tried. */
  private static final Pattern ADDRESS = Pattern.compile("Connection to (\\S+) refused");
  /** Hikari's "forumdesk - Connection is not available, request timed out after 5000ms.". */
  private static final Pattern POOL_TIMEOUT = Pattern.compile("^(\\S+) - Connection is not available, request timed out after (\\d+)ms");

  private DatabaseOutage() {}

  /** Why the database cannot be used, when {@code failure} says it cannot; empty for any other failure. */
  public static Optional<String> of(Throwable failure) {
    String address = null;
    String network = null;
    String state = null;
    String pool = null;
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t.getMessage() != null) {
        Matcher m = ADDRESS.matcher(t.getMessage());
        if (m.find() && address == null) {
          address = m.group(1);
        }
      }
      if (network == null) {
        network = switch (t) {
          case ConnectException c -> "connection refused";
          case NoRouteToHostException n -> "no route to host";
          case SocketTimeoutException s -> "no answer (" + OneLine.of(s.getMessage(), 80) + ")";
          case UnknownHostException u -> "unknown host " + OneLine.of(u.getMessage(), 120);
          default -> null;
        };
      }
      if (state == null && t instanceof SQLException s && s.getSQLState() != null) {
        state = fromState(s.getSQLState(), s.getMessage());
      }
      if (pool == null && t instanceof SQLTransientConnectionException s && s.getMessage() != null) {
        Matcher m = POOL_TIMEOUT.matcher(s.getMessage());
        pool = m.find() ? "no connection within " + Long.parseLong(m.group(2)) / 1000 + " s (pool " + m.group(1) + ")"
            : OneLine.of(s.getMessage(), 200);
      }
    }
    if (network != null) {
      return Optional.of(address == null ? network : network + " (" + address + ")");
    }
    return Optional.ofNullable(state != null ? state : pool);
  }

  /** Why {@code failure} happened in one line: {@link #of} for an outage, else its innermost message. */
  public static String describe(Throwable failure) {
    return of(failure).orElseGet(() -> {
      Throwable t = failure;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return OneLine.of(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName(), 200);
    });
  }

  /**
   * PostgreSQL's SQL states of a lost or refused connection (class 08, and 57P01-57P03: the server
   * shut down, crashed or is starting up), and of a refused login (class 28); null for the others.
   */
  private static String fromState(String state, String message) {
    String says = OneLine.of(message, 160).replaceFirst("^FATAL: ", "");
    if (state.equals("57P01")) {
      return "PostgreSQL ended the connection (" + says + "): a restart or a stop";
    }
    if (state.startsWith("57P")) {
      return "PostgreSQL is not accepting connections (" + says + ")";
    }
    if (state.startsWith("08")) {
      return "connection lost (" + says + ")";
    }
    if (state.startsWith("28")) {
      return "PostgreSQL refused the login (" + says + ")";
    }
    return null;
  }
}
