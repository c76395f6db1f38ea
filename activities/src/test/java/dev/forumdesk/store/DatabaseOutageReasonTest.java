package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** What {@link DatabaseOutage} makes of the failures a PostgreSQL outage gives, and what it leaves alone. */
class DatabaseOutageReasonTest {
  @Test
  void aRefusedConnectionNamesTheAddressTried() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Throwable refused = catchThrowable(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/x"));
    // as the pool hands it on after its connection timeout, under Jdbi's wrapper
    Throwable wrapped = new ConnectionException(new SQLTransientConnectionException(
        "forumdesk - Connection is not available, request timed out after 5000ms.", refused));

    assertThat(DatabaseOutage.of(refused)).contains("connection refused (127.0.0.1:" + port + ")");
    assertThat(DatabaseOutage.of(wrapped)).contains("connection refused (127.0.0.1:" + port + ")");
  }

  @Test
  void aRestartAClosedConnectionAndAPoolTimeoutAreOutagesInOneLine() {
    assertThat(DatabaseOutage.of(new ConnectionException(new SQLException(
        "FATAL: terminating connection due to administrator command", "57P01"))))
        .contains("PostgreSQL ended the connection (terminating connection due to administrator command): a restart or a stop");
    assertThat(DatabaseOutage.of(new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST)))
        .contains("connection lost (This connection has been closed.)");
    assertThat(DatabaseOutage.of(new SQLException("FATAL: the database system is starting up", "57P03")))
        .contains("PostgreSQL is not accepting connections (the database system is starting up)");
    assertThat(DatabaseOutage.of(new SQLTransientConnectionException(
        "forumdesk-inbox - Connection is not available, request timed out after 5001ms.")))
        .contains("no connection within 5 s (pool forumdesk-inbox)");
  }

  @Test
  void anyOtherFailureIsNoOutageAndIsDescribedByItsInnermostMessage() {
    Throwable duplicate = new RuntimeException("insert failed",
        new SQLException("duplicate key value violates unique constraint \"inbox_pkey\"", "23505"));

    assertThat(DatabaseOutage.of(duplicate)).isEmpty();
    assertThat(DatabaseOutage.of(new IllegalStateException("a bug"))).isEmpty();
    assertThat(DatabaseOutage.describe(duplicate)).isEqualTo("duplicate key value violates unique constraint \"inbox_pkey\"");
  }
}
