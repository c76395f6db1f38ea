package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Relay mode's private messages as a version before their projection marks left them in the inbox:
 * never APPLIED, so the first restart of the embedded Temporal server after the upgrade would queue
 * them all again, and one whose ticket is CLOSED since would open a new topic. The upgrade settles
 * those whose effect a ticket's snapshot shows, and no other.
 */
class RelayRowsOfEarlierVersionsTest {
  static final Person BOB = new Person(5001, "Bob", "bob");
  static final Person CAROL = new Person(5002, "Carol", "carol");
  static final Person DAN = new Person(5003, "Dan", "dan");

  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeSettlesTheRelayRowsATicketShowsAndLeavesTheRest(FreshDatabase fresh) throws Exception {
    // the main store before its V31 (PostgreSQL's inbox is one of its tables), the embedded inbox before its V3
    FreshDatabase earlier = fresh.migratedTo("30").inboxMigratedTo("2");
    // Bob's first ticket, CLOSED: opened by 100 (its TopicOpened r100 and his message u100), then his
    // message 101 and an edit 103; 102 was his /start, settled then. His second ticket was opened by
    // 104 (r104) when the process stopped, before his message u104 reached it; 105 was still waiting.
    ticket(earlier, "ticket--100-1", BOB, Status.CLOSED, "r100", "u100", "u101", "e103");
    ticket(earlier, "ticket--100-2", BOB, Status.NEW, "r104");
    // Carol's ticket has her 200; 201 was signalled, not yet projected
    ticket(earlier, "ticket--100-3", CAROL, Status.IN_PROGRESS, "r200", "u200");
    // a group-mode topic's row, which is not the upgrade's: it is keyed by its ticket and settled so
    ticket(earlier, "ticket--100-4", DAN, Status.CLOSED, "u300");
    Map<Long, String> before = new LinkedHashMap<>();
    before.put(100L, Inbox.DELIVERED);
    before.put(101L, Inbox.DELIVERED);
    before.put(102L, Inbox.APPLIED);
    before.put(103L, Inbox.DELIVERED);
    before.put(104L, Inbox.PENDING);
    before.put(105L, Inbox.PENDING);
    before.put(200L, Inbox.PENDING); // projected before the dispatcher's DELIVERED mark was written
    before.put(201L, Inbox.DELIVERED);
    before.put(300L, Inbox.DELIVERED);
    before.forEach((id, status) -> inboxRow(earlier, id,
        id == 300 ? "ticket--100-4" : Inbox.relayKey(id < 200 ? BOB.id() : CAROL.id()),
        id == 103 ? "relay-edit" : id == 300 ? "message" : "relay-in", status));

    try (Database upgraded = earlier.open()) {
      assertThat(statuses(upgraded)).isEqualTo(Map.of(
          100L, Inbox.APPLIED, 101L, Inbox.APPLIED, 102L, Inbox.APPLIED, 103L, Inbox.APPLIED,
          104L, Inbox.PENDING, // its topic is open, its message has not reached it: delivered after the upgrade
          105L, Inbox.PENDING,
          200L, Inbox.APPLIED,
          201L, Inbox.DELIVERED, // queued again at the restart, its ticket drops nothing it has not had
          300L, Inbox.DELIVERED));
      Inbox inbox = new Inbox(upgraded);
      inbox.requeueUnapplied();
      assertThat(inbox.pending(100)).extracting(InboxRow::updateId).containsExactly(104L, 105L, 201L, 300L);
    }
    assertThat(upgradesAsked(earlier)).as("done once: nothing left for the next start").isZero();
  }

  /**
   * A ticket keeps its last 2,000 seen events: a row an earlier version left whose message its
   * ticket had before those can no longer be shown. Delivered, and older than every update the full
   * list names, it is settled too: left DELIVERED, it raised alerts.oldest-unapplied (and the
   * inbox's DEGRADED health) for ever. One a list that is not full does not show is left as before.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeSettlesADeliveredRowOlderThanEveryUpdateAFullSeenListNames(FreshDatabase fresh) throws Exception {
    FreshDatabase earlier = fresh.migratedTo("30").inboxMigratedTo("2");
    // Bob's ticket saw 2,000 events after his message 100: it no longer names it
    ticket(earlier, "ticket--100-1", BOB, Status.CLOSED, java.util.stream.LongStream.range(1_000, 1_000
        + TicketState.SEEN_EVENTS_KEPT).mapToObj(id -> "u" + id).toArray(String[]::new));
    // Carol's ticket names her 200, not her 201 (signalled, not yet projected) nor her older 150
    ticket(earlier, "ticket--100-2", CAROL, Status.IN_PROGRESS, "r200", "u200");
    inboxRow(earlier, 100, Inbox.relayKey(BOB.id()), "relay-in", Inbox.DELIVERED);
    inboxRow(earlier, 150, Inbox.relayKey(CAROL.id()), "relay-in", Inbox.DELIVERED);
    inboxRow(earlier, 200, Inbox.relayKey(CAROL.id()), "relay-in", Inbox.DELIVERED);
    inboxRow(earlier, 201, Inbox.relayKey(CAROL.id()), "relay-in", Inbox.DELIVERED);
    try (Database upgraded = earlier.open()) {
      assertThat(statuses(upgraded)).isEqualTo(Map.of(100L, Inbox.APPLIED, 150L, Inbox.DELIVERED,
          200L, Inbox.APPLIED, 201L, Inbox.DELIVERED));
    }
  }

  /**
   * Once, on either store: at the next start, a row the step would settle (its ticket shows it, and
   * it is DELIVERED, as only an earlier version leaves one) is left as it is. On PostgreSQL the step
   * ran at every start before the main store's V31.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeRunsAtTheFirstStartOnlyNotAtTheNext(FreshDatabase fresh) throws Exception {
    FreshDatabase earlier = fresh.migratedTo("30").inboxMigratedTo("2");
    ticket(earlier, "ticket--100-1", BOB, Status.CLOSED, "r100", "u100");
    inboxRow(earlier, 100, Inbox.relayKey(BOB.id()), "relay-in", Inbox.DELIVERED);
    try (Database first = earlier.open()) {
      assertThat(statuses(first)).as("the first start settles it").isEqualTo(Map.of(100L, Inbox.APPLIED));
    }
    assertThat(upgradesAsked(earlier)).isZero();

    ticket(earlier, "ticket--100-2", BOB, Status.CLOSED, "r101", "u101");
    inboxRow(earlier, 101, Inbox.relayKey(BOB.id()), "relay-in", Inbox.DELIVERED);
    try (Database second = earlier.open()) {
      assertThat(statuses(second)).as("the second start does not run the step")
          .isEqualTo(Map.of(100L, Inbox.APPLIED, 101L, Inbox.DELIVERED));
    }
  }

  /** The rows of {@code inbox_upgrades} beside the inbox: the SQLite file's, or PostgreSQL's main store's. */
  private static int upgradesAsked(FreshDatabase db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.inboxUrl(), db.user(), "");
        var rs = c.createStatement().executeQuery("select count(*) from inbox_upgrades")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** An inbox row as an earlier version left it, received an hour ago. */
  private static void inboxRow(FreshDatabase db, long id, String key, String kind, String status) {
    try (Connection c = DriverManager.getConnection(db.inboxUrl(), db.user(), "");
        PreparedStatement insert = c.prepareStatement("insert into inbox (update_id, received_at, ticket_id, kind,"
            + " payload, status, next_attempt_at) values (?, ?, ?, ?, '{}', ?, ?)")) {
      Timestamp at = Timestamp.from(Instant.now().minusSeconds(3600));
      insert.setLong(1, id);
      insert.setTimestamp(2, at);
      insert.setString(3, key);
      insert.setString(4, kind);
      insert.setString(5, status);
      insert.setTimestamp(6, at);
      insert.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A ticket's snapshot in the read model, as its last projection wrote it, with the events it has seen. */
  private static void ticket(FreshDatabase db, String id, Person customer, Status status, String... seen)
      throws Exception {
    TicketState s = TestTickets.of(id, customer, status);
    s = s.withHistory(s.audit(), List.of(seen), s.policy());
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), "");
        PreparedStatement insert = c.prepareStatement("insert into tickets (id, chat_id, thread_id, status, priority,"
            + " level, queue, customer_id, created_at, updated_at, version, state) values (?, -100, ?, ?, 'NORMAL', 1,"
            + " 'general', ?, current_timestamp, current_timestamp, 1, ?)")) {
      insert.setString(1, id);
      insert.setLong(2, Long.parseLong(id.substring(id.lastIndexOf('-') + 1)));
      insert.setString(3, status.name());
      insert.setLong(4, customer.id());
      insert.setString(5, Json.write(s));
      insert.executeUpdate();
    }
  }

  private static Map<Long, String> statuses(Database db) {
    Map<Long, String> statuses = new LinkedHashMap<>();
    db.inboxJdbi().useHandle(h -> h.createQuery("select update_id, status from inbox order by update_id")
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(e -> statuses.put(e.getKey(), e.getValue())));
    return statuses;
  }
}
