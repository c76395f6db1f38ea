package dev.forumdesk.store;

import dev.forumdesk.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * The durable inbox: an update is acknowledged to Telegram only after {@link #append} committed,
 * and stays PENDING until the dispatcher delivered it to its ticket workflow.
 */
public final class Inbox implements dev.forumdesk.ticket.TicketInbox {
  public static final String PENDING = "PENDING";
  public static final String DELIVERED = "DELIVERED";
  public static final String IGNORED = "IGNORED";
  /**
   * Delivered, and a projection of the ticket shows its effect, or the effect needed no workflow to
   * last ({@link #settled}).
   */
  public static final String APPLIED = "APPLIED";

  /**
   * Relay mode: the inbox key of a customer's private messages ({@code ticket_id} of their rows),
   * which reach whichever ticket is theirs when delivered: delivered in order, one after the other.
   */
  public static String relayKey(long customerId) {
    return RELAY_KEY_PREFIX + customerId;
  }

  /**
   * A ticket keeps only its newest {@link dev.forumdesk.ticket.TicketState#SEEN_EVENTS_KEPT} seen
   * events: once its list is full, an update older than every one the list names ("u", "e", "r"
   * and their update id) can no longer be shown by it ({@link #showsRelayed}), though the ticket
   * had it. A relay row DELIVERED before those (its signal accepted before every update the ticket
   * still names) is done; left DELIVERED it would count as unapplied for ever
   * ({@link #oldestUnapplied}: a false {@code alerts.oldest-unapplied} and a DEGRADED inbox).
   *
   * @return the oldest update id a full list names; empty while the list is not full (it names
   *     every update it had)
   */
  static java.util.OptionalLong keptFrom(java.util.Collection<String> seenEvents) {
    if (seenEvents.size() < dev.forumdesk.ticket.TicketState.SEEN_EVENTS_KEPT) {
      return java.util.OptionalLong.empty();
    }
    return seenEvents.stream()
        .filter(e -> e.length() > 1 && "uer".indexOf(e.charAt(0)) >= 0 && e.chars().skip(1).allMatch(Character::isDigit))
        .mapToLong(e -> Long.parseLong(e.substring(1)))
        .min();
  }

  /** The start of every {@link #relayKey}. */
  static final String RELAY_KEY_PREFIX = "relay-";

  /**
   * Whether a ticket that has seen {@code seenEvents} shows the effect of relay row {@code updateId}:
   * the customer's message reached it, "u&lt;update_id&gt;" ("e&lt;update_id&gt;" for an edit). The
   * relay posts the message into the topic before its ticket hears it, so this is the row's last
   * step. The topic's opening, "r&lt;update_id&gt;", comes before the message and is not enough: a
   * stop between the two would lose the message.
   */
  static boolean showsRelayed(java.util.Collection<String> seenEvents, long updateId) {
    return seenEvents.contains("u" + updateId) || seenEvents.contains("e" + updateId);
  }

  /** The columns {@link #row} reads, up to the where clause. */
  private static final String SELECT_ROWS =
      "select update_id, ticket_id, kind, payload, attempts, received_at, next_attempt_at from inbox ";

  private final Database db;

  public Inbox(Database db) {
    this.db = db;
  }

  /**
   * Stores the update once. Updates that are not about a ticket are stored as IGNORED so a
   * redelivery is still recognised.
   *
   * @return true when stored now, false when the update id was already there.
   */
  public boolean append(long updateId, Optional<String> ticketId, String kind, String payload) {
    return append(updateId, ticketId, kind, payload, java.time.Duration.ZERO);
  }

  /**
   * {@link #append}, the update held back for {@code settle} first: updates Telegram sends at once,
   * over several connections, may arrive out of order, and the dispatcher delivers a key's rows in
   * update order only among those it has.
   */
  public boolean append(long updateId, Optional<String> ticketId, String kind, String payload,
      java.time.Duration settle) {
    Instant now = Instant.now();
    return db.inboxWrites()
            .write(
                h ->
                    h.createUpdate(
                            "insert into inbox (update_id, received_at, ticket_id, kind, payload,"
                                + " status, next_attempt_at) values (:id, :now, :ticket, :kind,"
                                + " :payload, :status, :due) on conflict do nothing")
                        .bind("id", updateId)
                        .bind("now", now)
                        .bind("due", now.plus(settle))
                        .bind("ticket", ticketId.orElse(null))
                        .bind("kind", kind)
                        .bind("payload", payload)
                        .bind("status", ticketId.isPresent() ? PENDING : IGNORED)
                        .execute())
        == 1;
  }

  /**
   * The oldest pending rows, including those waiting for a retry: the dispatcher must see them to
   * hold back later updates of the same ticket.
   */
  public List<InboxRow> pending(int limit) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        SELECT_ROWS + "where status = 'PENDING' order by update_id limit :limit")
                    .bind("limit", limit)
                    .map(Inbox::row)
                    .list());
  }

  /** A pending row without its payload: enough to decide which tickets have work. */
  public record Waiting(long updateId, String ticketId, Instant nextAttemptAt) {}

  /**
   * The oldest pending rows, light: the dispatcher reads these on every pass and loads payloads
   * only for the tickets it delivers now.
   */
  public List<Waiting> waiting(int limit) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select update_id, ticket_id, next_attempt_at from inbox where status ="
                            + " 'PENDING' order by update_id limit :limit")
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Waiting(rs.getLong("update_id"), rs.getString("ticket_id"),
                        rs.getTimestamp("next_attempt_at").toInstant()))
                    .list());
  }

  /** One ticket's pending rows in update order: the order its workflow must receive them. */
  public List<InboxRow> pendingFor(String ticketId, int limit) {
    return rowsOf(ticketId, "status = 'PENDING'", Map.of(), limit);
  }

  /**
   * A ticket's oldest row not yet applied (PENDING, or DELIVERED and not yet projected): while the
   * read model has no row for the ticket, this is the update that opens it.
   */
  public Optional<InboxRow> firstUnapplied(String ticketId) {
    return rowsOf(ticketId, UNAPPLIED, Map.of(), 1).stream().findFirst();
  }

  /**
   * A ticket's rows not yet applied (PENDING, or DELIVERED and not yet projected) that were received
   * before {@code receivedBefore}, in update order: after a restart of the embedded Temporal server,
   * what its restored workflow is told first (Restore), the updates answered 200 before the restart.
   */
  public List<InboxRow> unappliedFor(String ticketId, Instant receivedBefore) {
    return rowsOf(ticketId, UNAPPLIED + " and received_at < :before", Map.of("before", receivedBefore),
        Integer.MAX_VALUE);
  }

  /**
   * The update ids of a ticket's rows not yet applied (PENDING, or DELIVERED and not yet projected),
   * oldest first, with in relay mode its customer's private messages ({@link #relayKey}; none in group
   * mode): what is on its way to the ticket's workflow, for its late deadlines (lifecycle rules 13).
   *
   * @param customerId the ticket's customer, or null when it has none yet
   */
  @Override
  public List<Long> backlog(String ticketId, Long customerId) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select update_id from inbox where ticket_id in (:ticket, :relay) and " + UNAPPLIED
                            + " order by update_id limit 1000")
                    .bind("ticket", ticketId)
                    .bind("relay", customerId == null ? ticketId : relayKey(customerId))
                    .mapTo(Long.class)
                    .list());
  }

  /**
   * The name of the ticket's topic from its oldest row not applied yet, the update that opens it while
   * no projection shows the ticket: a forum_topic_created's, or a first message's that replies to the
   * topic's creation ({@link dev.forumdesk.telegram.Update.Message#topicName}).
   */
  @Override
  public Optional<String> topicName(String ticketId) {
    return firstUnapplied(ticketId).flatMap(row -> {
      dev.forumdesk.telegram.Update.Message m;
      try {
        m = Json.read(row.payload(), dev.forumdesk.telegram.Update.class).message();
      } catch (RuntimeException e) {
        return Optional.empty(); // not an update this code reads: the ticket is named by its id
      }
      if (m == null) {
        return Optional.empty();
      }
      if (m.forumTopicCreated() != null && m.forumTopicCreated().name() != null
          && !m.forumTopicCreated().name().isBlank()) {
        return Optional.of(m.forumTopicCreated().name().strip());
      }
      return Optional.ofNullable(m.topicName());
    });
  }

  /** Rows not yet applied: PENDING, or DELIVERED and not yet projected. */
  static final String UNAPPLIED = "status in ('PENDING', 'DELIVERED')";

  /**
   * One ticket's rows that meet {@code condition} (SQL, its parameters bound from {@code params}), the
   * first {@code limit} of them in update order.
   */
  private List<InboxRow> rowsOf(String ticketId, String condition, Map<String, ?> params, int limit) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        SELECT_ROWS + "where ticket_id = :ticket and " + condition
                            + " order by update_id limit :limit")
                    .bind("ticket", ticketId)
                    .bindMap(params)
                    .bind("limit", limit)
                    .map(Inbox::row)
                    .list());
  }

  /**
   * Whether an update of the ticket is on its way to the read model: PENDING since {@code
   * receivedSince} (the dispatcher delivers it in its turn), or DELIVERED since {@code deliveredSince}
   * (its workflow projects it in its next task). Older ones are taken for stuck.
   */
  public boolean onItsWay(String ticketId, Instant receivedSince, Instant deliveredSince) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select count(*) from inbox where ticket_id = :ticket and ((status = 'PENDING'"
                            + " and received_at > :received) or (status = 'DELIVERED' and delivered_at >"
                            + " :delivered))")
                    .bind("ticket", ticketId)
                    .bind("received", receivedSince)
                    .bind("delivered", deliveredSince)
                    .mapTo(Long.class)
                    .one())
        > 0;
  }

  /** The oldest rows of one kind not yet applied, e.g. the topics created that wait for their workflow. */
  public List<InboxRow> unappliedOfKind(String kind, int limit) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery(
                        SELECT_ROWS + "where status in ('PENDING', 'DELIVERED') and kind = :kind"
                            + " order by update_id limit :limit")
                    .bind("kind", kind)
                    .bind("limit", limit)
                    .map(Inbox::row)
                    .list());
  }

  /**
   * Marks a row delivered once its signal returned. The workflow may already have projected the
   * update (the row is APPLIED then), and that mark stays.
   */
  public void delivered(long updateId) {
    db.inboxMarks()
        .write(
            h ->
                h.createUpdate(
                        "update inbox set status = 'DELIVERED', delivered_at = :now where"
                            + " update_id = :id and status = 'PENDING'")
                    .bind("now", Instant.now())
                    .bind("id", updateId)
                    .execute());
  }

  /**
   * Marks a row delivered with an effect that is already there for good, in no workflow's memory:
   * a refused command answered in the topic (the refusal is its effect: it changed nothing, and its
   * answer is in the outbox), a command where no ticket is, an /away. A restart of the embedded
   * Temporal server does not queue it again ({@link #requeueUnapplied}), so it is never run a second
   * time against a ticket that has changed meanwhile.
   */
  public void settled(long updateId) {
    db.inboxMarks()
        .write(
            h ->
                markApplied(h, "update_id = :id", u -> u.bind("id", updateId)));
  }

  /**
   * Marks APPLIED the rows that meet {@code where} and are not applied yet: a settled effect here, a
   * projection that shows them ({@code TicketStore}). {@code binds} binds {@code where}'s parameters.
   */
  static int markApplied(Handle h, String where, Consumer<Update> binds) {
    Update update = h.createUpdate("update inbox set status = '" + APPLIED + "', delivered_at ="
            + " coalesce(delivered_at, :now) where " + where + " and " + UNAPPLIED)
        .bind("now", Instant.now());
    binds.accept(update);
    return update.execute();
  }

  public void retryLater(long updateId, Duration delay, String error) {
    db.inboxMarks()
        .write(
            h ->
                h.createUpdate(
                        "update inbox set attempts = attempts + 1, next_attempt_at = :at,"
                            + " last_error = :error where update_id = :id")
                    .bind("at", Instant.now().plus(delay))
                    .bind("error", truncate(error))
                    .bind("id", updateId)
                    .execute());
  }

  public boolean contains(long updateId) {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery("select count(*) from inbox where update_id = :id")
                    .bind("id", updateId)
                    .mapTo(Long.class)
                    .one())
        > 0;
  }

  public long backlog() {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery("select count(*) from inbox where status = 'PENDING'")
                    .mapTo(Long.class)
                    .one());
  }

  /** Receive time of the oldest undelivered update, if any. */
  public Optional<Instant> oldestPending() {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery("select min(received_at) from inbox where status = 'PENDING'")
                    .map((rs, ctx) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant))
                    .one());
  }

  /**
   * When the oldest update Temporal accepted (DELIVERED) that no projection shows yet was delivered:
   * its workflow applies it in its next task, within seconds, unless that task never runs (a stuck
   * workflow, a task failing on every attempt). The backlog monitor alerts past
   * {@code alerts.oldest-unapplied}.
   */
  public Optional<Instant> oldestUnapplied() {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery("select min(delivered_at) from inbox where status = 'DELIVERED'")
                    .map((rs, ctx) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant))
                    .one());
  }

  /**
   * After the embedded Temporal server restarted empty, updates it had accepted but whose effect
   * no projection shows yet (status DELIVERED, not APPLIED) must be delivered again. The restored
   * workflow drops any it has already seen. A refused command is not among them: {@link #settled}.
   *
   * @return how many rows were queued again
   */
  public int requeueUnapplied() {
    return db.inboxMarks()
        .write(
            h ->
                h.createUpdate(
                        "update inbox set status = 'PENDING', next_attempt_at = :now where status"
                            + " = 'DELIVERED'")
                    .bind("now", Instant.now())
                    .execute());
  }

  /** Highest update id stored, for the getUpdates offset. */
  public long lastUpdateId() {
    return db.inboxJdbi()
        .withHandle(
            h ->
                h.createQuery("select coalesce(max(update_id), 0) from inbox")
                    .mapTo(Long.class)
                    .one());
  }

  private static InboxRow row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new InboxRow(
        rs.getLong("update_id"),
        rs.getString("ticket_id"),
        rs.getString("kind"),
        rs.getString("payload"),
        rs.getInt("attempts"),
        rs.getTimestamp("received_at").toInstant(),
        rs.getTimestamp("next_attempt_at").toInstant());
  }

  static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
