package dev.forumdesk.store;

import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.CommandRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The API actions a ticket's projection does not show yet (V29), kept beside their Idempotency-Keys:
 * the embedded Temporal server forgets an accepted action on a restart, and its ticket comes back
 * from a snapshot projected before it (an escalation waits for its Level 2 topic before its
 * projection). {@code Restore} starts their ticket with them, and its workflow applies them first, in
 * the order they came, under the same event id, so a ticket whose snapshot shows one drops it (audit
 * 10, F2), and before the deadlines that passed meanwhile (audit 11, F6). With a Temporal cluster nothing
 * is applied again: the rows only wait for their projection, which deletes them.
 */
public final class ApiActions {
  /** Asked of Temporal; the client has no answer yet. */
  static final String SENT = "SENT";
  /** Answered 200: it must outlive a restart. */
  static final String ACCEPTED = "ACCEPTED";
  /** The update ids of API actions ({@code api:<key>}), among a snapshot's seen events. */
  private static final String PREFIX = "api:";

  /**
   * An accepted action whose ticket's projection did not show it yet.
   *
   * @param receivedAt when the request came (before Temporal was asked): its place among the ticket's
   *     Telegram updates, which the inbox keeps with the time they came
   */
  public record Accepted(String ticketId, CommandRequest request, Instant receivedAt) {}

  private final Database db;

  public ApiActions(Database db) {
    this.db = db;
  }

  /**
   * Before Temporal is asked: so that a projection showing the action, however soon it comes, finds
   * the row to delete. A retry under the same Idempotency-Key keeps the first request's row.
   */
  public void sending(String ticketId, CommandRequest request) {
    db.jdbi().useHandle(h -> h.createUpdate("insert into api_actions (event_id, ticket_id, request, status, created_at)"
            + " values (:event, :ticket, :request, :status, :now) on conflict do nothing")
        .bind("event", request.eventId()).bind("ticket", ticketId).bind("request", Json.write(request))
        .bind("status", SENT).bind("now", Instant.now()).execute());
  }

  /** Temporal accepted it, and the client is answered 200: kept until a projection shows it. */
  public void accepted(String eventId) {
    db.jdbi().useHandle(h -> h.createUpdate("update api_actions set status = :status where event_id = :event")
        .bind("status", ACCEPTED).bind("event", eventId).execute());
  }

  /**
   * Refused, no ticket, or Temporal unreachable: the client was not told it was done, so nothing
   * applies it later. A row an earlier request under the same key had accepted stays.
   */
  public void notAccepted(String eventId) {
    db.jdbi().useHandle(h -> h.createUpdate("delete from api_actions where event_id = :event and status = :status")
        .bind("event", eventId).bind("status", SENT).execute());
  }

  /** The accepted actions not yet shown by a projection, in the order they came. */
  public List<Accepted> unapplied() {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select ticket_id, request, created_at from api_actions where status = :status order by seq")
        .bind("status", ACCEPTED)
        .map((rs, ctx) -> new Accepted(rs.getString("ticket_id"), Json.read(rs.getString("request"), CommandRequest.class),
            rs.getTimestamp("created_at").toInstant()))
        .list());
  }

  /**
   * Forgets an action that will not be applied again: its restored ticket shows it, or refused it
   * now, or is no more.
   */
  public void forget(String eventId) {
    db.jdbi().useHandle(h -> h.createUpdate("delete from api_actions where event_id = :event")
        .bind("event", eventId).execute());
  }

  /**
   * Forgets the actions of a request that never came back (SENT, the process stopped before
   * Temporal answered) from before {@code before}: their client had no 200.
   *
   * @return how many
   */
  public int forgetUnansweredBefore(Instant before) {
    return db.jdbi().withHandle(h -> h.createUpdate("delete from api_actions where status = :status and created_at < :before")
        .bind("status", SENT).bind("before", before).execute());
  }

  /**
   * Forgets rows older than {@code keep} ({@code api.idempotency-keep}, with the keys): an action
   * answered "Already done." (a retry) or that changed nothing leaves a row no projection deletes.
   */
  public int forgetOlderThan(Duration keep) {
    return db.jdbi().withHandle(h -> h.createUpdate("delete from api_actions where created_at < :cutoff")
        .bind("cutoff", Instant.now().minus(keep)).execute());
  }

  /**
   * In the projection's transaction: the API actions among {@code seenEvents} are in the ticket's
   * read model now, and need no second application after a restart.
   */
  static void shownBy(Handle h, String ticketId, Collection<String> seenEvents) {
    List<String> api = seenEvents.stream().filter(e -> e.startsWith(PREFIX)).toList();
    if (!api.isEmpty()) {
      h.createUpdate("delete from api_actions where ticket_id = :ticket and event_id in (<events>)")
          .bind("ticket", ticketId).bindList("events", api).execute();
    }
  }
}
