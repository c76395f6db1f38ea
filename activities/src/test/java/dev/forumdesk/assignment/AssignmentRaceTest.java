package dev.forumdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Audit 13, F4: after a restart with tickets waiting for an agent and a raised cap, the waiting
 * line's serving and a restored ticket's own Assign went for the same ticket at once. The Assign
 * looked for the ticket's assignment before taking the assignment lock, found none (the line's
 * transaction had not committed), waited for the lock, joined the line again and recorded a second
 * assignment: a duplicate key on {@code assignments}, logged by Temporal as "Local activity failure"
 * with its stack trace (7 of them, 322 lines). The Assign now looks again under the lock and answers
 * with the line's assignment: no failure, one assignment.
 */
class AssignmentRaceTest {
  static final List<AgentConfig> AGENTS =
      List.of(new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 3));
  static final AgentRequirements EN = new AgentRequirements("en", null, null, 1, null);
  static final String TICKET = "ticket--1001234567890-350";

  /** Sessions waiting for a lock another one holds. */
  static int blocked(Database db, FreshDatabase.Kind kind) {
    String sql = kind == FreshDatabase.Kind.H2
        ? "select count(*) from information_schema.sessions where blocker_id is not null"
        : "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()";
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  /**
   * The time the roster reads; the first read on the gated thread (the line's serving, which holds
   * the assignment lock by then) waits until released, so another assignment can run into the lock.
   */
  static final class GateClock extends Clock {
    volatile Thread gated;
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Instant instant() {
      if (Thread.currentThread() == gated) {
        gated = null;
        reached.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theLinesServingAndTheTicketsOwnAssignAtOnceAssignItOnceWithoutAFailure(FreshDatabase fresh) throws Exception {
    GateClock clock = new GateClock();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Database db = fresh.open()) {
      Roster roster = new Roster(db, () -> AGENTS, clock);
      roster.sync();
      List<String> told = new CopyOnWriteArrayList<>();
      Assigner assigner = new Assigner(db, roster, told::add);
      roster.setOnShift(1, false);
      assertThat(assigner.assign(new AssignRequest(TICKET, EN, 1.0)).assigned()).as("waits: Alice is away").isFalse();
      roster.setOnShift(1, true); // capacity frees (at a restart: a raised cap)

      Future<List<String>> line = pool.submit(() -> {
        clock.gated = Thread.currentThread();
        return assigner.serveLine("cap raised");
      });
      assertThat(clock.reached.await(30, TimeUnit.SECONDS)).as("the line's serving holds the lock").isTrue();
      // the restored workflow's Assign of the same ticket: finds no assignment yet, waits for the lock
      Future<AssignResult> own = pool.submit(() -> assigner.assign(new AssignRequest(TICKET, EN, 1.0)));
      Awaitility.await("the Assign waits for the lock").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20)).until(() -> blocked(db, fresh.kind()) > 0);
      clock.release.countDown();

      assertThat(line.get(30, TimeUnit.SECONDS)).containsExactly(TICKET);
      AssignResult result = own.get(30, TimeUnit.SECONDS); // threw a duplicate key before
      assertThat(result.assigned()).isTrue();
      assertThat(result.agent().name()).isEqualTo("Alice");
      assertThat(result.reasons()).anySatisfy(r -> assertThat(r).startsWith("from the waiting line after"));
      int assignments = db.jdbi().withHandle(h -> h.createQuery("select count(*) from assignments where ticket_id = :t")
          .bind("t", TICKET).mapTo(Integer.class).one());
      assertThat(assignments).as("assigned exactly once").isEqualTo(1);
      int waiting = db.jdbi().withHandle(h -> h.createQuery("select count(*) from waiting_line").mapTo(Integer.class).one());
      assertThat(waiting).as("no longer waiting").isZero();
      assertThat(told).as("its workflow told once, by the line").containsExactly(TICKET);
      assertThat(roster.overview()).singleElement().satisfies(a -> assertThat(a.openTickets()).isEqualTo(1));
    } finally {
      clock.release.countDown();
      pool.shutdownNow();
    }
  }
}
