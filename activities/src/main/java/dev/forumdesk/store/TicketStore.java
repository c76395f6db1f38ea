package dev.forumdesk.store;

import dev.forumdesk.json.Json;
import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.EscalationReasons;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.PersonRef;
import dev.forumdesk.ticket.Projection;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The read model of tickets: the latest snapshot each workflow projected. */
public final class TicketStore {
  /** Statuses that no longer count as open ({@link Status#finished()}), as an SQL list. */
  public static final String FINISHED_STATUSES = java.util.Arrays.stream(Status.values()).filter(Status::finished)
      .map(st -> "'" + st.name() + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));

  private final Database db;
  private final Jdbi reads;
  /** Whether customers write privately ({@code support.mode: relay}): then a projection settles their messages too. */
  private final boolean relay;

  /**
   * The store of a deployment in either mode: a projection settles the relay's private messages it
   * shows ({@link #markRelayed}), with one read of the inbox that finds none in group mode.
   */
  public TicketStore(Database db) {
    this(db, true);
  }

  /**
   * @param relay whether customers write to the bot privately ({@code support.mode: relay}); in group
   *     mode there are no private messages to settle, and a projection does not look for them
   */
  public TicketStore(Database db, boolean relay) {
    this(db, db.jdbi(), relay);
  }

  private TicketStore(Database db, Jdbi reads, boolean relay) {
    this.db = db;
    this.reads = reads;
    this.relay = relay;
  }

  /** The store as the API reads it: through connections the worker does not use ({@link Database#readJdbi()}). */
  public static TicketStore forReaders(Database db) {
    return new TicketStore(db, db.readJdbi(), true);
  }

  /**
   * Filters of {@code GET /api/tickets}: a ticket is listed when it matches every filter that is
   * not empty, and a filter when the ticket has any of its values.
   *
   * @param status any of these (none: any status)
   * @param assignee assigned to any of these Telegram user ids
   * @param queue routed to any of these queues ({@link RoutedQueue}), or in one now (level2 when
   *     escalated to Level 2), in any case
   * @param level at any of these levels
   * @param customer any of these customers, each by Telegram user id or by username in any case
   */
  public record Filter(
      Set<Status> status,
      Set<Long> assignee,
      Set<String> queue,
      Set<Integer> level,
      Set<PersonRef> customer,
      int limit) {
    public Filter {
      status = Set.copyOf(status);
      assignee = Set.copyOf(assignee);
      queue = Set.copyOf(queue);
      level = Set.copyOf(level);
      customer = Set.copyOf(customer);
    }

    /** Any level. */
    public Filter(Set<Status> status, Set<Long> assignee, Set<String> queue, Set<PersonRef> customer, int limit) {
      this(status, assignee, queue, Set.of(), customer, limit);
    }

    public static Filter all() {
      return new Filter(Set.of(), Set.of(), Set.of(), Set.of(), 500);
    }

    /** The same filters, at most {@code limit} listed. */
    public Filter withLimit(int limit) {
      return new Filter(status, assignee, queue, level, customer, limit);
    }

    /** A queue as {@code queue} compares it: in any case. */
    public static String queueKey(String queue) {
      return queue == null ? null : queue.toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the ticket passes the queue and level filters. */
    public boolean inQueueAndLevel(TicketState s) {
      return (queue.isEmpty() || queue.stream().map(Filter::queueKey)
              .anyMatch(q -> q.equals(queueKey(s.queue())) || q.equals(queueKey(RoutedQueue.of(s)))))
          && (level.isEmpty() || level.contains(s.level()));
    }
  }

  /**
   * Writes the snapshot unless the stored version is newer: a retried or reordered projection
   * never rolls a ticket back ({@link #write}).
   *
   * @return the escalations the write added to the stored trail ({@link EscalationReasons#added}):
   *     none for a retry, or for a snapshot the read model held already
   */
  public List<String> save(TicketState s) {
    List<String> added = db.jdbi().inTransaction(h -> {
      List<String> before = escalationsStored(h, s);
      if (!write(h, s)) {
        return List.<String>of();
      }
      ApiActions.shownBy(h, s.id(), s.seenEvents());
      return EscalationReasons.added(before, s.audit());
    });
    // after the snapshot committed: a crash in between only means a redelivery the workflow drops
    db.inboxMarks().write(h -> markApplied(h, s));
    return added;
  }

  /**
   * Applies a projection: the whole snapshot, or a delta merged onto the stored one (read under a
   * row lock), unless the stored version is newer.
   *
   * @return the escalations the write added to the stored trail, as {@link #save}'s
   * @throws Projection.Gap when a delta does not follow the stored snapshot
   */
  public List<String> apply(Projection p) {
    record Written(TicketState state, List<String> escalations) {}
    Optional<Written> written = db.jdbi().inTransaction(h -> {
      TicketState stored = p.full() ? null : stored(h, p.head().id()).orElse(null);
      Optional<TicketState> merged = p.onto(stored);
      if (merged.isEmpty()) {
        return Optional.<Written>empty();
      }
      TicketState s = merged.get();
      List<String> before = p.full() ? escalationsStored(h, s) : EscalationReasons.in(stored.audit());
      if (!write(h, s)) {
        return Optional.of(new Written(s, List.<String>of()));
      }
      ApiActions.shownBy(h, s.id(), p.head().seenEvents()); // a delta's: only those it adds
      return Optional.of(new Written(s, EscalationReasons.added(before, s.audit())));
    });
    written.ifPresent(w -> db.inboxMarks().write(h -> markApplied(h, w.state())));
    return written.map(Written::escalations).orElse(List.of());
  }

  /** What {@link #recordWhileClosed} did. */
  public enum WhileClosed {
    /** The ticket is CLOSED: the entry is in its trail now, and the event among its seen ones. */
    RECORDED,
    /** The ticket has seen the event already (recorded while CLOSED, or its run got it): nothing to do. */
    SEEN,
    /**
     * The ticket is not CLOSED (a run takes the event), or not in the read model, or a follow-up run
     * has read its CLOSED snapshot and is about to replace it (that run takes the event): nothing written.
     */
    NOT_CLOSED
  }

  /**
   * An event that reached a CLOSED ticket, whose run has ended (a reply written in the help desk):
   * {@code entry} is added to its trail, once, and {@code eventId} to its seen events, in the
   * stored snapshot (and the closed run's copy), of the same version. A follow-up run starts from
   * that snapshot ({@code closedPredecessor}): it shows the entry, and drops the event if it is
   * delivered to it after all. Whether the ticket has seen {@code eventId} is asked first: a
   * follow-up that carries it makes this {@link WhileClosed#SEEN} too.
   *
   * <p>Once a follow-up run has read the snapshot ({@link #closedPredecessor}), its first snapshot
   * replaces this one with the trail and seen events it read: an entry written now would be lost
   * with it (and its event id, so nothing would bring it back). Then nothing is written ({@link
   * WhileClosed#NOT_CLOSED}) and the caller delivers the event to that run. The row lock orders the
   * two: a record before the read is in what the run carries, one after it is the run's.
   */
  public WhileClosed recordWhileClosed(String ticketId, String eventId, Function<TicketState, AuditEntry> entry) {
    return recordWhileClosed(ticketId, eventId, entry, false);
  }

  /**
   * {@link #recordWhileClosed} once the event went to no run ({@link WhileClosed#NOT_CLOSED} there,
   * and then no run of the ticket was running to take it): the follow-up run that read the CLOSED
   * snapshot ended before its first snapshot (terminated, failed), so nothing will replace that
   * snapshot. The entry is recorded in it after all and the stale read mark cleared, so later events
   * are recorded as before the read. Only while the stored snapshot is still that CLOSED one (a
   * follow-up's snapshot replaced it: {@link WhileClosed#NOT_CLOSED}, nothing written).
   */
  public WhileClosed recordWhileClosedNoRunTookIt(String ticketId, String eventId,
      Function<TicketState, AuditEntry> entry) {
    return recordWhileClosed(ticketId, eventId, entry, true);
  }

  private WhileClosed recordWhileClosed(String ticketId, String eventId, Function<TicketState, AuditEntry> entry,
      boolean noRunTookIt) {
    return db.jdbi().inTransaction(h -> {
      Optional<TicketState> stored = stored(h, ticketId);
      if (stored.isPresent() && stored.get().seenEvents() != null && stored.get().seenEvents().contains(eventId)) {
        return WhileClosed.SEEN;
      }
      if (stored.isEmpty() || stored.get().status() != Status.CLOSED || !noRunTookIt && readByFollowUp(h, stored.get())) {
        return WhileClosed.NOT_CLOSED;
      }
      TicketState s = stored.get();
      if (noRunTookIt) { // the run that read this snapshot is gone: its read no longer holds events back
        h.createUpdate("update tickets set follow_up_read = null where id = :id and version = :version")
            .bind("id", ticketId).bind("version", s.version()).execute();
      }
      record(h, s, eventId, entry);
      return WhileClosed.RECORDED;
    });
  }

  /** What {@link #recordWithoutRun} did. */
  public enum WithoutRun {
    /** The entry is in the stored snapshot's trail now, and the event among its seen ones. */
    RECORDED,
    /** The ticket has seen the event already (recorded before, or a run took it): nothing to do. */
    SEEN,
    /** The ticket is CLOSED (its run closed meanwhile): nothing written, it goes as while CLOSED ({@link #recordWhileClosed}). */
    CLOSED,
    /** The ticket is not in the read model: nothing written. */
    MISSING
  }

  /**
   * An event that reached no run of a ticket the read model shows open (not CLOSED): its run ended
   * without closing (an operator terminated it, it failed), so nothing will take the event or replace
   * the stored snapshot. {@code entry} is added to that snapshot's trail, once, and {@code eventId}
   * to its seen events, of the same version: a run started from it (a restore) shows the entry and
   * drops the event. Under the row lock, as {@link #recordWhileClosed}: a ticket CLOSED by then (its
   * run closed between the caller's look and its delivery) is left to that ({@link WithoutRun#CLOSED}).
   */
  public WithoutRun recordWithoutRun(String ticketId, String eventId, Function<TicketState, AuditEntry> entry) {
    return db.jdbi().inTransaction(h -> {
      Optional<TicketState> stored = stored(h, ticketId);
      if (stored.isEmpty()) {
        return WithoutRun.MISSING;
      }
      if (stored.get().seenEvents() != null && stored.get().seenEvents().contains(eventId)) {
        return WithoutRun.SEEN;
      }
      if (stored.get().status() == Status.CLOSED) {
        return WithoutRun.CLOSED;
      }
      record(h, stored.get(), eventId, entry);
      return WithoutRun.RECORDED;
    });
  }

  /**
   * {@code entry} added to the stored snapshot {@code s}'s trail and {@code eventId} to its seen
   * events, in the same version (and in the closed run's copy, when it is CLOSED).
   */
  private static void record(Handle h, TicketState s, String eventId, Function<TicketState, AuditEntry> entry) {
    List<AuditEntry> audit = new ArrayList<>(s.audit() == null ? List.of() : s.audit());
    audit.add(entry.apply(s));
    List<String> seen = new ArrayList<>(s.seenEvents() == null ? List.of() : s.seenEvents());
    seen.add(eventId);
    String json = Json.write(s.withHistory(List.copyOf(audit), List.copyOf(seen), s.policy()));
    h.createUpdate("update tickets set state = :state where id = :id and version = :version")
        .bind("state", json).bind("id", s.id()).bind("version", s.version()).execute();
    if (s.status() == Status.CLOSED) {
      h.createUpdate("update closed_runs set state = :state where ticket_id = :id and run_id = :run")
          .bind("state", json).bind("id", s.id()).bind("run", runOf(s)).execute();
    }
  }

  /**
   * The ticket's stored snapshot when it is CLOSED: what a follow-up run starts from ({@link
   * dev.forumdesk.ticket.TicketActivities#closedPredecessor}). The read is marked on the row, in the
   * same transaction (V36): the run's first snapshot will replace this one, so from now on {@link
   * #recordWhileClosed} writes nothing into it and leaves the event to the run.
   */
  public Optional<TicketState> closedPredecessor(String ticketId) {
    return db.jdbi().inTransaction(h -> {
      Optional<TicketState> closed = stored(h, ticketId).filter(t -> t.status() == Status.CLOSED);
      closed.ifPresent(t -> h.createUpdate("update tickets set follow_up_read = :version where id = :id")
          .bind("version", t.version()).bind("id", ticketId).execute());
      return closed;
    });
  }

  /**
   * Whether a follow-up run has read {@code closed}, the stored CLOSED snapshot ({@link
   * #closedPredecessor}): an earlier closed snapshot's read (a lower version) no longer counts.
   */
  private static boolean readByFollowUp(Handle h, TicketState closed) {
    Long read = h.createQuery("select follow_up_read from tickets where id = :id").bind("id", closed.id())
        .mapTo(Long.class).findOne().orElse(null);
    return read != null && read >= closed.version();
  }

  /** The stored snapshot of ticket {@code id}, its row locked till the transaction ends. */
  private static Optional<TicketState> stored(Handle h, String id) {
    return h.createQuery("select state from tickets where id = :id for update")
        .bind("id", id)
        .mapTo(String.class)
        .findOne()
        .map(json -> Json.read(json, TicketState.class));
  }

  /**
   * The escalations of the stored trail that {@code s} would replace; read only when {@code s} has
   * any, so that most writes do not read the row first.
   */
  private static List<String> escalationsStored(Handle h, TicketState s) {
    if (EscalationReasons.in(s.audit()).isEmpty()) {
      return List.of();
    }
    return stored(h, s.id()).map(t -> EscalationReasons.in(t.audit() == null ? List.of() : t.audit()))
        .orElse(List.of());
  }

  /**
   * Writes the snapshot unless the stored one is newer. One of the same version replaces it: a
   * retry writes the same, and a workflow task run again after Temporal discarded its first attempt
   * writes what the ticket really is ({@link Projection#onto}). The usual write, over an open
   * ticket's older snapshot, is one statement; one over a CLOSED snapshot or of the same version
   * takes the second, and a run that is not CLOSED written over its own CLOSED snapshot (the
   * discarded attempt had closed it) takes that close back ({@link #closeUndone}).
   */
  private static boolean write(Handle h, TicketState s) {
    String json = Json.write(s);
    String set = "update tickets set status = :status, priority = :priority, level"
        + " = :level, queue = :queue, routed_queue = :routedQueue, assignee_id = :assignee,"
        + " customer_id = :customer, customer_username = :customerUsername, created_at = :createdAt,"
        + " updated_at = :now, version = :version, state = :state where id = :id";
    int written = bind(h.createUpdate(set + " and version < :version and status <> 'CLOSED'"), s, json).execute();
    boolean overClosedOrSame = false;
    if (written == 0) {
      written = bind(h.createUpdate(set + " and version <= :version"), s, json).execute();
      overClosedOrSame = written > 0;
    }
    if (written == 0) {
      written = bind(h.createUpdate(
                  "insert into tickets (id, chat_id, thread_id, status, priority,"
                      + " level, queue, routed_queue, assignee_id, customer_id, customer_username, created_at,"
                      + " updated_at, version, state) values (:id, :chatId, :threadId,"
                      + " :status, :priority, :level, :queue, :routedQueue, :assignee, :customer, :customerUsername,"
                      + " :createdAt, :now, :version, :state) on conflict do nothing"),
              s,
              json)
          .execute();
    }
    if (written == 0) {
      return false; // an older snapshot than the stored one
    }
    if (s.status() == Status.CLOSED) {
      closed(h, s, json);
      return true;
    }
    if (overClosedOrSame && !runOf(s).isEmpty()) {
      // a follow-up run has a run id of its own, with nothing to take back; a snapshot without one
      // (from before run ids) cannot tell a follow-up from its own run
      closeUndone(h, s);
    }
    // an agent's load counts this ticket while it is open (Roster); a reopen counts it again
    boolean open = !s.status().finished();
    h.createUpdate("update assignments set ticket_open = :open where ticket_id = :id and ticket_open <> :open")
        .bind("open", open).bind("id", s.id()).execute();
    return true;
  }

  /**
   * The run is kept as it closed: a follow-up run will replace the tickets row (see V13). A CLOSED
   * run is over for good: a message in its topic starts a follow-up run of the same id, routed
   * afresh. Kept, its assignment would count towards the agent's load again with the follow-up's
   * first projection and answer its request as if already assigned (see V14); it is kept with the
   * closed run instead (V22), for {@link #closeUndone}.
   */
  private static void closed(Handle h, TicketState s, String json) {
    h.createUpdate("insert into closed_runs (ticket_id, run_id, created_at, state) values (:id, :run, :createdAt,"
            + " :state) on conflict do nothing")
        .bind("id", s.id()).bind("run", runOf(s)).bind("createdAt", s.createdAt()).bind("state", json).execute();
    h.createUpdate("update closed_runs set"
            + " agent_id = (select agent_id from assignments where ticket_id = :id),"
            + " weight = (select weight from assignments where ticket_id = :id),"
            + " assigned_at = (select assigned_at from assignments where ticket_id = :id),"
            + " reason = (select reason from assignments where ticket_id = :id)"
            + " where ticket_id = :id and run_id = :run and exists (select 1 from assignments where ticket_id = :id)")
        .bind("id", s.id()).bind("run", runOf(s)).execute();
    h.createUpdate("delete from assignments where ticket_id = :id").bind("id", s.id()).execute();
    h.createUpdate("delete from waiting_line where ticket_id = :id").bind("id", s.id()).execute();
  }

  /**
   * A snapshot of a run that is not CLOSED, written over a CLOSED one of the same run: the workflow
   * task that closed it was discarded and ran again with a signal that reopened it (the customer's
   * message, the topic reopened). The run is not over: it leaves the closed runs, and gets its
   * assignment back.
   */
  private static void closeUndone(Handle h, TicketState s) {
    h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at, reason, ticket_open)"
            + " select ticket_id, agent_id, weight, assigned_at, reason, :open from closed_runs"
            + " where ticket_id = :id and run_id = :run and agent_id is not null on conflict do nothing")
        .bind("id", s.id()).bind("run", runOf(s)).bind("open", !s.status().finished()).execute();
    h.createUpdate("delete from closed_runs where ticket_id = :id and run_id = :run")
        .bind("id", s.id()).bind("run", runOf(s)).execute();
  }

  /**
   * The dispatcher delivers a ticket's updates in update order, so every update up to the highest
   * one this snapshot has seen is reflected in it: those inbox rows need no redelivery after a
   * restart of the embedded Temporal server. A row may still be PENDING here: the workflow can
   * project an update before the dispatcher's DELIVERED mark (queued behind the signal) is written.
   */
  private int markApplied(Handle h, TicketState s) {
    return markTopicRows(h, s) + (relay ? markRelayed(h, s) : 0);
  }

  /**
   * Relay mode: the customer's private messages are queued by customer ({@link Inbox#relayKey}), not
   * by ticket, and the relay posts each into the topic before its ticket hears it: those whose message
   * this snapshot has seen are done ({@link Inbox#showsRelayed}; the topic's opening alone is not).
   * Unmarked, every one of them was queued again at each restart of the embedded Temporal server, and
   * one of a CLOSED ticket opened a new topic for a message its ticket had had. The customer's rows not
   * yet seen (on their way, or another ticket's) are left alone, except, once the snapshot's list of
   * seen events is full, those DELIVERED before every update it names ({@link Inbox#keptFrom}): no
   * snapshot can show them any more, and left DELIVERED they counted as unapplied for ever (a false
   * {@code alerts.oldest-unapplied}, the inbox DEGRADED). Relay mode only: in group mode the customer
   * has no such rows.
   */
  private static int markRelayed(Handle h, TicketState s) {
    if (s.customer() == null) {
      return 0;
    }
    List<Long> unapplied = h.createQuery("select update_id from inbox where ticket_id = :key and " + Inbox.UNAPPLIED)
        .bind("key", Inbox.relayKey(s.customer().id()))
        .mapTo(Long.class)
        .list();
    if (unapplied.isEmpty()) {
      return 0;
    }
    // a full list no longer names what the ticket had before its oldest: a row delivered before that is done
    OptionalLong keptFrom = Inbox.keptFrom(s.seenEvents());
    int beyond = keptFrom.isPresent() && unapplied.stream().anyMatch(id -> id < keptFrom.getAsLong())
        ? Inbox.markApplied(h, "ticket_id = :key and status = '" + Inbox.DELIVERED + "' and update_id < :kept",
            u -> u.bind("key", Inbox.relayKey(s.customer().id())).bind("kept", keptFrom.getAsLong()))
        : 0;
    Set<String> seen = Set.copyOf(s.seenEvents());
    List<Long> shown = unapplied.stream().filter(id -> Inbox.showsRelayed(seen, id)).toList();
    if (shown.isEmpty()) {
      return beyond;
    }
    return beyond + Inbox.markApplied(h, "update_id in (<ids>)", u -> u.bindList("ids", shown));
  }

  private static int markTopicRows(Handle h, TicketState s) {
    OptionalLong maxSeen = s.seenEvents().stream()
        .filter(e -> e.startsWith("u"))
        .mapToLong(e -> Long.parseLong(e.substring(1)))
        .max();
    if (maxSeen.isEmpty()) {
      return 0;
    }
    return Inbox.markApplied(h, "ticket_id = :id and update_id <= :max",
        u -> u.bind("id", s.id()).bind("max", maxSeen.getAsLong()));
  }

  private static org.jdbi.v3.core.statement.Update bind(
      org.jdbi.v3.core.statement.Update u, TicketState s, String json) {
    return u.bind("id", s.id())
        .bind("chatId", s.chatId())
        .bind("threadId", s.threadId())
        .bind("status", s.status().name())
        .bind("priority", s.priority().name())
        .bind("level", s.level())
        .bind("queue", s.queue())
        .bind("routedQueue", Filter.queueKey(RoutedQueue.of(s)))
        .bind("assignee", s.assignee() == null ? null : s.assignee().id())
        .bind("customer", s.customer() == null ? null : s.customer().id())
        .bind("customerUsername", customerUsername(s.customer()))
        .bind("createdAt", s.createdAt())
        .bind("now", Instant.now())
        .bind("version", s.version())
        .bind("state", json);
  }

  /** The ticket's topic linked under its title, for staff's messages about it; its id until it is projected. */
  public String topicLink(String id) {
    return topicLink(id, unprojected -> Optional.empty());
  }

  /**
   * As {@link #topicLink(String)}, with {@code untilProjected}'s title for a ticket the read model does
   * not show yet (the name its opening update gives the topic); its id when that has none either.
   */
  public String topicLink(String id, Function<String, Optional<String>> untilProjected) {
    return TicketWorkflow.topicOf(id).link(find(id).map(TicketState::title).or(() -> untilProjected.apply(id)).orElse(id));
  }

  public Optional<TicketState> find(String id) {
    return reads
        .withHandle(
            h ->
                h.createQuery("select state from tickets where id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne()
                    .map(json -> Json.read(json, TicketState.class)));
  }

  /** Which of these ids the read model holds. */
  public java.util.Set<String> known(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return java.util.Set.of();
    }
    return reads.withHandle(h -> h.createQuery("select id from tickets where id in (<ids>)")
        .bindList("ids", List.copyOf(ids))
        .mapTo(String.class)
        .set());
  }

  public List<TicketState> list(Filter f) {
    return list(f, 0);
  }

  /**
   * The tickets the filter lets through, newest first, skipping the first {@code offset} of them:
   * at most {@link Filter#limit}. Telegram dates a topic in whole seconds, so tickets of one second
   * go by their thread, highest (newest) first, and then by id, which makes the order total and the
   * pages stable (a ticket without a creation time first, as both databases sort a null).
   */
  public List<TicketState> list(Filter f, long offset) {
    Where where = Where.of(f);
    return reads.withHandle((Handle h) -> where.bind(h.createQuery(
            "select state from tickets where " + where.sql + " order by created_at desc, thread_id desc, id limit :limit offset :offset"))
        .bind("limit", f.limit())
        .bind("offset", offset)
        .mapTo(String.class).map(json -> Json.read(json, TicketState.class)).list());
  }

  /** How many tickets the filter lets through (its limit aside): one count, not one per status. */
  public long count(Filter f) {
    Where where = Where.of(f);
    return reads.withHandle((Handle h) -> where.bind(h.createQuery("select count(*) from tickets where " + where.sql))
        .mapTo(Long.class).one());
  }

  /** How many tickets the filter lets through, by status (its limit aside); a status none has is absent. */
  public java.util.Map<Status, Long> countByStatus(Filter f) {
    Where where = Where.of(f);
    java.util.Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
    reads.useHandle((Handle h) -> where.bind(h.createQuery(
            "select status, count(*) as n from tickets where " + where.sql + " group by status"))
        .map((rs, ctx) -> java.util.Map.entry(Status.valueOf(rs.getString("status")), rs.getLong("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }

  /**
   * The desk's open tickets (every status that is not finished, 0 included) and how many of them
   * have no agent, in one grouped count: what /observe/metrics shows a lead.
   */
  public record OpenCounts(java.util.Map<Status, Long> byStatus, long unassigned) {}

  public OpenCounts openCounts() {
    java.util.Map<Status, Long> byStatus = new java.util.EnumMap<>(Status.class);
    java.util.Arrays.stream(Status.values()).filter(s -> !s.finished()).forEach(s -> byStatus.put(s, 0L));
    long[] unassigned = {0};
    reads.useHandle((Handle h) -> h.createQuery("select status, assignee_id is null as unassigned, count(*) as n"
            + " from tickets where status not in " + FINISHED_STATUSES + " group by status, assignee_id is null")
        .map((rs, ctx) -> {
          long n = rs.getLong("n");
          byStatus.merge(Status.valueOf(rs.getString("status")), n, Long::sum);
          if (rs.getBoolean("unassigned")) {
            unassigned[0] += n;
          }
          return n;
        })
        .list());
    return new OpenCounts(byStatus, unassigned[0]);
  }

  /**
   * A filter as SQL conditions and their bindings: a queue in any case, a customer by id or by
   * username ({@link #customerUsername}).
   */
  private record Where(String sql, Filter f, List<Long> customerIds, List<String> customerNames) {
    static Where of(Filter f) {
      List<Long> customerIds = f.customer().stream()
          .filter(PersonRef.ById.class::isInstance).map(c -> ((PersonRef.ById) c).id()).sorted().toList();
      List<String> customerNames = f.customer().stream()
          .filter(PersonRef.ByUsername.class::isInstance).map(c -> ((PersonRef.ByUsername) c).username()).sorted()
          .toList();
      StringBuilder sql = new StringBuilder("1 = 1");
      if (!f.status().isEmpty()) {
        sql.append(" and status in (<status>)");
      }
      if (!f.assignee().isEmpty()) {
        sql.append(" and assignee_id in (<assignee>)");
      }
      if (!f.queue().isEmpty()) {
        sql.append(" and (lower(queue) in (<queue>) or routed_queue in (<queue>))");
      }
      if (!f.level().isEmpty()) {
        sql.append(" and level in (<level>)");
      }
      if (!f.customer().isEmpty()) {
        List<String> either = new ArrayList<>();
        if (!customerIds.isEmpty()) {
          either.add("customer_id in (<customerId>)");
        }
        if (!customerNames.isEmpty()) {
          either.add("customer_username in (<customerName>)");
        }
        sql.append(" and (").append(String.join(" or ", either)).append(")");
      }
      return new Where(sql.toString(), f, customerIds, customerNames);
    }

    org.jdbi.v3.core.statement.Query bind(org.jdbi.v3.core.statement.Query q) {
      if (!f.status().isEmpty()) {
        q.bindList("status", f.status().stream().map(Status::name).sorted().toList());
      }
      if (!f.assignee().isEmpty()) {
        q.bindList("assignee", f.assignee().stream().sorted().toList());
      }
      if (!f.queue().isEmpty()) {
        q.bindList("queue", f.queue().stream().map(Filter::queueKey).sorted().distinct().toList());
      }
      if (!f.level().isEmpty()) {
        q.bindList("level", f.level().stream().sorted().toList());
      }
      if (!customerIds.isEmpty()) {
        q.bindList("customerId", customerIds);
      }
      if (!customerNames.isEmpty()) {
        q.bindList("customerName", customerNames);
      }
      return q;
    }
  }

  /**
   * The customer's username as {@code customer=} looks it up ({@link Person#usernameKey}); null
   * without one. The only place the column is derived from a snapshot, also for the migration that
   * fills it for tickets projected before it existed.
   */
  public static String customerUsername(Person customer) {
    return customer == null || customer.username() == null || customer.username().isBlank()
        ? null
        : Person.usernameKey(customer.username());
  }

  /** Other tickets the customer opened at or after {@code since} (recurring-customer rule). */
  public int countByCustomerSince(long customerId, Instant since, String exceptId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select count(*) from tickets where customer_id = :customer and created_at >= :since"
                + " and id <> :except")
        .bind("customer", customerId).bind("since", since).bind("except", exceptId)
        .mapTo(Integer.class).one());
  }

  /** Tickets created in [from, to), for the daily SLA report. */
  /** The runs created in [from, to): every one that closed (also those a follow-up replaced), and the open ones. */
  public List<TicketState> createdBetween(Instant from, Instant to) {
    return reads.withHandle(h -> h.createQuery(
            "select state, created_at from closed_runs where created_at >= :from and created_at < :to"
                + " union all select state, created_at from tickets where created_at >= :from and created_at < :to"
                + " and status <> 'CLOSED' order by created_at")
        .bind("from", from).bind("to", to)
        .mapTo(String.class)
        .map(json -> Json.read(json, TicketState.class))
        .list());
  }

  private static String runOf(TicketState s) {
    return s.lifecycle() == null || s.lifecycle().runId() == null ? "" : s.lifecycle().runId();
  }

  /**
   * Unfinished tickets assigned to someone not in {@code agentIds}: an agent a config reload removed
   * from {@code agents}, oldest first.
   */
  public List<TicketState> assignedToNoneOf(java.util.Collection<Long> agentIds) {
    return reads.withHandle(h -> {
      var q = h.createQuery("select state from tickets where assignee_id is not null and status not in " + FINISHED_STATUSES
          + (agentIds.isEmpty() ? "" : " and assignee_id not in (<ids>)") + " order by created_at");
      return (agentIds.isEmpty() ? q : q.bindList("ids", List.copyOf(agentIds)))
        .mapTo(String.class)
        .map(json -> Json.read(json, TicketState.class))
        .list();
    });
  }

  /** Tickets a restarted embedded Temporal server must resume. */
  public List<TicketState> open() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("select state from tickets where status <> 'CLOSED'")
                    .mapTo(String.class)
                    .map(json -> Json.read(json, TicketState.class))
                    .list());
  }
}
