package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.Relay;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.HelpDeskLinks;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HelpDeskSync}'s pull and push without Temporal: a real embedded database (links, cursor,
 * outbox), an in-memory help desk, and tickets whose commands and deliveries are recorded, and
 * fail when told to, as they do while Temporal is unreachable.
 */
class HelpDeskSyncTest {
  static final String TICKET = "ticket-sync-1";
  static final String EXTERNAL = "7";

  /**
   * A help desk in memory: what the team did there is put into its lists by the test. Twins are
   * numbered from 7 ({@link #EXTERNAL}, the first). The next {@code unreachable} creates fail
   * before they reach it; the next {@code lostAnswers} make the twin and then fail as a timeout
   * does, the next {@code crashes} as the process dies.
   */
  static final class MemoryDesk implements HelpDesk {
    final List<Change> changes = new CopyOnWriteArrayList<>();
    final List<Reply> replies = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    final List<String> titles = new CopyOnWriteArrayList<>();
    final List<String> statuses = new CopyOnWriteArrayList<>();
    /** commented's questions: the event ids. */
    final List<String> lookups = new CopyOnWriteArrayList<>();
    int lostStatusAnswers;
    int lostCommentAnswers;
    /** The next comments fail before they reach it. */
    int unreachableComments;
    /** Twins deleted there: a comment, status or title on one answers 404, as RT and Zammad do. */
    final java.util.Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Messages (event ids) whose comment it refuses for good, as RT's 422 does. */
    final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Twins whose comments time out, every time (a help desk slow for that ticket only). */
    final java.util.Set<String> timingOut = ConcurrentHashMap.newKeySet();

    void mustExist(String externalId) {
      if (deleted.contains(externalId)) {
        throw new HelpDeskException("RT ticket " + externalId + " does not exist (HTTP 404: Resource does not exist)",
            404, true);
      }
    }
    /** Comments and statuses in the order they reached it. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Each twin's content, by our ticket id. */
    final Map<String, String> contents = new ConcurrentHashMap<>();
    /** Our ticket ids, one per twin made there, in order. */
    final List<String> created = new CopyOnWriteArrayList<>();
    final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    /** twinOf's questions: ticket id and since. */
    final List<Map.Entry<String, Instant>> searches = new CopyOnWriteArrayList<>();
    int unreachable;
    int lostAnswers;
    int crashes;
    /** Which of our statuses are one there; by default none but the same ({@link HelpDesk#sameThere}). */
    java.util.function.BiPredicate<Status, Status> same = (a, b) -> a == b;

    @Override
    public boolean sameThere(Status a, Status b) {
      return same.test(a, b);
    }

    @Override
    public String kind() {
      return "request-tracker";
    }

    @Override
    public String create(NewTicket ticket) {
      if (unreachable > 0) {
        unreachable--;
        throw new HelpDeskException("RT unreachable at http://desk while creating a ticket (ConnectException: refused)");
      }
      created.add(ticket.ticketId());
      contents.put(ticket.ticketId(), ticket.content());
      createdAt.put(ticket.ticketId(), Instant.now());
      if (lostAnswers > 0) {
        lostAnswers--;
        throw new HelpDeskException("RT unreachable at http://desk while creating a ticket (InterruptedIOException: timeout)");
      }
      if (crashes > 0) {
        crashes--;
        throw new IllegalStateException("the process died before the answer was stored");
      }
      return idOf(ticket.ticketId());
    }

    @Override
    public Optional<String> twinOf(String ticketId, Instant since) {
      searches.add(Map.entry(ticketId, since));
      return Optional.ofNullable(createdAt.get(ticketId)).filter(at -> !at.isBefore(since)).map(at -> idOf(ticketId));
    }

    /** The id of the ticket's newest twin (a twin deleted there is made again with a new id). */
    String idOf(String ticketId) {
      return Integer.toString(7 + created.lastIndexOf(ticketId));
    }

    @Override
    public void comment(String externalId, String text) {
      calls.add("comment " + externalId);
      mustExist(externalId);
      if (refused.stream().anyMatch(event -> text.endsWith(TwinMarker.ofMessage(event)))) {
        throw new HelpDeskException("RT answered HTTP 422 while commenting on RT ticket " + externalId
            + ": Content too large", 422, false);
      }
      if (timingOut.contains(externalId)) {
        throw new HelpDeskException("RT unreachable at http://desk while commenting (InterruptedIOException: timeout)",
            new java.io.InterruptedIOException("timeout"));
      }
      if (unreachableComments > 0) {
        unreachableComments--;
        throw new HelpDeskException("RT unreachable at http://desk while commenting (ConnectException: refused)");
      }
      comments.add(externalId + ": " + text);
      if (lostCommentAnswers > 0) {
        lostCommentAnswers--;
        throw new HelpDeskException("RT unreachable at http://desk while commenting (InterruptedIOException: timeout)",
            new java.io.InterruptedIOException("timeout"));
      }
    }

    /** Whether a comment there carries the message's stamp; each question recorded. */
    @Override
    public boolean commented(String externalId, String eventId, Instant since) {
      lookups.add(eventId);
      return comments.stream().anyMatch(c -> c.startsWith(externalId + ": ") && c.endsWith(TwinMarker.ofMessage(eventId)));
    }

    @Override
    public void status(String externalId, Status status) {
      calls.add("status " + externalId);
      mustExist(externalId);
      statuses.add(externalId + ": " + status);
      if (lostStatusAnswers > 0) {
        lostStatusAnswers--;
        throw new HelpDeskException("RT unreachable at http://desk while setting the Status (InterruptedIOException: timeout)",
            new java.io.InterruptedIOException("timeout"));
      }
    }

    @Override
    public void title(String externalId, String title) {
      mustExist(externalId);
      titles.add(externalId + ": " + title);
    }

    @Override
    public List<Change> changedSince(Instant since) {
      return changes.stream().filter(c -> c.updatedAt().isAfter(since)).toList();
    }

    @Override
    public List<Reply> repliesSince(Instant since) {
      return replies.stream().filter(r -> r.at().isAfter(since)).toList();
    }

    @Override
    public String url(String externalId) {
      return "http://desk/" + externalId;
    }
  }

  /** Tickets without Temporal: each command or delivery recorded; the next {@code failures} throw. */
  static final class RecordingTickets implements HelpDeskSync.Tickets {
    final List<CommandRequest> commands = new CopyOnWriteArrayList<>();
    final List<Classified.ForTicket> delivered = new CopyOnWriteArrayList<>();
    int failures;
    /** No run of the ticket is running (it ended): a delivery reaches nothing, as Temporal's NOT_FOUND. */
    boolean runGone;
    Consumer<Classified.ForTicket> listener = t -> {};

    @Override
    public TicketGateway.CommandOutcome command(String ticketId, CommandRequest request) {
      commands.add(request);
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("UNAVAILABLE: Temporal unreachable");
      }
      return new TicketGateway.CommandOutcome.Accepted(new CommandReply("done", Status.RESOLVED));
    }

    @Override
    public boolean deliver(Classified.ForTicket event) {
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("UNAVAILABLE: Temporal unreachable");
      }
      if (runGone) {
        return false;
      }
      delivered.add(event);
      listener.accept(event);
      return true;
    }

    public void onDelivered(Consumer<Classified.ForTicket> listener) {
      this.listener = listener;
    }
  }

  @TempDir Path dir;
  Database db;
  HelpDeskLinks links;
  Outbox outbox;
  MemoryDesk desk;
  RecordingTickets tickets;
  HelpDeskSync sync;
  TicketState ticket;
  SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    db = Database.embedded(dir);
    links = new HelpDeskLinks(db, "request-tracker");
    outbox = new Outbox(db);
    desk = new MemoryDesk();
    tickets = new RecordingTickets();
    sync = newSync();
    TestTickets.project(db, TICKET, Status.IN_PROGRESS);
    ticket = new TicketStore(db).find(TICKET).orElseThrow();
    sync.push(); // mirrored as #7, in progress there
    assertThat(links.byExternalId(EXTERNAL)).hasValueSatisfying(t -> {
      assertThat(t.ticketId()).isEqualTo(TICKET);
      assertThat(t.syncedStatus()).contains("IN_PROGRESS");
      assertThat(t.chatId()).isEqualTo(ticket.chatId());
      assertThat(t.threadId()).isEqualTo(ticket.threadId());
    });
  }

  @AfterEach
  void tearDown() {
    sync.close();
    db.close();
  }

  /** As the app makes it: routing.first-message-wait's default, PT10S. */
  HelpDeskSync newSync() {
    return new HelpDeskSync(desk, links, tickets, outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  String syncedStatus() {
    return links.byExternalId(EXTERNAL).orElseThrow().syncedStatus().orElseThrow();
  }

  List<String> outboxTexts() {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox order by id").mapTo(String.class).list())
        .stream().map(p -> Json.read(p, com.fasterxml.jackson.databind.JsonNode.class).path("text").asText()).toList();
  }

  /** The failed push's retry is due now, not after the backoff. */
  void retryNow(String ticketId) {
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set next_attempt_at = :at where ticket_id = :id")
        .bind("at", Instant.EPOCH).bind("id", ticketId).execute());
  }

  /** Renamed in between (routing tags the topic): the adopted twin gets the new title. */
  @Test
  void aCreateWhoseAnswerWasLostIsAdoptedByTheNextPushNotMadeAgain() {
    TestTickets.project(db, "ticket-sync-2", Status.NEW, "Refund during outage");
    desk.lostAnswers = 1;
    Instant before = Instant.now();
    sync.push();
    Instant after = Instant.now();
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.externalId()).isNull();
      assertThat(l.lastError()).contains("timeout");
    });

    TestTickets.project(db, "ticket-sync-2", Status.NEW, "[Alice] Refund during outage");
    retryNow("ticket-sync-2");
    sync.push();

    assertThat(desk.created).containsExactly(TICKET, "ticket-sync-2"); // made there once
    assertThat(desk.titles).containsExactly("8: [Alice] Refund during outage");
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.externalId()).isEqualTo("8");
    });
    // the first attempts asked nothing but the create; the retry looked from before the first one
    assertThat(desk.searches).singleElement().satisfies(q -> {
      assertThat(q.getKey()).isEqualTo("ticket-sync-2");
      assertThat(q.getValue()).isBetween(before.minus(HelpDesk.CLOCK_SKEW), after.minus(HelpDesk.CLOCK_SKEW));
    });
  }

  @Test
  void aCreateSentJustBeforeTheProcessDiedIsAdoptedAfterTheRestart() {
    TestTickets.project(db, "ticket-sync-2", Status.NEW);
    desk.crashes = 1;
    assertThatThrownBy(sync::push).hasMessageContaining("process died");
    sync.close();
    // the time of the attempt was stored before it was sent: the ticket shows PENDING, and is due
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> assertThat(l.sync()).isEqualTo("PENDING"));

    sync = newSync();
    sync.push();

    assertThat(desk.created).containsExactly(TICKET, "ticket-sync-2");
    assertThat(desk.searches).extracting(Map.Entry::getKey).containsExactly("ticket-sync-2");
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.externalId()).isEqualTo("8");
    });
  }

  @Test
  void aRetryWhoseAttemptNeverReachedTheHelpDeskCreatesTheTwin() {
    TestTickets.project(db, "ticket-sync-2", Status.NEW);
    desk.unreachable = 1;
    sync.push();
    assertThat(links.find("ticket-sync-2").orElseThrow().sync()).isEqualTo("FAILED");

    retryNow("ticket-sync-2");
    sync.push();

    assertThat(desk.searches).extracting(Map.Entry::getKey).containsExactly("ticket-sync-2"); // found nothing
    assertThat(desk.created).containsExactly(TICKET, "ticket-sync-2");
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.externalId()).isEqualTo("8");
    });
  }

  @Test
  void aRenamedTopicRenamesTheTwinOnceAndAnotherChangeDoesNotRenameItAgain() {
    assertThat(desk.titles).as("created with its title").isEmpty();

    TestTickets.project(db, TICKET, Status.IN_PROGRESS, "[Billing] t");
    sync.push();
    assertThat(desk.titles).containsExactly(EXTERNAL + ": [Billing] t");

    TestTickets.project(db, TICKET, Status.ON_HOLD, "[Billing] t");
    sync.push();
    assertThat(desk.titles).hasSize(1);
  }

  @Test
  void aStatusChangePulledWhileTemporalIsUnreachableIsAppliedByTheNextPull() {
    Instant resolvedThere = Instant.now().minusMillis(500);
    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.RESOLVED, resolvedThere));
    tickets.failures = 1;

    assertThatThrownBy(sync::pull).hasMessageContaining("Temporal unreachable");
    // not marked seen, the cursor not moved: the next pass asks again
    assertThat(syncedStatus()).isEqualTo("IN_PROGRESS");
    assertThat(links.cursor()).isEmpty();

    sync.pull();
    assertThat(tickets.commands).hasSize(2).allSatisfy(c -> {
      assertThat(c.name()).isEqualTo("resolve");
      // the same id both times: had the first reached the ticket, Temporal would answer the repeat from its record
      assertThat(c.eventId()).isEqualTo("hd:" + EXTERNAL + ":" + resolvedThere.toEpochMilli());
      assertThat(c.role()).isEqualTo(Role.SYSTEM);
    });
    assertThat(syncedStatus()).isEqualTo("RESOLVED");
    assertThat(links.cursor()).isPresent();

    sync.pull(); // seen now: not commanded again
    assertThat(tickets.commands).hasSize(2);
  }

  /** Relay mode's relay, as far as a help desk's reply needs it: the customer's copy in the outbox under its key. */
  Relay relayToCustomer(long customer) {
    return relayToCustomer(customer, Optional.empty());
  }

  /** {@link #relayToCustomer(long)} that turns a reply on a CLOSED ticket away ({@code turnedAway}), or not. */
  private Relay relayToCustomer(long customer, Optional<Relay.TurnedAway> turnedAway) {
    return new Relay() {
      @Override
      public boolean in(Classified.RelayIn message) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void out(Classified.ForTicket delivered) {
        if (!(delivered.event() instanceof TicketEvent.MessagePosted m)) {
          return; // an agent's message alone reaches the customer, as TopicRelay's
        }
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage(delivered.ticketId() + OUT_KEY + m.eventId(), customer,
            null, "to customer: " + m.text(), OutboundMessage.NORMAL), delivered.ticketId(), null);
      }

      @Override
      public Optional<TurnedAway> turnedAway(Classified.ForTicket event) {
        return turnedAway;
      }
    };
  }

  /** The ticket's read model shows {@code eventId} among its seen events, as after its run took it. */
  void seenByTicket(String ticketId, String eventId) {
    db.jdbi().useHandle(h -> {
      String state = h.createQuery("select state from tickets where id = :id").bind("id", ticketId)
          .mapTo(String.class).one();
      com.fasterxml.jackson.databind.node.ObjectNode json =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(state, com.fasterxml.jackson.databind.JsonNode.class);
      com.fasterxml.jackson.databind.JsonNode seen = json.path("seenEvents");
      com.fasterxml.jackson.databind.node.ArrayNode events = seen.isArray()
          ? (com.fasterxml.jackson.databind.node.ArrayNode) seen : json.putArray("seenEvents");
      events.add(eventId);
      h.createUpdate("update tickets set state = :state where id = :id").bind("state", json.toString())
          .bind("id", ticketId).execute();
    });
  }

  /**
   * Relay mode: the process dies right after the ticket took a help desk's reply (its read model
   * shows it) and before anything else. The next pass sees the reply in the ticket and does nothing:
   * the customer's copy must be queued by then, once. Open and CLOSED (a follow-up) tickets alike.
   */
  @Test
  void aCrashRightAfterTheTicketTookAHelpDesksReplyStillRelaysItToTheCustomerOnce() {
    for (Status status : List.of(Status.IN_PROGRESS, Status.CLOSED)) {
      TestTickets.project(db, TICKET, status);
      String replyId = "crash-" + status;
      desk.replies.add(new HelpDesk.Reply(EXTERNAL, replyId, "Enoch Root", "Reply while " + status, Instant.now()));
      int[] crashes = {1};
      HelpDeskSync relayed = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> {
        seenByTicket(event.ticketId(), ((TicketEvent.MessagePosted) event.event()).eventId());
        if (crashes[0]-- > 0) {
          throw new IllegalStateException("the process died here");
        }
        return true;
      }, relayToCustomer(9001)), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
      try {
        assertThatThrownBy(relayed::pull).hasMessageContaining("died");
        relayed.pull(); // the next pass (after a restart)
        relayed.pull();
      } finally {
        relayed.close();
      }
      assertThat(outboxTexts()).as(status.name()).containsOnlyOnce("to customer: Reply while " + status);
    }
  }

  /** A crash before the ticket took the reply: the next pass delivers it, the customer's copy still once. */
  @Test
  void aCrashBeforeTheTicketTookAHelpDesksReplyRelaysItOnceAtTheNextPass() {
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "crash-before", "Enoch Root", "Try again", Instant.now()));
    int[] crashes = {1};
    List<String> took = new CopyOnWriteArrayList<>();
    HelpDeskSync relayed = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> {
      if (crashes[0]-- > 0) {
        throw new IllegalStateException("UNAVAILABLE: Temporal unreachable");
      }
      String id = ((TicketEvent.MessagePosted) event.event()).eventId();
      took.add(id);
      seenByTicket(event.ticketId(), id);
      return true;
    }, relayToCustomer(9001)), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
    try {
      assertThatThrownBy(relayed::pull).hasMessageContaining("UNAVAILABLE");
      relayed.pull();
      relayed.pull();
    } finally {
      relayed.close();
    }
    assertThat(took).containsExactly("hdr:request-tracker:crash-before");
    assertThat(outboxTexts()).containsOnlyOnce("to customer: Try again");
  }

  /**
   * Group mode: a reply pulled in the instant a follow-up run starts, after the run read the CLOSED
   * snapshot ({@link TicketStore#closedPredecessor}) and before its first snapshot, which replaces
   * that one. Recorded in the closed snapshot then, the entry was lost with it (and its event id, so
   * no later pull brought it back): the follow-up run takes the reply instead, and nothing is
   * written where its snapshot will overwrite it.
   */
  @Test
  void aReplyPulledBetweenAFollowUpsReadOfTheClosedTicketAndItsFirstSnapshotReachesTheFollowUp() {
    TestTickets.project(db, TICKET, Status.CLOSED);
    TicketStore store = new TicketStore(db);
    TicketState read = store.closedPredecessor(TICKET).orElseThrow(); // the follow-up run starts
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "race-1", "Enoch Root", "Your refund went out today",
        Instant.now().minusMillis(200)));

    sync.pull(); // in between
    // the follow-up's first snapshot: the closed run's trail and seen events as it read them
    store.save(TestTickets.run(read, "run-2", read.version() + 1, Status.NEW, Instant.now())
        .withHistory(read.audit(), read.seenEvents(), read.policy()));

    assertThat(outboxTexts()).containsExactly("💬 Enoch Root (via Request Tracker): Your refund went out today");
    assertThat(tickets.delivered).as("the follow-up run takes the reply").singleElement().satisfies(d -> {
      assertThat(d.ticketId()).isEqualTo(TICKET);
      assertThat(d.startsTicket()).isFalse();
      assertThat(d.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, m -> {
        assertThat(m.eventId()).isEqualTo("hdr:request-tracker:race-1");
        assertThat(m.role()).isEqualTo(Role.AGENT);
      });
    });
    TicketState followUp = store.find(TICKET).orElseThrow();
    assertThat(followUp.status()).isEqualTo(Status.NEW);
    assertThat(followUp.audit()).as("nothing written where the follow-up's snapshot went")
        .noneMatch(a -> a.event().equals("REPLY_WHILE_CLOSED"));
  }

  /**
   * Group mode: the follow-up run that read the CLOSED snapshot ended before its first snapshot
   * (terminated by an operator, failed). Its read stayed marked, so a reply pulled then went to no
   * run and was dropped without a line: lost. It is recorded on the CLOSED ticket after all (once,
   * with a WARN), and the stale mark no longer holds a later reply back.
   */
  @Test
  void aReplyNoRunTakesAfterAFollowUpRunEndedBeforeItsFirstSnapshotIsRecordedOnTheClosedTicket() {
    TestTickets.project(db, TICKET, Status.CLOSED);
    TicketStore store = new TicketStore(db);
    store.closedPredecessor(TICKET).orElseThrow(); // a follow-up run starts, then ends before its first snapshot
    tickets.runGone = true;
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "gone-1", "Enoch Root", "Your refund went out today",
        Instant.now().minusMillis(300)));
    sync.pull();
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "gone-2", "Enoch Root", "And the receipt",
        Instant.now().minusMillis(200)));
    sync.pull();
    sync.pull(); // a pull that sees both again

    assertThat(tickets.delivered).isEmpty();
    TicketState closed = store.find(TICKET).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.CLOSED);
    assertThat(closed.audit()).filteredOn(a -> a.event().equals("REPLY_WHILE_CLOSED")).hasSize(2);
    assertThat(closed.seenEvents()).contains("hdr:request-tracker:gone-1", "hdr:request-tracker:gone-2");
    assertThat(outboxTexts()).containsOnlyOnce("💬 Enoch Root (via Request Tracker): Your refund went out today")
        .containsOnlyOnce("💬 Enoch Root (via Request Tracker): And the receipt");
  }

  /**
   * A reply no run takes while the read model shows its ticket open: its run ended without closing
   * (an operator terminated it, it failed). Before, a WARN alone said so: the customer got the reply
   * (the topic; in relay mode privately), and it was in no ticket's trail. It is recorded on the
   * stored snapshot once (REPLY_WHILE_NO_RUN), its event id among the seen ones, so neither a pull
   * that sees it again nor one after a restart records it again, nor does a run started from that
   * snapshot (a restore) take it; the snapshot keeps its version and status.
   */
  @Test
  void aReplyNoRunTakesOnATicketTheReadModelShowsOpenIsRecordedOnItOnce() {
    tickets.runGone = true;
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "lost-1", "Enoch Root", "Try the new build",
        Instant.now().minusMillis(300)));

    sync.pull();
    sync.pull(); // within the overlap: the same reply again
    sync.close();
    sync = newSync(); // a restart
    sync.pull();

    assertThat(tickets.delivered).isEmpty();
    TicketState row = new TicketStore(db).find(TICKET).orElseThrow();
    assertThat(row.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(row.version()).isEqualTo(ticket.version());
    assertThat(row.audit()).filteredOn(a -> a.event().startsWith("REPLY_")).singleElement().satisfies(a -> {
      assertThat(a.event()).isEqualTo("REPLY_WHILE_NO_RUN");
      assertThat(a.actor()).isEqualTo("request-tracker:Enoch Root");
      assertThat(a.reason()).startsWith("Enoch Root (via Request Tracker) replied on ")
          .contains(" while no run of the ticket was running (it ended without closing: terminated or failed): "
              + "posted to the customer, not taken by the ticket (no first response)");
    });
    assertThat(row.seenEvents()).contains("hdr:request-tracker:lost-1");
    assertThat(outboxTexts()).containsExactly("💬 Enoch Root (via Request Tracker): Try the new build");
  }

  /**
   * The run closed between the sync's look at the read model (open) and the delivery (no run): the
   * closed run's last snapshot is CLOSED by then. Before, a WARN alone said the reply reached no run;
   * it takes the CLOSED ticket's way now, REPLY_WHILE_CLOSED once, in group and relay mode alike. In
   * relay mode the customer's copy went with the delivery (queued before the ticket is asked), so it
   * is recorded as posted to them, and neither the topic's "Not sent" nor a follow-up follows.
   */
  @Test
  void aReplyWhoseRunClosedBetweenTheLookAndTheDeliveryIsRecordedOnTheClosedTicketOnce() {
    for (boolean relayMode : List.of(false, true)) {
      String replyId = "closing-" + relayMode;
      TestTickets.project(db, TICKET, Status.IN_PROGRESS); // open again, a snapshot that has seen nothing
      desk.replies.clear();
      desk.replies.add(new HelpDesk.Reply(EXTERNAL, replyId, "Enoch Root", "Done " + relayMode,
          Instant.now().minusMillis(300)));
      List<Classified.ForTicket> asked = new CopyOnWriteArrayList<>();
      HelpDeskSync racing = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> {
        asked.add(event);
        if (!new TicketStore(db).find(TICKET).orElseThrow().status().equals(Status.CLOSED)) {
          TestTickets.project(db, TICKET, Status.CLOSED); // the run closes, its last snapshot projected
        }
        return false; // and has ended when the reply comes
      }, relayMode ? relayToCustomer(9001) : Relay.OFF), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
      try {
        racing.pull();
        assertThat(new TicketStore(db).find(TICKET).orElseThrow().audit()).as("in that pass, relay mode " + relayMode)
            .anyMatch(a -> a.event().equals("REPLY_WHILE_CLOSED"));
        racing.pull(); // within the overlap: the same reply again
      } finally {
        racing.close();
      }

      TicketState closed = new TicketStore(db).find(TICKET).orElseThrow();
      assertThat(closed.status()).isEqualTo(Status.CLOSED);
      assertThat(closed.audit()).as("relay mode " + relayMode).filteredOn(a -> a.event().startsWith("REPLY_"))
          .singleElement().satisfies(a -> {
            assertThat(a.event()).isEqualTo("REPLY_WHILE_CLOSED");
            assertThat(a.reason()).endsWith("while the ticket was closed: posted to the customer, but the ticket stays"
                + " closed (no follow-up opened, no first response)");
          });
      assertThat(closed.seenEvents()).contains("hdr:request-tracker:" + replyId);
      assertThat(asked).as("no follow-up started").singleElement()
          .satisfies(d -> assertThat(d.startsTicket()).isFalse());
      assertThat(outboxTexts()).containsOnlyOnce("💬 Enoch Root (via Request Tracker): Done " + relayMode)
          .noneMatch(text -> text.contains("Not sent"));
      if (relayMode) {
        assertThat(outboxTexts()).containsOnlyOnce("to customer: Done true");
      }
    }
  }

  /** Relay mode's relay while the customer, Bob, has another open ticket (topic 700019): a reply on the CLOSED one is turned away. */
  Relay turningAway() {
    return relayToCustomer(9001, Optional.of(new Relay.TurnedAway("Bob", new dev.forumdesk.store.RelayTopics.Topic(
        ticket.chatId(), 700019, 9001, "ticket-bob-open"))));
  }

  /**
   * Relay mode: a reply on a CLOSED ticket not sent (Bob has another open ticket) while a follow-up run
   * of that ticket starts (it read the closed snapshot, so nothing is recorded there). Before, a WARN
   * alone said it was in no audit; delivered as the agent's message it would be the follow-up's first
   * response, a reply Bob never got. The follow-up run gets it as not sent (REPLY_NOT_SENT: who, when,
   * why), never Bob's copy; a pass that sees it again once the follow-up shows open does not deliver
   * it as the agent's message either.
   */
  @Test
  void aReplyNotSentWhileAFollowUpStartsReachesThatRunAsNotSentNeverAsTheAgentsMessage() {
    TestTickets.project(db, TICKET, Status.CLOSED);
    TicketStore store = new TicketStore(db);
    TicketState read = store.closedPredecessor(TICKET).orElseThrow(); // the follow-up run starts
    Instant at = Instant.now().minusMillis(300);
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "away-1", "Enoch Root", "Your refund went out today", at));
    List<Classified.ForTicket> took = new CopyOnWriteArrayList<>();
    HelpDeskSync relayed = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> {
      took.add(event);
      return true;
    }, turningAway()), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
    try {
      relayed.pull();
      // the follow-up's first snapshot (it does not show the reply yet), and a pass that sees the reply again
      store.save(TestTickets.run(read, "run-2", read.version() + 1, Status.NEW, Instant.now())
          .withHistory(read.audit(), read.seenEvents(), read.policy()));
      relayed.pull();
    } finally {
      relayed.close();
    }

    assertThat(took).isNotEmpty().allSatisfy(d -> {
      assertThat(d.ticketId()).isEqualTo(TICKET);
      assertThat(d.startsTicket()).isFalse();
      assertThat(d.event()).isInstanceOfSatisfying(TicketEvent.ReplyNotSent.class, n -> {
        assertThat(n.eventId()).isEqualTo("hdr:request-tracker:away-1");
        assertThat(n.at()).isEqualTo(at);
        assertThat(n.from().name()).isEqualTo("Enoch Root (via Request Tracker)");
        assertThat(n.role()).isEqualTo(Role.AGENT);
        assertThat(n.actor()).isEqualTo("request-tracker:Enoch Root");
      });
    });
    assertThat(took.getFirst().event()).isInstanceOfSatisfying(TicketEvent.ReplyNotSent.class, n -> assertThat(n.why())
        .isEqualTo("not sent to Bob, who has an open ticket (topic 700019); Request Tracker was told"));
    assertThat(outboxTexts()).as("Bob gets no copy").noneMatch(text -> text.startsWith("to customer:"))
        .containsOnlyOnce("💬 Enoch Root (via Request Tracker): Your refund went out today");
    assertThat(store.find(TICKET).orElseThrow().audit()).as("nothing where the follow-up's snapshot went")
        .noneMatch(a -> a.event().startsWith("REPLY_"));
  }

  /**
   * The same, seen again once the follow-up shows open, but its run has ended without closing
   * (terminated) before its snapshot showed the reply: not the agent's message, recorded on the
   * follow-up's snapshot as not sent (REPLY_WHILE_NO_RUN), once.
   */
  @Test
  void aReplyTurnedAwayBeforeThatNoRunTakesIsRecordedOnTheOpenFollowUpAsNotSent() {
    TestTickets.project(db, TICKET, Status.CLOSED);
    TicketStore store = new TicketStore(db);
    TicketState read = store.closedPredecessor(TICKET).orElseThrow();
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "away-3", "Enoch Root", "Your refund went out today",
        Instant.now().minusMillis(300)));
    boolean[] running = {true};
    List<Classified.ForTicket> took = new CopyOnWriteArrayList<>();
    HelpDeskSync relayed = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> {
      took.add(event);
      return running[0];
    }, turningAway()), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
    try {
      relayed.pull();
      store.save(TestTickets.run(read, "run-2", read.version() + 1, Status.NEW, Instant.now())
          .withHistory(read.audit(), read.seenEvents(), read.policy()));
      running[0] = false; // terminated before its snapshot showed the reply
      relayed.pull();
      relayed.pull();
    } finally {
      relayed.close();
    }

    assertThat(took).extracting(Classified.ForTicket::event).allMatch(TicketEvent.ReplyNotSent.class::isInstance);
    TicketState followUp = store.find(TICKET).orElseThrow();
    assertThat(followUp.status()).isEqualTo(Status.NEW);
    assertThat(followUp.audit()).filteredOn(a -> a.event().startsWith("REPLY_")).singleElement().satisfies(a -> {
      assertThat(a.event()).isEqualTo("REPLY_WHILE_NO_RUN");
      assertThat(a.reason()).endsWith("while no run of the ticket was running (it ended without closing: terminated"
          + " or failed): not sent to the customer, who had another open ticket; Request Tracker was told");
    });
    assertThat(outboxTexts()).noneMatch(text -> text.startsWith("to customer:"));
  }

  /**
   * The same, but the follow-up run that read the closed snapshot ended before its first snapshot:
   * no run takes the reply, and it is recorded on the CLOSED ticket after all, as not sent, once.
   */
  @Test
  void aReplyNotSentThatNoRunTakesIsRecordedOnTheClosedTicketAsNotSent() {
    TestTickets.project(db, TICKET, Status.CLOSED);
    TicketStore store = new TicketStore(db);
    store.closedPredecessor(TICKET).orElseThrow(); // a follow-up run starts, then ends before its first snapshot
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "away-2", "Enoch Root", "Your refund went out today",
        Instant.now().minusMillis(300)));
    HelpDeskSync relayed = new HelpDeskSync(desk, links, HelpDeskSync.Tickets.of(tickets::command, event -> false,
        turningAway()), outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
    try {
      relayed.pull();
      relayed.pull();
    } finally {
      relayed.close();
    }

    TicketState closed = store.find(TICKET).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.CLOSED);
    assertThat(closed.audit()).filteredOn(a -> a.event().startsWith("REPLY_")).singleElement().satisfies(a -> {
      assertThat(a.event()).isEqualTo("REPLY_WHILE_CLOSED");
      assertThat(a.reason()).endsWith("while the ticket was closed: not sent to Bob, who has an open ticket (topic"
          + " 700019); the ticket stays closed, and Request Tracker was told");
    });
    assertThat(closed.seenEvents()).contains("hdr:request-tracker:away-2");
    assertThat(outboxTexts()).noneMatch(text -> text.startsWith("to customer:"));
  }

  @Test
  void anAgentsReplyThereIsPostedIntoTheTopicOnceAndReachesTheTicketAsAnAgentsMessage() {
    Instant at = Instant.now().minusMillis(300);
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "41", "Enoch Root", "Use <b>Settings</b> & retry", at));

    sync.pull();
    sync.pull(); // within the overlap: the same reply again

    assertThat(outboxTexts()).containsExactly("💬 Enoch Root (via Request Tracker): Use &lt;b&gt;Settings&lt;/b&gt; &amp; retry");
    assertThat(outbox.status("hd-reply:request-tracker:41")).contains("PENDING");
    assertThat(tickets.delivered).isNotEmpty().allSatisfy(d -> {
      assertThat(d.ticketId()).isEqualTo(TICKET);
      assertThat(d.chatId()).isEqualTo(ticket.chatId());
      assertThat(d.threadId()).isEqualTo(ticket.threadId());
      assertThat(d.startsTicket()).isFalse();
      assertThat(d.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, m -> {
        assertThat(m.eventId()).isEqualTo("hdr:request-tracker:41");
        assertThat(m.role()).isEqualTo(Role.AGENT);
        assertThat(m.from().name()).isEqualTo("Enoch Root (via Request Tracker)");
        assertThat(m.text()).isEqualTo("Use <b>Settings</b> & retry");
        assertThat(m.at()).isEqualTo(at);
      });
    });
  }

  @Test
  void aReplysLinksReachTheTopicAndTheCustomersCopyAsLinksAndTheTicketAsText() {
    // audit 19a F1: the reply's HTML (links kept) goes to Telegram; the ticket keeps the text
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "47", "Enoch Root", "open the reset page (https://e.com/r?a=1&b=2)",
        Instant.now().minusMillis(100), "open <a href=\"https://e.com/r?a=1&amp;b=2\">the reset page</a>"));

    sync.pull();

    assertThat(outboxTexts()).containsExactly(
        "💬 Enoch Root (via Request Tracker): open <a href=\"https://e.com/r?a=1&amp;b=2\">the reset page</a>");
    assertThat(tickets.delivered).isNotEmpty().allSatisfy(d -> {
      assertThat(d.html()).as("for the customer's copy (relay mode)")
          .isEqualTo("open <a href=\"https://e.com/r?a=1&amp;b=2\">the reset page</a>");
      assertThat(d.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class,
          m -> assertThat(m.text()).isEqualTo("open the reset page (https://e.com/r?a=1&b=2)"));
    });
  }

  /**
   * The normal Telegram flow: the topic is created, its first message comes a moment later. A twin
   * made in between has the title as its content, so that message must become a comment; a twin
   * made once the message was there holds it already and gets no comment of it.
   */
  @Test
  void aFirstMessageThatCameAfterTheTwinWasMadeIsACommentAndOneThatCameBeforeIsNot() {
    Person bob = new Person(5001, "Bob", "bob");
    TestTickets.project(db, "ticket-early", Status.NEW, "Refund please");
    sync.push(); // the twin is made before the message: its content is the title
    TestTickets.project(db, "ticket-early", Status.NEW, "Refund please", "I want a refund for order 9");
    links.message("ticket-early", "u1", bob.name(), Role.CUSTOMER.name(), "I want a refund for order 9", Instant.now());

    TestTickets.project(db, "ticket-late", Status.NEW, "Login fails", "I cannot log in");
    sync.push(); // made with the message as its content
    links.message("ticket-late", "u2", bob.name(), Role.CUSTOMER.name(), "I cannot log in", Instant.now());

    sync.pushMessages();

    assertThat(desk.comments).containsExactly(desk.idOf("ticket-early") + ": Bob (customer): I want a refund for order 9\n\n(Forumdesk message u1)");
  }

  @Test
  void aReplyFromTheHelpDeskIsNotMirroredBackAsACommentButATopicMessageIs() {
    tickets.onDelivered(sync::record); // what the webhook role registers (HelpDeskSync.recorder)
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "42", "Enoch Root", "Fixed on our side", Instant.now().minusMillis(200)));
    sync.pull();
    tickets.listener.accept(new Classified.ForTicket(TICKET, ticket.chatId(), ticket.threadId(),
        new TicketEvent.MessagePosted("u77", Instant.now(), new Person(5001, "Bob", "bob"), Role.CUSTOMER, 77, "Thanks!"),
        "message", true));

    sync.pushMessages();

    assertThat(desk.comments).containsExactly(EXTERNAL + ": Bob (customer): Thanks!\n\n(Forumdesk message u77)");
  }

  @Test
  void aReplyIsAppliedBeforeAStatusChangeOfTheSameTimeAndAFailedDeliveryIsRepeated() {
    Instant at = Instant.now().minusMillis(400);
    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.RESOLVED, at));
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "43", "Enoch Root", "Done, closing", at));
    tickets.failures = 1; // the reply's delivery

    assertThatThrownBy(sync::pull).hasMessageContaining("Temporal unreachable");
    assertThat(tickets.commands).isEmpty(); // the resolve waits for the reply before it
    assertThat(links.cursor()).isEmpty();

    sync.pull();
    assertThat(tickets.delivered).extracting(d -> d.event().eventId()).containsExactly("hdr:request-tracker:43");
    assertThat(tickets.commands).extracting(CommandRequest::name).containsExactly("resolve");
    assertThat(outboxTexts()).hasSize(1);
  }

  @Test
  void aReplyLongerThanTelegramAllowsIsCutWithAnEllipsis() {
    String longText = "x".repeat(5000);
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "44", "Enoch Root", longText, Instant.now().minusMillis(100)));
    sync.pull();

    String text = outboxTexts().getFirst();
    assertThat(text).startsWith("💬 Enoch Root (via Request Tracker): xxx").endsWith("x…");
    assertThat(text.length()).isEqualTo(HelpDeskSync.TELEGRAM_TEXT_MAX);
  }

  @Test
  void aReplyOnATicketNotMirroredHereIsLeftAlone() {
    desk.replies.add(new HelpDesk.Reply("999", "45", "Enoch Root", "Someone else's", Instant.now().minusMillis(100)));
    sync.pull();
    assertThat(outboxTexts()).isEmpty();
    assertThat(tickets.delivered).isEmpty();
    assertThat(links.cursor()).isPresent();
  }

  /**
   * The audit's F7: RT took the /resolve after the client's timeout, and the pull read it back as a
   * change made there (and would have resolved a ticket reopened meanwhile). The status whose answer
   * was lost is the one RT is taken to hold: its echo is not pulled back, the push sends it again,
   * and a later change made there is pulled back as before.
   */
  @Test
  void theLateEchoOfAStatusWhoseAnswerWasLostIsNotPulledBack() {
    desk.statuses.clear(); // the set-up's
    TestTickets.project(db, TICKET, Status.RESOLVED);
    desk.lostStatusAnswers = 1;
    sync.push();
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("FAILED");

    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.RESOLVED, Instant.now())); // RT did it after all
    sync.pull();
    assertThat(tickets.commands).isEmpty();

    retryNow(TICKET);
    sync.push();
    assertThat(desk.statuses).containsExactly(EXTERNAL + ": RESOLVED", EXTERNAL + ": RESOLVED"); // sent again
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("OK");

    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.IN_PROGRESS, Instant.now().plusMillis(5))); // reopened there
    sync.pull();
    assertThat(tickets.commands).extracting(CommandRequest::name).containsExactly("reopen");
  }

  /**
   * Request Tracker opens a resolved ticket again when someone replies in it; a reply on a ticket
   * CLOSED here leaves the ticket CLOSED (REPLY_WHILE_CLOSED, no follow-up). The twin is set back to
   * resolved by the next push, once however often the pulls see it open before, and neither that
   * reopen nor the echo of the status set back is pulled back as a command.
   */
  @Test
  void aTwinOpenedThereByAReplyOnATicketClosedHereIsSetBackOnceAndNothingIsPulledBack() {
    desk.same = (a, b) -> RequestTracker.toRt(a).equals(RequestTracker.toRt(b));
    TestTickets.project(db, TICKET, Status.CLOSED);
    sync.pushPass();
    assertThat(desk.statuses).containsExactly(EXTERNAL + ": IN_PROGRESS", EXTERNAL + ": CLOSED");

    Instant at = Instant.now().minusMillis(500);
    desk.replies.add(new HelpDesk.Reply(EXTERNAL, "901", "Enoch Root", "Your refund went out today", at));
    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.IN_PROGRESS, at)); // RT opened it on the reply
    sync.pull();
    sync.pull(); // looks back over both again before the push

    assertThat(tickets.commands).as("no reopen: the ticket stays CLOSED").isEmpty();
    assertThat(tickets.delivered).isEmpty();
    TicketState closed = new TicketStore(db).find(TICKET).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.CLOSED);
    assertThat(closed.audit()).filteredOn(a -> a.event().equals("REPLY_WHILE_CLOSED")).hasSize(1);
    assertThat(links.unsynced()).as("the twin is open there, the ticket CLOSED here").isEqualTo(1);

    sync.pushPass();
    sync.pushPass();
    assertThat(desk.statuses).containsExactly(EXTERNAL + ": IN_PROGRESS", EXTERNAL + ": CLOSED", EXTERNAL + ": CLOSED");
    assertThat(syncedStatus()).isEqualTo("CLOSED");
    assertThat(links.unsynced()).isZero();

    // RT answers with the ticket as it is now: resolved, by our write
    desk.changes.clear();
    desk.changes.add(new HelpDesk.Change(EXTERNAL, Status.RESOLVED, Instant.now()));
    sync.pull();
    sync.pushPass();
    sync.pull();
    sync.pushPass();
    assertThat(tickets.commands).isEmpty();
    assertThat(desk.statuses).hasSize(3);
    assertThat(links.unsynced()).isZero();
  }

  /**
   * The same with Zammad (its fake): an agent answers on a twin whose ticket is CLOSED here and sets
   * it open; Forumdesk keeps the ticket CLOSED and sets the twin back to closed, once.
   */
  @Test
  void aZammadTwinOpenedWithAReplyOnATicketClosedHereIsSetBackToClosedOnce() throws Exception {
    try (FakeZammad fake = new FakeZammad("zt")) {
      HelpDeskLinks zammadLinks = new HelpDeskLinks(db, "zammad");
      HelpDeskSync zammad = new HelpDeskSync(new Zammad(fake.url(), "Users", "zt", Duration.ofSeconds(10)),
          zammadLinks, tickets, outbox, metrics, Duration.ofSeconds(1), Duration.ofSeconds(10));
      try {
        String id = "ticket-z-1";
        TestTickets.project(db, id, Status.IN_PROGRESS, "Refund", "Where is my refund?");
        zammad.pushPass();
        long twin = Long.parseLong(zammadLinks.find(id).orElseThrow().externalId());
        TestTickets.project(db, id, Status.CLOSED, "Refund", "Where is my refund?");
        zammad.pushPass();
        assertThat(fake.ticket(twin).state()).isEqualTo("closed");
        zammad.pull();

        long anna = fake.agent("Anna", "Agent");
        fake.write(twin, anna, "Your refund went out today", "text/plain", false);
        fake.setState(twin, "open");
        zammad.pull();
        zammad.pull();
        long puts = fake.calls("PUT", "/api/v1/tickets/" + twin);
        zammad.pushPass();

        assertThat(fake.ticket(twin).state()).isEqualTo("closed");
        assertThat(tickets.commands).as("no reopen: the ticket stays CLOSED").isEmpty();
        TicketState closed = new TicketStore(db).find(id).orElseThrow();
        assertThat(closed.status()).isEqualTo(Status.CLOSED);
        assertThat(closed.audit()).filteredOn(a -> a.event().equals("REPLY_WHILE_CLOSED")).singleElement()
            .satisfies(a -> assertThat(a.actor()).isEqualTo("zammad:Anna Agent"));

        zammad.pull();
        zammad.pushPass();
        zammad.pull();
        zammad.pushPass();
        assertThat(fake.calls("PUT", "/api/v1/tickets/" + twin)).isEqualTo(puts + 1);
        assertThat(tickets.commands).isEmpty();
        assertThat(zammadLinks.unsynced()).isZero();
      } finally {
        zammad.close();
      }
    }
  }

  /**
   * The audit's F7: a comment whose answer was lost was added by RT all the same, then again by the
   * retry. The retry looks for it first (and so does the first comment after a restart: the process
   * before may have died with one on its way); a comment that went through is not looked for.
   */
  @Test
  void aCommentWhoseAnswerWasLostIsLookedForAndNotAddedTwice() {
    links.message(TICKET, "u7", "Alice", Role.AGENT.name(), "Bob, anything else?", Instant.now());
    links.message(TICKET, "u8", "Bob", Role.CUSTOMER.name(), "No, thanks", Instant.now().plusMillis(1));
    desk.lostCommentAnswers = 1;

    assertThat(sync.pushMessages()).isFalse();
    assertThat(sync.pushMessages()).isTrue();
    links.message(TICKET, "u9", "Alice", Role.AGENT.name(), "Bye", Instant.now().plusMillis(2));
    sync.pushMessages();

    assertThat(desk.comments).containsExactly(
        EXTERNAL + ": Alice (agent): Bob, anything else?\n\n(Forumdesk message u7)",
        EXTERNAL + ": Bob (customer): No, thanks\n\n(Forumdesk message u8)",
        EXTERNAL + ": Alice (agent): Bye\n\n(Forumdesk message u9)");
    // u7 first after the start, then after its lost answer; u8 and u9 went at their first attempt
    assertThat(desk.lookups).containsExactly("u7", "u7");
  }

  /** The audit's F7: RT's history showed the Status change before the comment written before it. */
  @Test
  void aCommentWrittenBeforeAStatusChangeReachesTheHelpDeskBeforeIt() {
    desk.calls.clear(); // the set-up's
    links.message(TICKET, "u7", "Alice", Role.AGENT.name(), "Bob, anything else?", Instant.now());
    TestTickets.project(db, TICKET, Status.RESOLVED);

    sync.pushPass();

    assertThat(desk.calls).containsExactly("comment " + EXTERNAL, "status " + EXTERNAL);
  }

  /**
   * The audit's F8: Zammad was down when the topic opened; by the time the create went through the
   * customer's message was its content, yet it was added again as a note, and the title set again.
   */
  @Test
  void aTwinMadeAfterAnOutageWithTheFirstMessageGetsNoCommentOfItNorItsTitleAgain() {
    TestTickets.project(db, "ticket-320", Status.NEW, "Invoice question"); // no message yet: content the title
    desk.unreachable = 1;
    sync.push();
    assertThat(links.find("ticket-320").orElseThrow().sync()).isEqualTo("FAILED");

    TestTickets.project(db, "ticket-320", Status.NEW, "Invoice question", "Where is my invoice for November?");
    links.message("ticket-320", "u320", "Dora", Role.CUSTOMER.name(), "Where is my invoice for November?", Instant.now());
    retryNow("ticket-320");
    sync.push();
    sync.pushMessages();

    assertThat(desk.contents).containsEntry("ticket-320", "Where is my invoice for November?");
    assertThat(desk.comments).isEmpty();
    assertThat(desk.titles).isEmpty();
  }

  /** A ticket as its workflow projects it just after the topic was created: its first message not there yet. */
  void projectJustOpened(String id, String title) {
    TicketState s = TestTickets.run(TestTickets.unopenedTicket(), "run-1", System.nanoTime(), Status.NEW, Instant.now());
    new TicketStore(db).save(new TicketState(id, s.chatId(), s.threadId(), s.opened(), title, s.customer(), null,
        s.status(), s.priority(), s.level(), s.queue(), null, null, null, null, null, s.createdAt(), null, null, null, 0,
        null, s.sla(), s.routing(), List.of(), List.of(), s.version(), s.policy(), s.lifecycle(), s.clocks()));
  }

  /**
   * The audit's F9: the topic "App crash", its message a second later; the twin was made in between,
   * with the title as its content. Now a topic without its first message waits for it (up to
   * routing.first-message-wait), and the message recorded when it was delivered is the content even
   * while the read model's snapshot does not show it yet; it is then no comment.
   */
  @Test
  void aTwinWaitsForTheTopicsFirstMessageAndHoldsItAsItsContent() {
    projectJustOpened("ticket-410", "App crash");
    sync.push();
    assertThat(desk.created).containsExactly(TICKET);
    assertThat(links.find("ticket-410")).as("not tried yet").isEmpty();

    links.message("ticket-410", "u410", "Carl", Role.CUSTOMER.name(), "The app crashes when I open settings",
        Instant.now());
    sync.push();
    sync.pushMessages();

    assertThat(desk.created).containsExactly(TICKET, "ticket-410");
    assertThat(desk.contents).containsEntry("ticket-410", "The app crashes when I open settings");
    assertThat(desk.comments).isEmpty();
  }

  /**
   * Audit 17's F1: a follow-up run (the customer wrote after the ticket CLOSED) keeps the ticket's
   * twin, whose content is the first run's message; the follow-up's first message was taken for
   * that content and never reached the help desk, which only saw the status go back to new.
   */
  @Test
  void aFollowUpsFirstMessageIsACommentOnTheTwinItReuses() {
    TestTickets.project(db, "ticket-501", Status.NEW, "Payment question", "My payment did not go through");
    links.message("ticket-501", "u501", "Fol", Role.CUSTOMER.name(), "My payment did not go through",
        Instant.now().minusSeconds(60));
    sync.pushPass(); // made with the message as its content
    assertThat(desk.contents).containsEntry("ticket-501", "My payment did not go through");
    TestTickets.project(db, "ticket-501", Status.CLOSED, "Payment question", "My payment did not go through");
    sync.pushPass();
    desk.calls.clear();

    // the follow-up run: the read model's first message is now the follow-up's
    links.message("ticket-501", "u502", "Fol", Role.CUSTOMER.name(), "One more question about payment", Instant.now());
    TestTickets.project(db, "ticket-501", Status.NEW, "Payment question", "One more question about payment");
    sync.pushPass();

    String twin = desk.idOf("ticket-501");
    assertThat(desk.comments).containsExactly(
        twin + ": Fol (customer): One more question about payment\n\n(Forumdesk message u502)");
    assertThat(desk.calls).containsExactly("comment " + twin, "status " + twin); // the request, then new
  }

  /**
   * The same for a twin made before V34 (it does not name its content message): the follow-up's
   * first message, which the read model now calls the first message, still reaches it as a comment.
   */
  @Test
  void aFollowUpsFirstMessageIsACommentOnATwinMadeBeforeItsContentWasNamed() {
    TestTickets.project(db, "ticket-502", Status.NEW, "Payment question", "My payment did not go through");
    links.message("ticket-502", "u511", "Fol", Role.CUSTOMER.name(), "My payment did not go through",
        Instant.now().minusSeconds(60));
    sync.pushPass();
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set content_event_id = null"
        + " where ticket_id = 'ticket-502'").execute()); // as V34 left the twins made before it
    TestTickets.project(db, "ticket-502", Status.CLOSED, "Payment question", "My payment did not go through");
    sync.pushPass();
    desk.calls.clear();

    links.message("ticket-502", "u512", "Fol", Role.CUSTOMER.name(), "One more question about payment", Instant.now());
    TicketState closed = new TicketStore(db).find("ticket-502").orElseThrow();
    TicketState s = new TicketState(closed.id(), closed.chatId(), closed.threadId(), true, closed.title(),
        closed.customer(), "One more question about payment", Status.NEW, closed.priority(), closed.level(),
        closed.queue(), null, null, null, null, null, Instant.now(), null, null, null, 0, "run-1", closed.sla(),
        closed.routing(), closed.audit(), closed.seenEvents(), closed.version() + 1, closed.policy(),
        closed.lifecycle(), closed.clocks());
    new TicketStore(db).save(s); // the follow-up run
    sync.pushPass();

    String twin = desk.idOf("ticket-502");
    assertThat(desk.comments).containsExactly(
        twin + ": Fol (customer): One more question about payment\n\n(Forumdesk message u512)");
    assertThat(desk.calls).containsExactly("comment " + twin, "status " + twin);
  }

  /**
   * Audit 17's F4: while the help desk could not take a mirrored ticket's new messages, the ticket
   * said sync OK and health's unsynced count left it out; they arrived later. Now it is FAILED with
   * the reason until they went, and counted as unsynced.
   */
  @Test
  void aTicketWhoseMessagesCannotReachTheHelpDeskIsFailedAndUnsyncedUntilTheyGo() {
    links.message(TICKET, "u7", "Bob", Role.CUSTOMER.name(), "Any news?", Instant.now());
    desk.unreachableComments = 1;

    assertThat(sync.pushMessages()).isFalse();

    assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.lastError()).contains("RT unreachable");
    });
    assertThat(links.unsynced()).isEqualTo(1);
    assertThat(sync.check().check().details()).containsEntry("unsynced", 1L);

    assertThat(sync.pushMessages()).isTrue();
    assertThat(desk.comments).containsExactly(EXTERNAL + ": Bob (customer): Any news?\n\n(Forumdesk message u7)");
    assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.lastError()).isNull();
    });
    assertThat(links.unsynced()).isZero();
  }

  /**
   * Audit 17's F5: a ticket opened while the help desk was down got its twin, then its status, then
   * the messages written before that status. The status now waits for them.
   */
  @Test
  void aTwinMadeAfterAnOutageGetsTheMessagesBeforeTheStatusTheyLedTo() {
    desk.calls.clear();
    desk.statuses.clear(); // the set-up's
    TestTickets.project(db, "ticket-201", Status.NEW, "Login fails", "I cannot log in");
    links.message("ticket-201", "u1", "Cust", Role.CUSTOMER.name(), "I cannot log in", Instant.now().minusSeconds(3));
    desk.unreachable = 1;
    sync.pushPass();
    assertThat(desk.created).containsExactly(TICKET);

    links.message("ticket-201", "u2", "Boris", Role.AGENT.name(), "Can you send a screenshot?", Instant.now().minusSeconds(2));
    links.message("ticket-201", "u3", "Cust", Role.CUSTOMER.name(), "Here it is", Instant.now().minusSeconds(1));
    TestTickets.project(db, "ticket-201", Status.IN_PROGRESS, "Login fails", "I cannot log in");
    retryNow("ticket-201");
    sync.pushPass();

    String twin = desk.idOf("ticket-201");
    assertThat(desk.calls).containsExactly("comment " + twin, "comment " + twin, "status " + twin);
    assertThat(desk.statuses).containsExactly(twin + ": IN_PROGRESS");
    assertThat(links.find("ticket-201").orElseThrow().sync()).isEqualTo("OK");
    assertThat(links.unsynced()).isZero();
  }

  /**
   * Audit 17's F5, the same while the help desk is slow: the status of a ticket whose messages
   * could not go waits for them, and goes after them.
   */
  @Test
  void aStatusWaitsForTheMessagesBeforeItThatCouldNotGo() {
    desk.calls.clear();
    links.message(TICKET, "u7", "Alice", Role.AGENT.name(), "on it", Instant.now());
    TestTickets.project(db, TICKET, Status.RESOLVED);
    desk.unreachableComments = 1;

    sync.pushPass();
    assertThat(desk.calls).containsExactly("comment " + EXTERNAL);
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("FAILED");

    sync.pushPass();
    assertThat(desk.calls).containsExactly("comment " + EXTERNAL, "comment " + EXTERNAL, "status " + EXTERNAL);
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("OK");
  }

  /**
   * A comment the help desk refuses for good (RT's 422) is left out, logged and shown on its
   * ticket (FAILED, with why); the ticket's next message and its status go on after it.
   */
  @Test
  void aCommentRefusedForGoodIsLeftOutWithItsErrorAndTheNextOneAndTheStatusGo() {
    desk.calls.clear();
    desk.statuses.clear();
    links.message(TICKET, "u7", "Bob", Role.CUSTOMER.name(), "a huge log paste", Instant.now().minusSeconds(2));
    links.message(TICKET, "u8", "Alice", Role.AGENT.name(), "fixed, closing", Instant.now().minusSeconds(1));
    TestTickets.project(db, TICKET, Status.RESOLVED);
    desk.refused.add("u7");

    sync.pushPass();

    assertThat(desk.calls).containsExactly("comment " + EXTERNAL, "comment " + EXTERNAL, "status " + EXTERNAL);
    assertThat(desk.comments).containsExactly(EXTERNAL + ": Alice (agent): fixed, closing\n\n(Forumdesk message u8)");
    assertThat(desk.statuses).containsExactly(EXTERNAL + ": RESOLVED");
    assertThat(links.hasUnpushedMessages(TICKET)).isFalse();
    assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.lastError()).contains("u7").contains("HTTP 422").contains("left out");
    });

    sync.pushPass(); // nothing is tried again
    assertThat(desk.calls).hasSize(3);

    links.message(TICKET, "u9", "Bob", Role.CUSTOMER.name(), "thanks", Instant.now());
    sync.pushPass(); // the conversation went on: the ticket is in step again
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("OK");
  }

  /**
   * The head-of-line blocking across tickets: one ticket's comments failing (its twin slow, or
   * refused) held back every other ticket's, and showed its error on all of them.
   */
  @Test
  void aTicketWhoseCommentsFailHoldsBackNoOtherTicket() {
    TestTickets.project(db, "ticket-sync-2", Status.IN_PROGRESS, "Other");
    sync.push();
    String other = desk.idOf("ticket-sync-2");
    desk.calls.clear();
    desk.timingOut.add(EXTERNAL);
    links.message(TICKET, "u1", "Bob", Role.CUSTOMER.name(), "first", Instant.now().minusSeconds(3));
    links.message(TICKET, "u2", "Bob", Role.CUSTOMER.name(), "second", Instant.now().minusSeconds(2));
    links.message("ticket-sync-2", "v1", "Carl", Role.CUSTOMER.name(), "hello", Instant.now().minusSeconds(1));
    TestTickets.project(db, "ticket-sync-2", Status.RESOLVED, "Other");

    sync.pushPass();

    // u2 waits behind u1 (in order); the other ticket's message and status go
    assertThat(desk.calls).containsExactly("comment " + EXTERNAL, "comment " + other, "status " + other);
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("FAILED");
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.lastError()).isNull();
    });

    desk.timingOut.clear();
    sync.pushPass();
    assertThat(desk.comments).containsExactly(other + ": Carl (customer): hello\n\n(Forumdesk message v1)",
        EXTERNAL + ": Bob (customer): first\n\n(Forumdesk message u1)",
        EXTERNAL + ": Bob (customer): second\n\n(Forumdesk message u2)");
    assertThat(links.find(TICKET).orElseThrow().sync()).isEqualTo("OK");
  }

  /**
   * A ticket whose comments always time out (the help desk slow for it only) is tried in one pass,
   * then once more, then backed off: the passes after do not wait for its timeout, and the other
   * tickets' messages go in each. It stays FAILED with why, and counted unsynced; once the help
   * desk answers for it, its next try (the backoff's, bounded) adds its messages and it is OK.
   */
  @Test
  void aTicketWhoseCommentsKeepTimingOutIsBackedOffAndSyncsOnceTheHelpDeskAnswersIt() {
    TestTickets.project(db, "ticket-sync-2", Status.IN_PROGRESS, "Other");
    sync.push();
    String other = desk.idOf("ticket-sync-2");
    desk.timingOut.add(EXTERNAL);
    links.message(TICKET, "u1", "Bob", Role.CUSTOMER.name(), "first", Instant.now().minusSeconds(5));
    sync.pushPass(); // times out
    sync.pushPass(); // times out again: backed off
    assertThat(desk.calls).filteredOn(c -> c.equals("comment " + EXTERNAL)).as("once a pass, not twice").hasSize(2);

    desk.calls.clear();
    for (int i = 0; i < 3; i++) {
      links.message("ticket-sync-2", "v" + i, "Carl", Role.CUSTOMER.name(), "hello " + i, Instant.now());
      sync.pushPass();
    }
    assertThat(desk.calls).as("its timeout no longer delays the others' pass")
        .containsExactly("comment " + other, "comment " + other, "comment " + other);
    assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.lastError()).contains("timeout");
    });
    assertThat(links.unsynced()).isEqualTo(1);
    Instant retryAt = db.jdbi().withHandle(h -> h.createQuery(
            "select messages_retry_at from help_desk_links where ticket_id = :id").bind("id", TICKET)
        .mapTo(java.time.OffsetDateTime.class).one()).toInstant();
    assertThat(retryAt).as("bounded").isBefore(Instant.now().plus(Duration.ofMinutes(5)));

    desk.timingOut.clear(); // the help desk answers for it again; its next try comes
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set messages_retry_at = :at where ticket_id = :id")
        .bind("at", Instant.now()).bind("id", TICKET).execute());
    sync.pushPass();
    assertThat(desk.comments).contains(EXTERNAL + ": Bob (customer): first\n\n(Forumdesk message u1)");
    assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.lastError()).isNull();
    });
    assertThat(links.unsynced()).isZero();
    // not backed off any more: its next message goes at the next pass
    links.message(TICKET, "u2", "Bob", Role.CUSTOMER.name(), "second", Instant.now());
    sync.pushPass();
    assertThat(desk.comments).contains(EXTERNAL + ": Bob (customer): second\n\n(Forumdesk message u2)");
  }

  /**
   * A backed-off ticket whose next try the help desk answers by refusing the message for good (422):
   * it answered, so the failures in a row end there. A later single timeout is tried again at the
   * next pass, as a first one is; it was backed off as the third failure in a row (seconds, and
   * longer after each such round), the failures never counted afresh while no message of the
   * ticket went.
   */
  @Test
  void aMessageRefusedForGoodEndsTheTicketsFailuresInARow() {
    desk.timingOut.add(EXTERNAL);
    links.message(TICKET, "u1", "Bob", Role.CUSTOMER.name(), "first", Instant.now().minusSeconds(5));
    sync.pushPass(); // times out
    sync.pushPass(); // times out again: backed off
    desk.timingOut.clear();
    desk.refused.add("u1");
    db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set messages_retry_at = :at where ticket_id = :id")
        .bind("at", Instant.now()).bind("id", TICKET).execute()); // its backoff's try
    sync.pushPass(); // the help desk answers: u1 refused for good, left out
    assertThat(links.hasUnpushedMessages(TICKET)).isFalse();

    desk.timingOut.add(EXTERNAL);
    links.message(TICKET, "u2", "Bob", Role.CUSTOMER.name(), "second", Instant.now());
    sync.pushPass(); // one timeout, the first since the help desk answered
    desk.timingOut.clear();
    desk.calls.clear();
    sync.pushPass();
    assertThat(desk.calls).as("tried again at the next pass, not backed off").contains("comment " + EXTERNAL);
    assertThat(desk.comments).contains(EXTERNAL + ": Bob (customer): second\n\n(Forumdesk message u2)");
  }

  /**
   * The help desk down for all: after three tickets' comments failed the pass ends (no call per
   * waiting ticket), and every ticket with messages waiting shows the error; all go when it answers.
   */
  @Test
  void aHelpDeskDownForAllIsAskedForThreeTicketsAPassAndAllShowTheError() {
    List<String> ids = List.of(TICKET, "ticket-sync-2", "ticket-sync-3", "ticket-sync-4");
    for (String id : ids.subList(1, ids.size())) {
      TestTickets.project(db, id, Status.IN_PROGRESS, "t " + id);
    }
    sync.push();
    desk.calls.clear();
    for (int i = 0; i < ids.size(); i++) {
      links.message(ids.get(i), "m" + i, "Bob", Role.CUSTOMER.name(), "hi " + i, Instant.now().minusSeconds(10 - i));
      desk.timingOut.add(desk.idOf(ids.get(i)));
    }

    assertThat(sync.pushMessages()).isFalse();
    assertThat(desk.calls).hasSize(3);
    assertThat(ids).allSatisfy(id -> assertThat(links.find(id)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.lastError()).contains("RT unreachable");
    }));

    desk.timingOut.clear();
    assertThat(sync.pushMessages()).isTrue();
    assertThat(desk.comments).hasSize(4);
    assertThat(ids).allSatisfy(id -> assertThat(links.find(id).orElseThrow().sync()).isEqualTo("OK"));
  }

  /**
   * Three tickets RT keeps timing out on, their messages the oldest, make every pass "down for all":
   * they are backed off all the same, so a good ticket's comment goes within a few passes instead
   * of waiting behind them for good.
   */
  @Test
  void threeTicketsTimingOutForGoodDoNotHoldBackAGoodTicketsComment() {
    List<String> bad = List.of(TICKET, "ticket-sync-2", "ticket-sync-3");
    String good = "ticket-sync-4";
    for (String id : List.of("ticket-sync-2", "ticket-sync-3", good)) {
      TestTickets.project(db, id, Status.IN_PROGRESS, "t " + id);
    }
    sync.push();
    for (int i = 0; i < bad.size(); i++) {
      links.message(bad.get(i), "b" + i, "Bob", Role.CUSTOMER.name(), "stuck " + i, Instant.now().minusSeconds(60 - i));
      desk.timingOut.add(desk.idOf(bad.get(i)));
    }
    links.message(good, "g1", "Gus", Role.CUSTOMER.name(), "please", Instant.now().minusSeconds(10));

    for (int pass = 0; pass < 4 && links.hasUnpushedMessages(good); pass++) {
      sync.pushMessages();
    }

    assertThat(desk.comments).containsExactly(desk.idOf(good) + ": Gus (customer): please\n\n(Forumdesk message g1)");
    assertThat(links.hasUnpushedMessages(good)).isFalse();
    assertThat(bad).allSatisfy(id -> assertThat(links.find(id).orElseThrow().lastError()).contains("RT unreachable"));
  }

  /**
   * A twin deleted in the help desk (404): a new one is made, with the ticket's conversation (its
   * first message the content, the others comments), and the status goes there.
   */
  @Test
  void aTwinDeletedInTheHelpDeskIsMadeAgainWithItsMessages() {
    sync.pull(); // the help desk answers: a 404 is the ticket's, not a wrong URL
    TestTickets.project(db, "ticket-sync-2", Status.NEW, "Gone", "My order is late");
    links.message("ticket-sync-2", "w1", "Dan", Role.CUSTOMER.name(), "My order is late", Instant.now().minusSeconds(3));
    sync.pushPass();
    String first = desk.idOf("ticket-sync-2");
    desk.deleted.add(first);
    desk.calls.clear();
    links.message("ticket-sync-2", "w2", "Eve", Role.AGENT.name(), "Checking", Instant.now().minusSeconds(1));
    TestTickets.project(db, "ticket-sync-2", Status.IN_PROGRESS, "Gone", "My order is late");

    sync.pushPass(); // the comment's 404: a new twin is made at once, with its conversation, then its status
    assertThat(desk.created).containsExactly(TICKET, "ticket-sync-2", "ticket-sync-2");

    assertThat(desk.created).containsExactly(TICKET, "ticket-sync-2", "ticket-sync-2");
    String now = desk.idOf("ticket-sync-2");
    assertThat(now).isNotEqualTo(first);
    assertThat(desk.contents).containsEntry("ticket-sync-2", "My order is late");
    assertThat(desk.comments).containsExactly(now + ": Eve (agent): Checking\n\n(Forumdesk message w2)");
    assertThat(desk.statuses).endsWith(now + ": IN_PROGRESS");
    assertThat(links.find("ticket-sync-2")).hasValueSatisfying(l -> {
      assertThat(l.externalId()).isEqualTo(now);
      assertThat(l.sync()).isEqualTo("OK");
    });
    assertThat(links.byExternalId(first)).isEmpty();
  }

  /** Before any call went through, a 404 may be a wrong help-desk.url: nothing is made again. */
  @Test
  void aNotFoundBeforeTheHelpDeskEverAnsweredMakesNothingAgain() {
    HelpDeskSync fresh = newSync();
    try {
      desk.deleted.add(EXTERNAL);
      desk.created.clear();
      links.message(TICKET, "u7", "Bob", Role.CUSTOMER.name(), "hi", Instant.now());
      fresh.pushPass();
      assertThat(desk.created).isEmpty();
      assertThat(links.find(TICKET)).hasValueSatisfying(l -> {
        assertThat(l.externalId()).isEqualTo(EXTERNAL);
        assertThat(l.sync()).isEqualTo("FAILED");
        assertThat(l.lastError()).contains("does not exist");
      });
    } finally {
      fresh.close();
    }
  }

  /** The audit's F10: nothing told an SRE the help desk was failing. */
  @Test
  void aFailingHelpDeskIsDegradedInHealthAndCountedInTheMetrics() {
    assertThat(sync.check().name()).isEqualTo("helpDesk");
    assertThat(sync.check().check()).satisfies(r -> {
      assertThat(r.up()).isTrue();
      assertThat(r.degraded()).isFalse();
      assertThat(r.details()).containsEntry("kind", "request-tracker").containsEntry("unsynced", 0L)
          .containsEntry("lastSuccessSecondsAgo", 0L);
    });
    assertThat(metrics.get("forumdesk_helpdesk_last_success_seconds").gauge().value()).isLessThan(5);

    TestTickets.project(db, "ticket-sync-2", Status.NEW);
    desk.unreachable = 1;
    sync.push();

    assertThat(sync.check().check()).satisfies(r -> {
      assertThat(r.up()).as("nothing waits for the help desk: not DOWN").isTrue();
      assertThat(r.degraded()).isTrue();
      assertThat(r.details()).containsEntry("unsynced", 1L);
      assertThat(r.details().get("lastError")).asString().contains("RT unreachable");
    });
    assertThat(metrics.get("forumdesk_helpdesk_sync_failures_total").counter().count()).isEqualTo(1);
    assertThat(metrics.get("forumdesk_helpdesk_unsynced").gauge().value()).isEqualTo(1);

    retryNow("ticket-sync-2");
    sync.push();
    assertThat(sync.check().check().degraded()).isFalse();
    assertThat(metrics.get("forumdesk_helpdesk_unsynced").gauge().value()).isZero();
  }
}
