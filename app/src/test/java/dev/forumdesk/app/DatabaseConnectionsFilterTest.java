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
  @org.junit.jupiter.api.AfterEach // a test's clock is not left to the next
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

  /**
   * PostgreSQL stopped for 150 s: connections the pools still held are found closed a minute into
   * it, while the pools cannot open one. The same outage, said once: not "the database closed the
   * pools' connections" again, which reads as a second restart (audit 21b F5). A restart after the
   * pools opened connections again for a minute is told again.
   */
  @Test
  void connectionsFoundClosedWhileThePoolsCannotOpenOneAreTheSameOutage() {
    java.time.Instant[] now = {java.time.Instant.parse("2026-12-06T04:26:57Z")};
    forgetEarlierOutages(new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return now[0];
      }
    });
    org.slf4j.Logger poolBase = LoggerFactory.getLogger(DatabaseConnectionsFilter.POOL_BASE);
    Runnable closed = () -> poolBase.warn("{} - Failed to validate connection {} ({}). Possibly consider using a shorter"
        + " maxLifetime value.", "forumdesk", "org.postgresql.jdbc.PgConnection@1", "This connection has been closed.");
    Runnable cannotOpen = () -> poolBase.warn("{} - Pool is empty, failed to create/setup connection ({})", "forumdesk",
        "bdbd9611", new PSQLException("Connection to 127.0.0.1:55433 refused. Check that the hostname and port are"
            + " correct and that the postmaster is accepting TCP/IP connections.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new ConnectException("Connection refused")));
    closed.run();
    for (int s = 5; s <= 150; s += 5) { // the pools keep trying
      now[0] = now[0].plusSeconds(5);
      cannotOpen.run();
      if (s == 65) {
        closed.run(); // a connection the pool still held, found closed
      }
    }
    now[0] = now[0].plusSeconds(10 * 60); // answers again; ten minutes later a restart
    closed.run();

    assertThat(logged.events()).extracting(e -> e.getFormattedMessage().replaceFirst(" \\(.*", "")).containsExactly(
        "the database closed the pools' connections",
        "the pools cannot open a database connection",
        "the pools cannot open a database connection",
        "the pools cannot open a database connection",
        "the database closed the pools' connections");
  }

  static void forgetEarlierOutages(java.time.Clock clock) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList().stream()
        .filter(DatabaseConnectionsFilter.class::isInstance)
        .forEach(f -> ((DatabaseConnectionsFilter) f).forget(clock));
  }
}
