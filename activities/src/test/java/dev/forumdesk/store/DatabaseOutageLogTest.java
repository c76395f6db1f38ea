package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.shift.SettableClock;
import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop that fails on every pass while the database is unavailable (the outbox sender and the
 * dispatcher every 6 s, the monitors' looks every 5 s) says so in words: once when it starts, at
 * most once a minute while it lasts, once when it passes; not a WARN with the raw exception per pass
 * (audit 21b F5: ~20 a minute per role). Any other failure is the loop's own WARN each time.
 */
class DatabaseOutageLogTest {
  private static final Logger LOOP = LoggerFactory.getLogger("dev.forumdesk.test.Loop");
  @RegisterExtension final LogCapture logged = LogCapture.of("dev.forumdesk.test.Loop");

  static RuntimeException refused() {
    PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused. Check that the hostname and port"
        + " are correct and that the postmaster is accepting TCP/IP connections.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
        new ConnectException("Connection refused"));
    return new ConnectionException(new SQLTransientConnectionException(
        "forumdesk - Connection is not available, request timed out after 5000ms (total=0, active=0, idle=0, waiting=0)",
        refused));
  }

  @Test
  void aLoopSaysAnOutageOnceWhenItStartsAtMostOnceAMinuteAndOnceWhenItPasses() {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-06T04:26:56Z"));
    DatabaseOutageLog outage = new DatabaseOutageLog(LOOP, "the outbox sender", "bot messages wait in the outbox", clock);
    outage.succeeded(); // nothing to say
    for (int pass = 0; pass < 26; pass++) { // every 6 s for 150 s
      assertThat(outage.failed(refused())).isTrue();
      clock.advance(Duration.ofSeconds(6));
    }
    outage.succeeded();
    outage.succeeded();
    assertThat(outage.failed(new IllegalStateException("a bug"))).as("not the database's: the loop's own WARN").isFalse();

    assertThat(logged.events()).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
        "WARN the outbox sender: the database is unavailable (connection refused (127.0.0.1:5432)); bot messages wait in"
            + " the outbox until it answers (said once per outage, then at most once a minute)",
        "WARN the outbox sender: the database is still unavailable (connection refused (127.0.0.1:5432)) after 60 s"
            + " (11 tries failed so far)",
        "WARN the outbox sender: the database is still unavailable (connection refused (127.0.0.1:5432)) after 120 s"
            + " (21 tries failed so far)",
        "INFO the outbox sender: the database answers again (26 tries failed over 156 s)");
    assertThat(logged.events()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());

    clock.advance(Duration.ofMinutes(10)); // another outage: told again
    outage.failed(refused());
    outage.succeeded();
    assertThat(logged.events()).hasSize(6);
  }

}
