package dev.forumdesk.api;

import static dev.forumdesk.api.SlaReportTest.assignedTo;
import static dev.forumdesk.api.SlaReportTest.run;
import static dev.forumdesk.api.SlaReportTest.underHours;
import static dev.forumdesk.api.SlaReportTest.withBreaches;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.json.Json;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Breach;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import dev.forumdesk.store.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code reports.daily-at}: yesterday's SLA report is posted once a day, from that time on in the
 * report's zone (here the business hours' Europe/Berlin), where supervisors read, on a clock the
 * test sets (nobody waits till 09:00).
 */
class DailySlaReportTest {
  static final long CHAT = -1001234567890L;
  static final long STAFF = -1009999999999L;
  static final Person BORIS = new Person(1002, "Boris", "boris");
  static final BusinessHours OFFICE = SlaReportTest.BERLIN_OFFICE;
  static final String DESK = """
      support: {chat-id: %d, level2-chat-id: %d, supervisors: [900001, 900002]}
      sla:
        business-hours: {zone: Europe/Berlin, days: MON-FRI, from: "09:00", to: "18:00"}
      agents:
        - {id: 1001, name: Alice, username: alice}
        - {id: 1002, name: Boris, username: boris}
      """;

  @TempDir Path dir;
  Database db;
  Outbox outbox;
  WorkflowServiceStubs stubs;
  final SettableClock clock = new SettableClock(Instant.parse("2026-12-04T07:59:00Z")); // 08:59 in Berlin

  /** PostgreSQL, started for the first test that asks for it. */
  static PostgresServer postgres;

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void start() {
    // nobody answers here: the report only reads what waits in the inbox
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:1").build());
    use(Database.embedded(dir));
  }

  /** The desk's store from here on: H2, or a fresh database on the PostgreSQL server ({@code "postgresql"}). */
  void use(String kind) throws Exception {
    if (kind.equals("h2")) {
      return;
    }
    if (postgres == null) {
      postgres = PostgresServer.start();
    }
    String name = "report" + System.nanoTime();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        java.sql.Statement create = c.createStatement()) {
      create.execute("create database " + name);
    }
    db.close();
    use(Database.postgres(postgres.jdbcUrl().replace("/postgres", "/" + name), postgres.user(), ""));
  }

  private void use(Database database) {
    db = database;
    outbox = new Outbox(db);
    TicketStore store = new TicketStore(db);
    // Thursday 3 December in Berlin: from 2 Dec 23:00 UTC to 3 Dec 23:00 UTC
    // opened under the desk's business hours, their clocks ran on them
    store.save(underHours(assignedTo(run("r1", 1, Status.RESOLVED, Instant.parse("2026-12-03T08:10:00Z"),
        Instant.parse("2026-12-03T08:14:00Z"), List.of()), SlaReportTest.ALICE), OFFICE));
    store.save(underHours(withBreaches(assignedTo(inQueue(run("r1", 2, Status.IN_PROGRESS,
        Instant.parse("2026-12-03T09:00:00Z"), Instant.parse("2026-12-03T10:00:00Z"), List.of()), "general"), BORIS),
        new Breach("first-response", Instant.parse("2026-12-03T09:15:00Z"), Instant.parse("2026-12-03T09:15:00Z"))),
        OFFICE));
    store.save(underHours(run("r1", 3, Status.NEW, Instant.parse("2026-12-02T23:30:00Z"), null, List.of()), OFFICE)); // 00:30 in Berlin
    store.save(underHours(run("r1", 4, Status.NEW, Instant.parse("2026-12-03T23:30:00Z"), null, List.of()), OFFICE)); // Friday in Berlin
  }

  @AfterEach
  void stop() {
    stubs.shutdownNow();
    db.close();
  }

  DailySlaReport report(String yaml, Optional<LocalTime> at) {
    ForumdeskConfig config = ConfigLoader.fromYaml(yaml);
    UpdateClassifier classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    QueuedTickets queued = new QueuedTickets(new Inbox(db), classifier,
        new TicketGateway(WorkflowClient.newInstance(stubs), config, "forumdesk", false));
    StaffPlaces places = new StaffPlaces(() -> config);
    return new DailySlaReport(at, clock, new SlaReports(TicketStore.forReaders(db), queued, config), outbox, places,
        places.staffForum().orElse(config.support().chatId()));
  }

  DailySlaReport desk() {
    return report(DESK.formatted(CHAT, STAFF), Optional.of(LocalTime.of(9, 0)));
  }

  record Post(String key, long chat, String text) {}

  List<Post> posts() {
    return db.jdbi().withHandle(h -> h.createQuery("select idem_key, payload from outbox order by id")
        .map((rs, ctx) -> {
          JsonNode p = Json.read(rs.getString("payload"), JsonNode.class);
          return new Post(rs.getString("idem_key"), p.path("chat_id").asLong(), p.path("text").asText());
        }).list());
  }

  @Test
  void postsYesterdaysReportToTheStaffForumOnceFromTheTimeOn() {
    DailySlaReport daily = desk();
    daily.run();
    assertThat(posts()).as("08:59 in Berlin: not yet").isEmpty();

    clock.set(Instant.parse("2026-12-04T08:00:00Z")); // 09:00 in Berlin
    daily.run();
    daily.run();
    assertThat(posts()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("sla-report:2026-12-03");
      assertThat(p.chat()).as("the staff forum's General topic").isEqualTo(STAFF);
      assertThat(p.text()).isEqualTo("""
          📊 <b>SLA report for Thu 3 Dec 2026</b> (Europe/Berlin, business hours)
          Tickets: 3 new · 1 resolved · 2 open
          First response in time: 50 % · median 4 min · p90 1 h
          Breaches: 1 first response · 0 next response · 0 resolution · escalated 0
          Worst queue: general — 0 % in time, 1 breach in 1 ticket
          Worst agent: Boris — 0 % in time, 1 breach in 1 ticket""");
    });
  }

  /** A restart, or another replica on the same database, later that day: the day's report is not posted again. */
  @Test
  void aRestartOrAnotherReplicaDoesNotPostItTwice() {
    clock.set(Instant.parse("2026-12-04T08:30:00Z"));
    desk().run();
    clock.set(Instant.parse("2026-12-04T16:00:00Z"));
    desk().run();
    desk().run();
    assertThat(posts()).singleElement().extracting(Post::key).isEqualTo("sla-report:2026-12-03");

    clock.set(Instant.parse("2026-12-05T08:00:00Z")); // Saturday 09:00: Friday's
    desk().run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03", "sla-report:2026-12-04");
    assertThat(posts().get(1).text()).startsWith("📊 <b>SLA report for Fri 4 Dec 2026</b>")
        .contains("Tickets: 1 new · 0 resolved · 1 open");
  }

  /**
   * The desk down from Friday afternoon to Monday: at the first look after the restart each day it
   * missed is posted, oldest first, once, however many replicas (or restarts) look again.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void theDaysADeskDownMissedArePostedOldestFirstOnceAfterTheRestart(String kind) throws Exception {
    use(kind);
    clock.set(Instant.parse("2026-12-04T08:00:00Z")); // Friday 09:00 in Berlin: Thursday's
    desk().run();
    clock.set(Instant.parse("2026-12-07T10:00:00Z")); // Monday 11:00: restarted
    DailySlaReport restarted = desk();
    restarted.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03", "sla-report:2026-12-04",
        "sla-report:2026-12-05", "sla-report:2026-12-06");
    assertThat(posts()).extracting(Post::text).element(1).asString()
        .startsWith("📊 <b>SLA report for Fri 4 Dec 2026</b>").contains("Tickets: 1 new · 0 resolved · 1 open");
    assertThat(posts()).extracting(Post::text).element(2).asString()
        .isEqualTo("📊 <b>SLA report for Sat 5 Dec 2026</b> (Europe/Berlin, business hours)\nNo tickets were opened.");

    restarted.run();
    desk().run(); // another replica, or another restart
    clock.set(Instant.parse("2026-12-07T16:00:00Z"));
    desk().run();
    restarted.run();
    assertThat(posts()).as("each day once").hasSize(4);
  }

  /**
   * Down before the time and back before it the next day: the day before yesterday's report, due
   * yesterday, goes at once; yesterday's waits for the time.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void backBeforeTheTimeTheOverdueDayGoesAtOnceAndYesterdayAtTheTime(String kind) throws Exception {
    use(kind);
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    desk().run();
    clock.set(Instant.parse("2026-12-06T07:30:00Z")); // Sunday 08:30 in Berlin
    DailySlaReport restarted = desk();
    restarted.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03", "sla-report:2026-12-04");

    clock.set(Instant.parse("2026-12-06T08:00:00Z"));
    restarted.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03", "sla-report:2026-12-04",
        "sla-report:2026-12-05");
  }

  /** A desk down for weeks posts the last seven days, not every day since. */
  @Test
  void theLookBackIsAWeek() {
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    desk().run();
    clock.set(Instant.parse("2026-12-21T08:00:00Z")); // Monday 21 December, 09:00
    desk().run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03", "sla-report:2026-12-14",
        "sla-report:2026-12-15", "sla-report:2026-12-16", "sla-report:2026-12-17", "sla-report:2026-12-18",
        "sla-report:2026-12-19", "sla-report:2026-12-20");
  }

  /**
   * Before the feature's first report there is nothing to catch up: turned on for the first time
   * (no {@code sla-report:} row yet), the desk posts yesterday's from the time on, and no earlier
   * day although tickets were opened then.
   */
  @Test
  void turnedOnForTheFirstTimeOnlyYesterdaysIsPosted() {
    clock.set(Instant.parse("2026-12-07T07:00:00Z")); // Monday 08:00 in Berlin
    DailySlaReport daily = desk();
    daily.run();
    assertThat(posts()).isEmpty();
    clock.set(Instant.parse("2026-12-07T08:00:00Z"));
    daily.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-06");
  }

  /** Supervisors told by private message: a missed day goes to each of them, once. */
  @Test
  void aMissedDayGoesToEachSupervisorPrivately() {
    String group = DESK.formatted(CHAT, CHAT);
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    report(group, Optional.of(LocalTime.of(9, 0))).run();
    clock.set(Instant.parse("2026-12-06T08:00:00Z"));
    report(group, Optional.of(LocalTime.of(9, 0))).run();
    report(group, Optional.of(LocalTime.of(9, 0))).run();
    assertThat(posts()).extracting(Post::key).containsExactly(
        "sla-report:2026-12-03:dm:900001", "sla-report:2026-12-03:dm:900002",
        "sla-report:2026-12-04:dm:900001", "sla-report:2026-12-04:dm:900002",
        "sla-report:2026-12-05:dm:900001", "sla-report:2026-12-05:dm:900002");
  }

  /** Group mode without a staff forum: customers read the support forum, so each supervisor gets it privately. */
  @Test
  void withoutAStaffForumEachSupervisorGetsItPrivately() {
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    report(DESK.formatted(CHAT, CHAT), Optional.of(LocalTime.of(9, 0))).run();
    assertThat(posts()).extracting(Post::key, Post::chat).containsExactly(
        org.assertj.core.groups.Tuple.tuple("sla-report:2026-12-03:dm:900001", 900001L),
        org.assertj.core.groups.Tuple.tuple("sla-report:2026-12-03:dm:900002", 900002L));
    assertThat(posts().get(0).text()).startsWith("📊 <b>SLA report for Thu 3 Dec 2026</b>");
  }

  /**
   * Audit 8, F16: the day's report is posted once by its date, wherever it went. A restart that
   * leaves the staff forum out sends the supervisors no second copy by private message; the next
   * day's goes to the new place.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aRestartThatChangesWhereTheReportGoesDoesNotPostItAgain(String kind) throws Exception {
    use(kind);
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    desk().run();
    clock.set(Instant.parse("2026-12-04T08:51:00Z")); // restarted without the staff forum
    DailySlaReport withoutStaffForum = report(DESK.formatted(CHAT, CHAT), Optional.of(LocalTime.of(9, 0)));
    withoutStaffForum.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03");

    clock.set(Instant.parse("2026-12-05T08:00:00Z"));
    withoutStaffForum.run();
    assertThat(posts()).extracting(Post::key).containsExactly("sla-report:2026-12-03",
        "sla-report:2026-12-04:dm:900001", "sla-report:2026-12-04:dm:900002");

    clock.set(Instant.parse("2026-12-05T09:00:00Z")); // and back to the staff forum
    desk().run();
    assertThat(posts()).as("posted by private message: not again in the staff forum").hasSize(3);
  }

  /**
   * Audit 8, F7: business hours turned on by a reload on Thursday. A run opened before it kept its
   * wall-clock clocks (08:00-08:10 in Berlin, before the office opens: 10 min, not 0 s), and the
   * store keeps the calendar with each run, so the report measures each by its own and says the day
   * is mixed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void eachRunIsMeasuredByTheCalendarItWasOpenedWithAndTheDaySaysItIsMixed(String kind) throws Exception {
    use(kind);
    new TicketStore(db).save(run("r1", 5, Status.IN_PROGRESS, Instant.parse("2026-12-03T07:00:00Z"),
        Instant.parse("2026-12-03T07:10:00Z"), List.of()));
    clock.set(Instant.parse("2026-12-04T08:00:00Z"));
    desk().run();
    assertThat(posts()).singleElement().extracting(Post::text).asString()
        .startsWith("📊 <b>SLA report for Thu 3 Dec 2026</b> (Europe/Berlin, mixed: business hours 3, wall clock 1)")
        .contains("First response in time: 66.7 % · median 10 min · p90 1 h");
  }

  @Test
  void nothingIsPostedWhenReportsDailyAtIsUnset() {
    DailySlaReport off = report(DESK.formatted(CHAT, STAFF), Optional.empty());
    for (String at : List.of("2026-12-04T08:00:00Z", "2026-12-04T12:00:00Z", "2026-12-04T22:59:00Z")) {
      clock.set(Instant.parse(at));
      off.run();
    }
    assertThat(posts()).isEmpty();
  }

  /** {@code s} in another queue. */
  static TicketState inQueue(TicketState s, String queue) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), queue, s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), s.audit(), s.seenEvents(), s.version(), s.policy(), s.lifecycle(),
        s.clocks());
  }
}
