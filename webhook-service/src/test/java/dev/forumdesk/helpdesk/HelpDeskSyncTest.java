package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.HelpDeskLinks;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
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
    /** Our ticket ids, one per twin made there, in order. */
    final List<String> created = new CopyOnWriteArrayList<>();
    final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    /** twinOf's questions: ticket id and since. */
    final List<Map.Entry<String, Instant>> searches = new CopyOnWriteArrayList<>();
    int unreachable;
    int lostAnswers;
    int crashes;

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

    String idOf(String ticketId) {
      return Integer.toString(7 + created.indexOf(ticketId));
    }

    @Override
    public void comment(String externalId, String text) {
      comments.add(externalId + ": " + text);
    }

    @Override
    public void status(String externalId, Status status) {}

    @Override
    public void title(String externalId, String title) {
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
    public void deliver(Classified.ForTicket event) {
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("UNAVAILABLE: Temporal unreachable");
      }
      delivered.add(event);
      listener.accept(event);
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

  @BeforeEach
  void setUp() {
    db = Database.embedded(dir);
    links = new HelpDeskLinks(db, "request-tracker");
    outbox = new Outbox(db);
    desk = new MemoryDesk();
    tickets = new RecordingTickets();
    sync = new HelpDeskSync(desk, links, tickets, outbox, new SimpleMeterRegistry(), Duration.ofSeconds(1));
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

    sync = new HelpDeskSync(desk, links, tickets, outbox, new SimpleMeterRegistry(), Duration.ofSeconds(1));
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

    assertThat(desk.comments).containsExactly(desk.idOf("ticket-early") + ": Bob (customer): I want a refund for order 9");
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

    assertThat(desk.comments).containsExactly(EXTERNAL + ": Bob (customer): Thanks!");
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
}
