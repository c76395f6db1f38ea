package dev.forumdesk.store;

import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Each ticket's twin in the external help desk ({@code help_desk_links}): its id there, the ticket
 * version and status pushed last, and how the last attempt went (OK, or FAILED with the reason and
 * the time of the next attempt). A ticket without a row is not mirrored yet: PENDING.
 */
public final class HelpDeskLinks {
  /** What the ticket JSON shows of the twin. */
  public record Link(String kind, String externalId, String sync, String lastError) {}

  /**
   * A ticket whose state the help desk has not seen yet, with what was pushed before.
   *
   * @param createTriedAt when its twin's create was first sent; empty before the first attempt
   */
  public record Due(TicketState ticket, long version, Optional<String> externalId, Optional<String> syncedStatus,
      int attempts, Optional<String> syncedTitle, Optional<Instant> createTriedAt) {}

  private final Database db;
  private final String kind;

  public HelpDeskLinks(Database db, String kind) {
    this.db = db;
    this.kind = kind;
  }

  /**
   * Tickets to push, oldest change first: never mirrored (and not CLOSED), changed since the last
   * push, or failed last time; a failed one only once its retry is due. A mirrored one with
   * messages not yet added to its twin waits for them: the messages written before a status reach
   * the help desk first.
   */
  public List<Due> due(int limit, Instant now) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select t.state, t.version, l.external_id, l.synced_status, coalesce(l.attempts, 0), l.synced_title,"
                + " l.create_tried_at"
                + " from tickets t left join help_desk_links l on l.ticket_id = t.id"
                + " where (l.ticket_id is null and t.status <> 'CLOSED')"
                + " or (l.ticket_id is not null and l.next_attempt_at <= :now"
                + "     and (t.version > l.synced_version or l.sync = 'FAILED')"
                // a twin's status waits for the messages written before it (due again once they went)
                + "     and not (l.external_id is not null and exists (select 1 from help_desk_messages m"
                + "       where m.ticket_id = t.id and m.pushed_at is null)))"
                + " order by t.updated_at, t.id limit :limit")
        .bind("now", now)
        .bind("limit", limit)
        .map((rs, ctx) -> new Due(Json.read(rs.getString(1), TicketState.class), rs.getLong(2),
            Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)), rs.getInt(5),
            Optional.ofNullable(rs.getString(6)),
            Optional.ofNullable(rs.getObject(7, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
        .list());
  }

  /**
   * The twin's create is about to be sent: from now on its answer may be lost (or this process)
   * while the help desk makes the twin all the same, so its time is stored first, and only the
   * first attempt's: a retry looks for that twin from then. A ticket without a row gets one,
   * PENDING and due.
   *
   * @param contentIsMessage whether the twin's content is the customer's first message ({@code
   *     false}: the title, the message not being there yet; it is then a comment like any other)
   * @param contentEventId the recorded message ({@link #message}) that is the content, when it is
   *     one: that message, and only that one, is left out of the comments (a follow-up run's first
   *     message is not, though the read model calls it the first message: the twin holds the first
   *     run's)
   */
  public void creating(String ticketId, long version, Instant at, boolean contentIsMessage,
      Optional<String> contentEventId) {
    db.jdbi().useTransaction(h -> {
      int updated = h.createUpdate("update help_desk_links set create_tried_at = coalesce(create_tried_at, :at),"
              + " content_is_message = coalesce(content_is_message, :content),"
              + " content_event_id = case when create_tried_at is null then :event else content_event_id end"
              + " where ticket_id = :id")
          .bind("id", ticketId).bind("at", at).bind("content", contentIsMessage)
          .bind("event", contentEventId.orElse(null))
          .execute();
      if (updated == 0) {
        h.createUpdate("insert into help_desk_links (ticket_id, kind, synced_version, sync, attempts, next_attempt_at,"
                + " updated_at, create_tried_at, content_is_message, content_event_id)"
                + " values (:id, :kind, :version, 'PENDING', 0, :at, :at, :at, :content, :event)")
            .bind("id", ticketId).bind("kind", kind).bind("version", version - 1).bind("at", at)
            .bind("content", contentIsMessage).bind("event", contentEventId.orElse(null))
            .execute();
      }
    });
  }

  /**
   * The twin was made now (not adopted from an earlier attempt): whether its content is the
   * customer's first message, and which recorded message it is, is this attempt's to say, whatever
   * the first attempt's was.
   */
  public void created(String ticketId, boolean contentIsMessage, Optional<String> contentEventId) {
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set content_is_message = :content,"
            + " content_event_id = :event where ticket_id = :id")
        .bind("id", ticketId).bind("content", contentIsMessage).bind("event", contentEventId.orElse(null)).execute());
  }

  /**
   * The twin exists ({@code externalId}, with {@code title}; made as new) but the ticket's status is
   * not sent yet: it waits for the messages written before it. The ticket stays due, now.
   */
  public void mirrored(String ticketId, String externalId, String title) {
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set external_id = :external,"
            + " synced_status = coalesce(synced_status, 'NEW'), synced_title = coalesce(:title, synced_title),"
            + " sync = 'OK', last_error = null, next_attempt_at = :now, updated_at = :now where ticket_id = :id")
        .bind("id", ticketId).bind("external", externalId).bind("title", title).bind("now", Instant.now()).execute());
  }

  /** The push went through: the help desk holds this version's status and title. */
  public void synced(String ticketId, String externalId, long version, String status, String title) {
    write(ticketId, externalId, version, status, title, "OK", null, 0, Instant.now());
  }

  /**
   * The push failed; tried again at {@code retryAt}. The external id is kept when the ticket was
   * created there before the failure, so it is never created twice.
   */
  public void failed(String ticketId, Optional<String> externalId, long version, Optional<String> status, String error,
      int attempts, Instant retryAt) {
    write(ticketId, externalId.orElse(null), version - 1, status.orElse(null), null, "FAILED", error, attempts, retryAt);
  }

  private void write(String ticketId, String externalId, long version, String status, String title, String sync,
      String error, int attempts, Instant nextAttemptAt) {
    db.jdbi().useTransaction(h -> {
      int updated = h.createUpdate("update help_desk_links set external_id = coalesce(:external, external_id),"
              + " synced_version = greatest(synced_version, :version), synced_status = coalesce(:status, synced_status),"
              + " synced_title = coalesce(:title, synced_title),"
              + " sync = :sync, last_error = :error, attempts = :attempts, next_attempt_at = :next, updated_at = :now"
              + " where ticket_id = :id")
          .bind("id", ticketId).bind("external", externalId).bind("version", version).bind("status", status)
          .bind("title", title).bind("sync", sync).bind("error", error).bind("attempts", attempts)
          .bind("next", nextAttemptAt).bind("now", Instant.now())
          .execute();
      if (updated == 0) {
        h.createUpdate("insert into help_desk_links (ticket_id, kind, external_id, synced_version, synced_status,"
                + " synced_title, sync, last_error, attempts, next_attempt_at, updated_at) values (:id, :kind, :external,"
                + " :version, :status, :title, :sync, :error, :attempts, :next, :now)")
            .bind("id", ticketId).bind("kind", kind).bind("external", externalId).bind("version", version)
            .bind("status", status).bind("title", title).bind("sync", sync).bind("error", error).bind("attempts", attempts)
            .bind("next", nextAttemptAt).bind("now", Instant.now())
            .execute();
      }
    });
  }

  /** A message of a ticket's topic, kept until it is a comment on the twin; once per event. */
  public void message(String ticketId, String eventId, String author, String role, String body, Instant at) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "insert into help_desk_messages (event_id, ticket_id, author, role, body, at) values (:event, :ticket,"
                + " :author, :role, :body, :at) on conflict do nothing")
        .bind("event", eventId).bind("ticket", ticketId).bind("author", author).bind("role", role)
        .bind("body", body).bind("at", at).execute());
  }

  /** Whether message {@code eventId} is recorded for the help desk (a comment sent or waiting). */
  public boolean hasMessage(String eventId) {
    return db.jdbi().withHandle(h -> h.createQuery("select count(*) from help_desk_messages where event_id = :event")
        .bind("event", eventId).mapTo(Long.class).one()) > 0;
  }

  /**
   * A message waiting for its ticket's twin, oldest first, with the twin's id and the ticket's state.
   *
   * @param firstOfCustomer whether it is the oldest customer message recorded for the ticket
   */
  public record Message(String eventId, String externalId, TicketState ticket, String author, String role,
      String body, Instant at, boolean twinHoldsFirstMessage, boolean firstOfCustomer,
      Optional<String> contentEventId) {
    /**
     * Whether this message is the twin's content, and no comment: the one named when the twin was
     * made; for a twin made before that was stored (V34), the customer's first message as before,
     * except in a follow-up run: the read model's first message is then the follow-up's, and the
     * twin it reuses holds the first run's, the oldest recorded customer message of the ticket
     * (recorded messages are kept), so the follow-up's first message is a comment.
     */
    public boolean isContent() {
      if (contentEventId.isPresent()) {
        return contentEventId.get().equals(eventId);
      }
      if (!twinHoldsFirstMessage || !role.equals("CUSTOMER")) {
        return false;
      }
      if (ticket.followUpOf() != null) {
        return firstOfCustomer;
      }
      return body.equals(ticket.firstMessage()) || (ticket.firstMessage() == null && firstOfCustomer);
    }
  }

  /** A customer's message recorded for a ticket. */
  public record Recorded(String eventId, String body) {}

  /**
   * The customer's first message recorded for the ticket, if any: it is there once delivered,
   * possibly before the read model's snapshot shows it.
   */
  public Optional<Recorded> firstCustomerMessage(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select event_id, body from help_desk_messages"
                + " where ticket_id = :id and role = 'CUSTOMER' order by at, event_id limit 1")
        .bind("id", ticketId)
        .map((rs, ctx) -> new Recorded(rs.getString(1), rs.getString(2)))
        .findOne());
  }

  /**
   * The customer's oldest recorded message of the ticket not added to a twin yet whose text is
   * {@code body}: the one a twin made now holds as its content.
   */
  public Optional<Recorded> unpushedCustomerMessage(String ticketId, String body) {
    return db.jdbi().withHandle(h -> h.createQuery("select event_id, body from help_desk_messages"
                + " where ticket_id = :id and role = 'CUSTOMER' and pushed_at is null and body = :body"
                + " order by at, event_id limit 1")
        .bind("id", ticketId).bind("body", body)
        .map((rs, ctx) -> new Recorded(rs.getString(1), rs.getString(2)))
        .findOne());
  }

  /** Whether the ticket has messages that are not comments on its twin yet. */
  public boolean hasUnpushedMessages(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select count(*) from help_desk_messages"
                + " where ticket_id = :id and pushed_at is null")
        .bind("id", ticketId).mapTo(Long.class).one()) > 0;
  }

  /**
   * Comments failed as the help desk does for all (down): every mirrored ticket with messages
   * still waiting is FAILED with {@code error} until one of its messages goes.
   */
  public void messagesFailed(String error) {
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set messages_error = :error"
            + " where external_id is not null and exists (select 1 from help_desk_messages m"
            + " where m.ticket_id = help_desk_links.ticket_id and m.pushed_at is null)")
        .bind("error", error).execute());
  }

  /**
   * A comment of this ticket failed: the ticket (its later messages wait in order behind it) is
   * FAILED with {@code error} until one of its messages goes, and its messages are tried again at
   * {@code retryAt}'s answer for the number of passes in a row they failed (1 the first time).
   * Other tickets' messages go on meanwhile ({@link #unpushedMessages(int, Instant)}).
   */
  public void messagesFailed(String ticketId, String error, java.util.function.IntFunction<Instant> retryAt) {
    db.jdbi().useTransaction(h -> {
      h.createUpdate("update help_desk_links set messages_error = :error,"
              + " messages_attempts = coalesce(messages_attempts, 0) + 1 where ticket_id = :id and external_id is not null")
          .bind("id", ticketId).bind("error", error).execute();
      h.createQuery("select messages_attempts from help_desk_links where ticket_id = :id and external_id is not null")
          .bind("id", ticketId).mapTo(Integer.class).findOne().ifPresent(attempts ->
              h.createUpdate("update help_desk_links set messages_retry_at = :at where ticket_id = :id")
                  .bind("id", ticketId).bind("at", retryAt.apply(attempts)).execute());
    });
  }

  /**
   * The help desk refused message {@code eventId} for good: it is left out (the ticket's later
   * messages and its status go on), and its ticket is FAILED with {@code error} until another of
   * its messages goes. The help desk answered for the ticket: its failures in a row ({@link
   * #messagesFailed(String, String, java.util.function.IntFunction)}) end, as when a message goes.
   */
  public void messageSkipped(String eventId, String error) {
    db.jdbi().useTransaction(h -> {
      h.createUpdate("update help_desk_messages set pushed_at = :now where event_id = :event")
          .bind("event", eventId).bind("now", Instant.now()).execute();
      // the help desk answered (it refused this one for good): the ticket's failures in a row end
      h.createUpdate("update help_desk_links set messages_error = :error, messages_attempts = null,"
              + " messages_retry_at = null"
              + " where ticket_id = (select m.ticket_id from help_desk_messages m where m.event_id = :event)")
          .bind("event", eventId).bind("error", error).execute();
    });
  }

  /**
   * The ticket's twin no longer exists in the help desk (deleted there): the next push makes a new
   * one, as for a ticket never mirrored, and every recorded message of the ticket goes to it again
   * (its content, then comments). Until then the ticket is FAILED with {@code why}.
   */
  public void twinGone(String ticketId, String why) {
    db.jdbi().useTransaction(h -> {
      h.createUpdate("update help_desk_links set external_id = null, create_tried_at = null,"
              + " content_is_message = null, content_event_id = null, synced_status = null, synced_title = null,"
              + " messages_error = null, messages_attempts = null, messages_retry_at = null, sync = 'FAILED', last_error = :why, attempts = 0, next_attempt_at = :now,"
              + " updated_at = :now where ticket_id = :id")
          .bind("id", ticketId).bind("why", why).bind("now", Instant.now()).execute();
      h.createUpdate("update help_desk_messages set pushed_at = null where ticket_id = :id")
          .bind("id", ticketId).execute();
    });
  }

  /**
   * {@link #unsynced()} for its gauge: NaN while the database does not answer, so that a scrape
   * does not wait for the pool's connection timeout (audit 20b, F1).
   */
  public double unsyncedOrNaN() {
    if (!db.check().now().up()) {
      return Double.NaN;
    }
    try {
      return unsynced();
    } catch (org.jdbi.v3.core.JdbiException e) {
      return Double.NaN;
    }
  }

  /**
   * Tickets the help desk does not hold as they are here: never mirrored (and not CLOSED), changed
   * since the last push, failed last time, or mirrored with messages not added to the twin yet.
   */
  public long unsynced() {
    return db.jdbi().withHandle(h -> h.createQuery("select count(*) from tickets t"
                + " left join help_desk_links l on l.ticket_id = t.id"
                + " where (l.ticket_id is null and t.status <> 'CLOSED')"
                + " or (l.ticket_id is not null and (t.version > l.synced_version or l.sync = 'FAILED'"
                + "   or l.messages_error is not null"
                + "   or (l.external_id is not null and exists (select 1 from help_desk_messages m"
                + "     where m.ticket_id = t.id and m.pushed_at is null))))")
        .mapTo(Long.class).one());
  }

  /**
   * Messages whose ticket has a twin already and that are not comments on it yet, oldest first,
   * leaving out the tickets whose comments are backed off past {@code now} ({@link
   * #messagesFailed(String, String, java.util.function.IntFunction)}).
   */
  public List<Message> unpushedMessages(int limit, Instant now) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select m.event_id, l.external_id, t.state, m.author, m.role, m.body, m.at,"
                + " coalesce(l.content_is_message, true), l.content_event_id,"
                + " m.event_id = (select f.event_id from help_desk_messages f where f.ticket_id = m.ticket_id"
                + "   and f.role = 'CUSTOMER' order by f.at, f.event_id limit 1) as first_of_customer"
                + " from help_desk_messages m"
                + " join help_desk_links l on l.ticket_id = m.ticket_id join tickets t on t.id = m.ticket_id"
                + " where m.pushed_at is null and l.external_id is not null"
                + " and (l.messages_retry_at is null or l.messages_retry_at <= :now)"
                + " order by m.at, m.event_id limit :limit")
        .bind("limit", limit)
        .bind("now", now)
        .map((rs, ctx) -> new Message(rs.getString(1), rs.getString(2), Json.read(rs.getString(3), TicketState.class),
            rs.getString(4), rs.getString(5), rs.getString(6), 
            Optional.ofNullable(rs.getObject(7, OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(Instant.EPOCH),
            rs.getBoolean(8), rs.getBoolean(10), Optional.ofNullable(rs.getString(9))))
        .list());
  }

  /**
   * The message is a comment on its twin (or its content): its ticket's messages go again. {@code
   * clearsError} false keeps the ticket's error (a message left out just before it, in the same
   * pass, stays shown until a later pass adds one).
   */
  public void messagePushed(String eventId, boolean clearsError) {
    db.jdbi().useTransaction(h -> {
      h.createUpdate("update help_desk_messages set pushed_at = :now where event_id = :event")
          .bind("event", eventId).bind("now", Instant.now()).execute();
      // one went: the ticket's comments are no longer backed off (and its error goes, unless kept)
      h.createUpdate("update help_desk_links set messages_attempts = null, messages_retry_at = null"
              + (clearsError ? ", messages_error = null" : "")
              + " where (messages_attempts is not null" + (clearsError ? " or messages_error is not null)" : ")")
              + " and ticket_id = (select m.ticket_id from help_desk_messages m where m.event_id = :event)")
          .bind("event", eventId).execute();
    });
  }

  /**
   * A reply written in the help desk on the twin of a CLOSED ticket: recorded in the ticket's trail
   * once ({@link TicketStore#recordWhileClosed}); {@link TicketStore.WhileClosed#SEEN} when the
   * ticket has it already, {@link TicketStore.WhileClosed#NOT_CLOSED} when a run takes it (one is
   * open, or a follow-up run has read the closed snapshot it starts from).
   */
  public TicketStore.WhileClosed replyWhileClosed(String ticketId, String eventId,
      java.util.function.Function<TicketState, dev.forumdesk.ticket.AuditEntry> entry) {
    return new TicketStore(db, false).recordWhileClosed(ticketId, eventId, entry);
  }

  /**
   * {@link #replyWhileClosed} after it was {@link TicketStore.WhileClosed#NOT_CLOSED} and no run
   * took the reply (the follow-up run that read the closed snapshot ended before its first one):
   * recorded on the CLOSED ticket after all ({@link TicketStore#recordWhileClosedNoRunTookIt}).
   */
  public TicketStore.WhileClosed replyWhileClosedNoRunTookIt(String ticketId, String eventId,
      java.util.function.Function<TicketState, dev.forumdesk.ticket.AuditEntry> entry) {
    return new TicketStore(db, false).recordWhileClosedNoRunTookIt(ticketId, eventId, entry);
  }

  /**
   * A reply written in the help desk that reached no run of a ticket the read model shows open (its
   * run ended without closing: terminated, failed): recorded on the stored snapshot once ({@link
   * TicketStore#recordWithoutRun}); {@link TicketStore.WithoutRun#CLOSED} when the ticket is CLOSED
   * by then (nothing written: it goes as {@link #replyWhileClosed}).
   */
  public TicketStore.WithoutRun replyWithoutRun(String ticketId, String eventId,
      java.util.function.Function<TicketState, dev.forumdesk.ticket.AuditEntry> entry) {
    return new TicketStore(db, false).recordWithoutRun(ticketId, eventId, entry);
  }

  /** Whether the ticket is CLOSED, as the read model has it (its run has ended). */
  public boolean closed(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select count(*) from tickets where id = :id and status = 'CLOSED'")
        .bind("id", ticketId).mapTo(Long.class).one()) > 0;
  }

  /** Whether the ticket (as the read model has it) has seen event {@code eventId}: nothing to deliver. */
  public boolean seen(String ticketId, String eventId) {
    return db.jdbi().withHandle(h -> h.createQuery("select state from tickets where id = :id")
        .bind("id", ticketId).mapTo(String.class).findOne()
        .map(json -> Json.read(json, TicketState.class))
        .map(s -> s.seenEvents() != null && s.seenEvents().contains(eventId)).orElse(false));
  }

  /** The status the help desk was last given or reported, so its own echo is not pulled back. */
  public void statusSeen(String ticketId, String status) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "update help_desk_links set synced_status = :status, updated_at = :now where ticket_id = :id")
        .bind("id", ticketId).bind("status", status).bind("now", Instant.now()).execute());
  }

  /**
   * The help desk reported {@code status} for the twin of a ticket whose status here it cannot
   * change (CLOSED): recorded as the twin's status there, and the ticket due again now, so that the
   * next push sets the twin back to the ticket's status (and counted unsynced till then). Repeated
   * before that push, it changes nothing more; once the twin holds the ticket's status again, its
   * echo is that push's, not a change made there.
   */
  public void setBack(String ticketId, String status) {
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set synced_status = :status,"
            + " synced_version = least(synced_version, (select t.version - 1 from tickets t where t.id = :id)),"
            + " next_attempt_at = least(next_attempt_at, :now), updated_at = :now"
            + " where ticket_id = :id and external_id is not null")
        .bind("id", ticketId).bind("status", status).bind("now", Instant.now()).execute());
  }

  public Optional<Link> find(String ticketId) {
    return Optional.ofNullable(find(List.of(ticketId)).get(ticketId));
  }

  /** The twins of these tickets, by ticket id, in one query (a page of the ticket list); none for one not mirrored yet. */
  public java.util.Map<String, Link> find(java.util.Collection<String> ticketIds) {
    if (ticketIds.isEmpty()) {
      return java.util.Map.of();
    }
    return db.jdbi().withHandle(h -> h.createQuery(
            "select ticket_id, kind, external_id, sync, last_error, messages_error from help_desk_links"
                + " where ticket_id in (<ids>)")
        .bindList("ids", List.copyOf(ticketIds))
        .reduceRows(new java.util.HashMap<String, Link>(), (links, row) -> {
          String sync = row.getColumn(4, String.class);
          String error = row.getColumn(5, String.class);
          String messagesError = row.getColumn(6, String.class);
          boolean messagesFailed = messagesError != null && !sync.equals("FAILED"); // its messages cannot go
          links.put(row.getColumn(1, String.class), new Link(row.getColumn(2, String.class),
              row.getColumn(3, String.class), messagesFailed ? "FAILED" : sync, messagesFailed ? messagesError : error));
          return links;
        }));
  }

  /** The ticket mirrored as {@code externalId}, with its topic and the status last pushed there or seen. */
  public Optional<Twin> byExternalId(String externalId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select l.ticket_id, l.synced_status, t.chat_id, t.thread_id from help_desk_links l"
                + " join tickets t on t.id = l.ticket_id where l.kind = :kind and l.external_id = :external")
        .bind("kind", kind).bind("external", externalId)
        .map((rs, ctx) -> new Twin(rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getLong(3), rs.getLong(4)))
        .findOne());
  }

  /** A mirrored ticket: its id, the status the help desk was last given or reported, its topic. */
  public record Twin(String ticketId, Optional<String> syncedStatus, long chatId, long threadId) {}

  /** Up to when the help desk's own changes were pulled back; empty before the first pull. */
  public Optional<Instant> cursor() {
    return db.jdbi().withHandle(h -> h.createQuery("select since from help_desk_cursor where kind = :kind")
        .bind("kind", kind).mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant));
  }

  public void cursor(Instant since) {
    db.jdbi().useTransaction(h -> {
      if (h.createUpdate("update help_desk_cursor set since = :since where kind = :kind")
          .bind("kind", kind).bind("since", since).execute() == 0) {
        h.createUpdate("insert into help_desk_cursor (kind, since) values (:kind, :since)")
            .bind("kind", kind).bind("since", since).execute();
      }
    });
  }
}
