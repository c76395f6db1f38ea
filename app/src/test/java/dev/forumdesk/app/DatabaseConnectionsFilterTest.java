package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.forumdesk.log.LogCapture;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.LoggerFactory;

/**
 * The app's logging (logback.xml): the connection pools' warnings of a PostgreSQL restart, one per
 * pooled connection as Hikari 7 logs them (DatabaseOutageTest sees the real ones), are one line; so
 * are their "cannot open" ones while it is stopped; any other warning of the pools stays.
 */
class DatabaseConnectionsFilterTest {
  @RegisterExtension final LogCapture logged = LogCapture.root();

  /** The filter logback.xml installed, as a process that has seen no restart yet. */
  static void forgetEarlierOutages() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList().stream()
        .filter(DatabaseConnectionsFilter.class::isInstance)
        .forEach(f -> ((DatabaseConnectionsFilter) f).forget());
  }

  @BeforeEach
  void fresh() {
    forgetEarlierOutages();
  }

  @Test
  void aRestartsWarningsPerConnectionAreOneLineWithTheReason() {
    org.slf4j.Logger poolBase = LoggerFactory.getLogger(DatabaseConnectionsFilter.POOL_BASE);
    org.slf4j.Logger proxy = LoggerFactory.getLogger(DatabaseConnectionsFilter.PROXY_CONNECTION);
    proxy.warn("{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "forumdesk-inbox",
        "org.postgresql.jdbc.PgConnection@40409f2c", "57P01", 0,
        new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
    for (int i = 0; i < 28; i++) {
      poolBase.warn("{} - Failed to validate connection {} ({}). Possibly consider using a shorter maxLifetime value.",
          "forumdesk", "org.postgresql.jdbc.PgConnection@" + i, "This connection has been closed.");
    }
    for (int i = 0; i < 4; i++) {
      poolBase.warn("{} - Pool is empty, failed to create/setup connection ({})", "forumdesk-reads", "bdbd9611",
          new PSQLException("Connection to 127.0.0.1:55432 refused. Check that the hostname and port are correct and"
              + " that the postmaster is accepting TCP/IP connections.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
              new ConnectException("Connection refused")));
    }
    LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool")
        .warn("{} - Thread starvation or clock leap detected (housekeeper delta={}).", "forumdesk", "1m");

    assertThat(logged.events()).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
        "WARN the database closed the pools' connections (PostgreSQL ended the connection (terminating connection due to"
            + " administrator command): a restart or a stop); the pools open new ones as it answers (said at most once a"
            + " minute)",
        "WARN the pools cannot open a database connection (connection refused (127.0.0.1:55432)); they keep trying"
            + " (said at most once a minute)",
        "WARN forumdesk - Thread starvation or clock leap detected (housekeeper delta=1m).");
    assertThat(logged.events()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(logged.events().getFirst().getLevel()).isEqualTo(Level.WARN);
  }
}
