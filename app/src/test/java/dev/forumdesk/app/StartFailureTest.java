package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StartFailureTest {
  @Test
  void aTakenPortSaysWhichVariableMovesIt() {
    var e = new UncheckedIOException("cannot start embedded Temporal on port 7233",
        new java.io.IOException("bind failed", new BindException("Address already in use")));
    assertThat(StartFailure.describe(e)).isEqualTo("cannot start embedded Temporal on port 7233: Address already in use"
        + " (another process holds the port: set FORUMDESK_HTTP_PORT, or FORUMDESK_TEMPORAL_PORT for the embedded Temporal)");
  }

  @Test
  void anUnreachableDatabaseNamesItsVariablesInOneLine() {
    var e = new RuntimeException("Failed to initialize pool: FATAL: role \"forumdesk\" does not exist",
        new SQLException("FATAL: role \"forumdesk\" does not exist\n  Detail: ..."));
    assertThat(StartFailure.describe(e))
        .doesNotContain("\n")
        .startsWith("Failed to initialize pool: FATAL: role \"forumdesk\" does not exist")
        .endsWith("(check FORUMDESK_DB_URL, FORUMDESK_DB_USER and FORUMDESK_DB_PASSWORD)");
  }
}
