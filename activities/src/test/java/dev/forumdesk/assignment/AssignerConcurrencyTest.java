package dev.forumdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caps hold when 50 tickets ask for an agent at the same moment, against the real H2 database. */
class AssignerConcurrencyTest {
  static final List<AgentConfig> AGENTS = List.of(
      new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 5),
      new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 4),
      new AgentConfig(3, "Carmen", "carmen", "general", List.of("en"), List.of(), 1, 3));

  @TempDir Path dir;
  Database db;
  Roster roster;
  Assigner assigner;

  @BeforeEach
  void open() {
    db = Database.embedded(dir);
    roster = new Roster(db, () -> AGENTS);
    roster.sync();
    assigner = new Assigner(db, roster);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void fiftySimultaneousAssignmentsNeverExceedACap() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<AssignResult>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        String ticket = "ticket-c-" + i;
        Callable<AssignResult> task = () -> {
          go.await();
          return assigner.assign(new AssignRequest(ticket, new AgentRequirements("en", null, null, 1, null), 1.0));
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      List<AssignResult> done = new ArrayList<>();
      for (Future<AssignResult> f : results) {
        done.add(f.get());
      }
      Map<Long, Long> perAgent = done.stream().filter(AssignResult::assigned)
          .collect(Collectors.groupingBy(r -> r.agent().id(), Collectors.counting()));
      assertThat(perAgent).containsExactlyInAnyOrderEntriesOf(Map.of(1L, 5L, 2L, 4L, 3L, 3L));
      assertThat(done.stream().filter(r -> !r.assigned())).hasSize(38)
          .allSatisfy(r -> assertThat(r.reasons())
              .contains("waiting: Alice is at cap (5/5), Boris is at cap (4/4) and Carmen is at cap (3/3)"));
      assertThat(roster.overview()).extracting(Roster.AgentStatus::openTickets).containsExactly(5, 4, 3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRetriedAssignmentReturnsTheFirstAnswerAndAResolvedTicketFreesItsSlot() {
    var req = new AgentRequirements("en", null, null, 1, null);
    TicketState t = TestTickets.unopenedTicket();
    AssignResult first = assigner.assign(new AssignRequest(t.id(), req, 2.0));
    assertThat(assigner.assign(new AssignRequest(t.id(), req, 2.0)).agent()).isEqualTo(first.agent());
    assertThat(roster.overview()).filteredOn(a -> a.id() == first.agent().id())
        .singleElement().satisfies(a -> assertThat(a.weightedLoad()).isEqualTo(2.0));

    new TicketStore(db).save(TestTickets.withVersionAndStatus(t, 2, Status.RESOLVED));
    assertThat(roster.overview()).allSatisfy(a -> assertThat(a.openTickets()).isZero());
    new TicketStore(db).save(TestTickets.withVersionAndStatus(t, 3, Status.IN_PROGRESS));
    assertThat(roster.overview()).as("reopened: the agent holds it again").filteredOn(a -> a.id() == first.agent().id())
        .singleElement().satisfies(a -> assertThat(a.weightedLoad()).isEqualTo(2.0));
  }

  @Test
  void aResolveThatRacedTheAssignmentIsReleasedByTheSweep() {
    var req = new AgentRequirements("en", null, null, 1, null);
    AssignResult r = assigner.assign(new AssignRequest("t-2", req, 1.0));
    // the resolve's projection committed before the assignment's row existed: nothing flagged it
    db.jdbi().useHandle(h -> h.execute(
        "insert into tickets (id, chat_id, thread_id, status, priority, level, queue, updated_at, version, state)"
            + " values ('t-2', 1, 2, 'RESOLVED', 'NORMAL', 1, 'general', current_timestamp, 1, '{}')"));
    assertThat(roster.overview()).filteredOn(a -> a.id() == r.agent().id()).singleElement()
        .satisfies(a -> assertThat(a.openTickets()).isEqualTo(1));
    assertThat(assigner.releaseFinished()).isEqualTo(1);
    assertThat(roster.overview()).allSatisfy(a -> assertThat(a.openTickets()).isZero());
    assertThat(assigner.releaseFinished()).isZero();
  }

  @Test
  void anAssignmentOfATicketTheReadModelShowsResolvedDoesNotCount() {
    TicketState t = TestTickets.unopenedTicket();
    new TicketStore(db).save(TestTickets.withVersionAndStatus(t, 2, Status.RESOLVED));
    var req = new AgentRequirements("en", null, null, 1, null);
    assertThat(assigner.assign(new AssignRequest(t.id(), req, 1.0)).assigned()).isTrue();
    assertThat(roster.overview()).allSatisfy(a -> assertThat(a.openTickets()).isZero());
  }

  @Test
  void anAwayAgentGetsNothingUntilBack() {
    roster.setOnShift(1, false);
    roster.setOnShift(2, false);
    var req = new AgentRequirements("en", null, null, 1, null);
    for (int i = 0; i < 3; i++) {
      assertThat(assigner.assign(new AssignRequest("a-" + i, req, 1.0)).agent().name()).isEqualTo("Carmen");
    }
    assertThat(assigner.assign(new AssignRequest("a-3", req, 1.0)).assigned()).isFalse();
    roster.setOnShift(2, true);
    assertThat(assigner.assign(new AssignRequest("a-3", req, 1.0)).agent().name()).isEqualTo("Boris");
    assertThat(roster.overview()).extracting(Roster.AgentStatus::onShift).containsExactly(false, true, true);
  }

  @Test
  void anAgentOutsideTheirHoursIsSkippedAndTheOverviewSaysUntilWhen() {
    var berlinOffice = dev.forumdesk.shift.ShiftHours.parse("Europe/Berlin", List.of("Mon-Fri 09:00-18:00"));
    List<AgentConfig> agents = List.of(
        new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 5, berlinOffice),
        new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 5));
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-09T19:00:00+01:00")); // Friday evening
    Roster shifts = new Roster(db, () -> agents, clock);
    Assigner byHours = new Assigner(db, shifts);
    var req = new AgentRequirements("en", null, null, 1, 1L); // Alice is the customer's last agent

    AssignResult r = byHours.assign(new AssignRequest("s-1", req, 1.0));
    assertThat(r.agent().name()).isEqualTo("Boris");
    assertThat(r.reasons()).contains("not sticky: Alice is off shift until Mon 09:00 Europe/Berlin");
    assertThat(shifts.overview()).first().satisfies(a -> {
      assertThat(a.onShift()).isFalse();
      assertThat(a.shift()).isEqualTo("off-shift");
      assertThat(a.shiftUntil()).isEqualTo("2026-01-12T09:00+01:00");
      assertThat(a.shiftHours()).isEqualTo("Mon-Fri 09:00-18:00 (Europe/Berlin)");
    });

    clock.set(java.time.Instant.parse("2026-01-12T09:00:00+01:00"));
    assertThat(byHours.assign(new AssignRequest("s-2", req, 1.0)).reasons()).contains("sticky: customer's last agent Alice");
    assertThat(shifts.overview()).extracting(Roster.AgentStatus::shift, Roster.AgentStatus::shiftUntil)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("on-shift", "2026-01-12T18:00+01:00"),
            org.assertj.core.groups.Tuple.tuple("on-shift", null));
    shifts.setOnShift(1, false);
    assertThat(shifts.overview().getFirst().shift()).as("/away wins over the hours").isEqualTo("away");
  }

  @Test
  void aReassignmentMovesTheTicketAndItsWeightUnderTheLock() {
    var req = new AgentRequirements("en", null, null, 1, null);
    AssignResult first = assigner.assign(new AssignRequest("r-1", req, 2.0));
    long from = first.agent().id();
    Reassignment.Outcome o = assigner.apply("r-1",
        agents -> Reassignment.reassign(from, from, java.util.Optional.empty(), agents, req));
    assertThat(o).isInstanceOf(Reassignment.Moved.class);
    long to = ((Reassignment.Moved) o).to().id();
    assertThat(to).isNotEqualTo(from);
    assertThat(assigner.holder("r-1")).contains(to);
    assertThat(roster.overview()).filteredOn(a -> a.id() == to).singleElement()
        .satisfies(a -> assertThat(a.weightedLoad()).isEqualTo(2.0));
    assertThat(roster.overview()).filteredOn(a -> a.id() == from).singleElement()
        .satisfies(a -> assertThat(a.openTickets()).isZero());
  }
}
