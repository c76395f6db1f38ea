package dev.forumdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.shift.SettableClock;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.LoggerFactory;

/**
 * A local activity that fails on the database, as the tickets' projections did in a PostgreSQL
 * outage, through the worker's {@link DatabaseOutages}: the SDK logs no WARN with a stack trace per
 * try, the worker one line at the start and one when it goes through; any other failure stays the
 * SDK's WARN with its stack trace.
 */
class DatabaseOutagesTest {
  /** Where the SDK logs an activity's failed try (temporal-sdk 1.38: ActivityTaskExecutors$ActivityTaskExecutor). */
  static final String SDK_ACTIVITY_LOGGER = "io.temporal.internal.activity";

  @ActivityInterface
  public interface Store {
    void write();
  }

  @WorkflowInterface
  public interface Writer {
    @WorkflowMethod
    void run();
  }

  public static class WriterImpl implements Writer {
    private final Store store = Workflow.newLocalActivityStub(Store.class, LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(5)).setScheduleToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50)).setBackoffCoefficient(1).build())
        .build());

    @Override
    public void run() {
      store.write();
    }
  }

  /** Fails {@code failures} times with {@code failure}, then writes. */
  static final class FailingStore implements Store {
    final AtomicInteger calls = new AtomicInteger();
    private final int failures;
    private final Supplier<RuntimeException> failure;

    FailingStore(int failures, Supplier<RuntimeException> failure) {
      this.failures = failures;
      this.failure = failure;
    }

    @Override
    public void write() {
      if (calls.incrementAndGet() <= failures) {
        throw failure.get();
      }
    }
  }

  /** What Jdbi throws when the pool found no connection in 5 s because PostgreSQL refused them. */
  static RuntimeException refused() {
    PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused. Check that the hostname and port"
        + " are correct and that the postmaster is accepting TCP/IP connections.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
        new ConnectException("Connection refused"));
    return new ConnectionException(new SQLTransientConnectionException(
        "forumdesk - Connection is not available, request timed out after 5000ms.", refused));
  }

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private TestWorkflowEnvironment env;

  @BeforeEach
  void listen() {
    logged.start();
    root.addAppender(logged);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new DatabaseOutages(Clock.systemUTC())).build())
        .build());
  }

  @AfterEach
  void stop() {
    env.close();
    root.detachAppender(logged);
  }

  private void run(Store store) {
    Worker worker = env.newWorker("outages");
    worker.registerWorkflowImplementationTypes(WriterImpl.class);
    worker.registerActivitiesImplementations(store);
    env.start();
    env.getWorkflowClient().newWorkflowStub(Writer.class,
        io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue("outages").setWorkflowId("ticket-1").build()).run();
  }

  @Test
  void triesThatFailOnTheDatabaseAreALineWhenTheyStartAndOneWhenTheyGoThrough() {
    FailingStore store = new FailingStore(4, DatabaseOutagesTest::refused);
    run(store);

    assertThat(store.calls).hasValue(5);
    assertThat(logged.list).as("the SDK's WARNs").filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
        && e.getLoggerName().startsWith(SDK_ACTIVITY_LOGGER)).isEmpty();
    assertThat(ours()).containsExactly(
        "WARN the database is unavailable (connection refused (127.0.0.1:5432)): the tickets' activities are retried"
            + " until it answers (said once per outage, then at most once a minute)",
        "INFO the database answers again: the tickets' activities go on (4 tries failed over 0 s)");
  }

  @Test
  void anyOtherFailureStaysTheSdksWarningWithItsStackTrace() {
    FailingStore store = new FailingStore(1, () -> new IllegalStateException("a bug"));
    run(store);

    assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN && e.getLoggerName().startsWith(SDK_ACTIVITY_LOGGER))
        .singleElement().satisfies(e -> assertThat(e.getThrowableProxy().getMessage()).isEqualTo("a bug"));
    assertThat(ours()).isEmpty();
  }

  /** A long outage: a "still" line a minute at most, the first line counting as the first minute's. */
  @Test
  void aLongOutageSaysStillAtMostOnceAMinute() {
    SettableClock now = new SettableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    DatabaseOutages outages = new DatabaseOutages(now);
    for (int seconds : new int[] {0, 30, 59, 60, 90, 119, 125}) {
      now.set(java.time.Instant.parse("2026-12-01T10:00:00Z").plusSeconds(seconds));
      outages.failed("ticket-1/1", "connection refused", now.instant());
    }
    outages.succeeded("ticket-1/1");

    assertThat(ours()).containsExactly(
        "WARN the database is unavailable (connection refused): the tickets' activities are retried until it answers"
            + " (said once per outage, then at most once a minute)",
        "WARN the database is still unavailable (connection refused) after 60 s: 4 tries of the tickets' activities"
            + " failed so far, retried until it answers",
        "WARN the database is still unavailable (connection refused) after 125 s: 7 tries of the tickets' activities"
            + " failed so far, retried until it answers",
        "INFO the database answers again: the tickets' activities go on (7 tries failed over 125 s)");
  }

  /**
   * Tries that waited for a pooled connection while PostgreSQL restarted fail after the first one
   * went through: they began before the recovery, so they are the outage that passed, not a new one
   * (audit 21b F3). A try begun after the recovery that fails opens a new outage.
   */
  @Test
  void triesBegunBeforeTheRecoveryThatFailAfterItOpenNoNewOutage() {
    SettableClock now = new SettableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    DatabaseOutages outages = new DatabaseOutages(now);
    java.time.Instant start = now.instant();
    outages.failed("ticket-1/1", "connection refused", start);
    now.set(start.plusSeconds(90));
    java.time.Instant waiting = now.instant(); // these tries wait 5 s for a connection
    now.set(start.plusSeconds(92));
    outages.succeeded("ticket-1/1");
    now.set(start.plusMillis(92_200));
    outages.failed("ticket-2/1", "no connection within 5 s (pool forumdesk)", waiting);
    outages.failed("ticket-3/1", "no connection within 5 s (pool forumdesk)", waiting);
    now.set(start.plusMillis(92_300));
    outages.succeeded("ticket-2/1");
    outages.succeeded("ticket-3/1");

    now.set(start.plusSeconds(300)); // stopped again
    outages.failed("ticket-4/1", "connection refused", now.instant());
    outages.succeeded("ticket-4/1");

    assertThat(ours()).containsExactly(
        "WARN the database is unavailable (connection refused): the tickets' activities are retried until it answers"
            + " (said once per outage, then at most once a minute)",
        "INFO the database answers again: the tickets' activities go on (1 tries failed over 92 s)",
        "WARN the database is unavailable (connection refused): the tickets' activities are retried until it answers"
            + " (said once per outage, then at most once a minute)",
        "INFO the database answers again: the tickets' activities go on (1 tries failed over 0 s)");
  }

  private List<String> ours() {
    return logged.list.stream().filter(e -> e.getLoggerName().equals(DatabaseOutages.class.getName())
            && e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }
}
