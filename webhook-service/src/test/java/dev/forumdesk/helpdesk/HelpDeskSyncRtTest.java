package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.HelpDeskLinks;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HelpDeskSync} pass by pass against a real Request Tracker 5 (deploy/rt/rt-test-server.sh,
 * started once for the class; FORUMDESK_SKIP_RT=1 skips): the read model, links and outbox in an
 * embedded database, the tickets' runs recorded ({@link HelpDeskSyncTest.RecordingTickets}).
 */
class HelpDeskSyncRtTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static Path rtDir;
  static String base;

  @TempDir Path dir;
  Database db;
  HelpDeskLinks links;
  Outbox outbox;
  HelpDeskSyncTest.RecordingTickets tickets;
  HelpDeskSync sync;

  @BeforeAll
  static void startRt() throws Exception {
    if ("1".equals(System.getenv("FORUMDESK_SKIP_RT"))) {
      return;
    }
    rtDir = Files.createTempDirectory("forumdesk-rt-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> out = RequestTrackerTest.script("start", rtDir.toString(), Integer.toString(port));
    String url = out.getLast().strip();
    base = url.substring(0, url.length() - "/REST/2.0".length());
  }

  @AfterAll
  static void stopRt() throws Exception {
    if (rtDir != null) {
      RequestTrackerTest.script("stop", rtDir.toString());
    }
  }

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(base != null, "FORUMDESK_SKIP_RT=1: no Request Tracker");
    db = Database.embedded(dir);
    links = new HelpDeskLinks(db, "request-tracker");
    outbox = new Outbox(db);
    tickets = new HelpDeskSyncTest.RecordingTickets();
    sync = newSync();
  }

  /** RT tickets whose comments time out here (RT itself answers them): a help desk slow for them only. */
  final java.util.Set<String> timingOut = java.util.concurrent.ConcurrentHashMap.newKeySet();

  HelpDeskSync newSync() {
    RequestTracker rt = new RequestTracker(base, "General", RequestTracker.Credentials.basic("root", "password"), TIMEOUT);
    return new HelpDeskSync(new SlowFor(rt, timingOut), links, tickets, outbox, new SimpleMeterRegistry(),
        Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /** The real RT, but a comment on one of {@code timingOut} fails as RT's timeout does. */
  record SlowFor(RequestTracker rt, java.util.Set<String> timingOut) implements HelpDesk {
    @Override
    public String kind() {
      return rt.kind();
    }

    @Override
    public String create(NewTicket ticket) {
      return rt.create(ticket);
    }

    @Override
    public java.util.Optional<String> twinOf(String ticketId, Instant since) {
      return rt.twinOf(ticketId, since);
    }

    @Override
    public void comment(String externalId, String text) {
      if (timingOut.contains(externalId)) {
        throw new HelpDeskException("RT unreachable at " + base + " while commenting on RT ticket " + externalId
            + " (HttpTimeoutException: request timed out)", new java.net.http.HttpTimeoutException("request timed out"));
      }
      rt.comment(externalId, text);
    }

    @Override
    public boolean commented(String externalId, String eventId, Instant since) {
      return rt.commented(externalId, eventId, since);
    }

    @Override
    public void status(String externalId, Status status) {
      rt.status(externalId, status);
    }

    @Override
    public void title(String externalId, String title) {
      rt.title(externalId, title);
    }

    @Override
    public List<Change> changedSince(Instant since) {
      return rt.changedSince(since);
    }

    @Override
    public List<Reply> repliesSince(Instant since) {
      return rt.repliesSince(since);
    }

    @Override
    public boolean sameThere(Status a, Status b) {
      return rt.sameThere(a, b);
    }

    @Override
    public String url(String externalId) {
      return rt.url(externalId);
    }
  }

  @AfterEach
  void tearDown() {
    if (sync != null) {
      sync.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static JsonNode rt(String method, String path, String body) throws Exception {
    return RtRest.call(base, method, path, body);
  }

  static List<String> contents(String external) throws Exception {
    return RtRest.contents(base, external);
  }

  /** A ticket opened with its first message, mirrored into RT (that message its content). */
  String mirrored(String id, String title, String first) {
    TestTickets.project(db, id, Status.IN_PROGRESS, title, first);
    links.message(id, id + "-m1", "Bob", Role.CUSTOMER.name(), first, Instant.now().minusSeconds(30));
    sync.pushPass();
    HelpDeskLinks.Link link = links.find(id).orElseThrow();
    assertThat(link.sync()).isEqualTo("OK");
    return link.externalId();
  }

  /**
   * Two RT tickets gone (RT answers their comment 400, and reading them 404) and one whose comment
   * times out, in one pass: RT answered the two, it is not down (DOWN_AFTER is 3 failing tickets).
   * The fourth ticket's message goes in that pass, and the two gone are made again with their
   * conversation in that same pass, although another ticket's comment failed.
   */
  @Test
  void goneTwinsDoNotTakeTheHelpDeskForDownAndGetTheirMessagesInTheSamePass() throws Exception {
    List<String> gone = List.of("ticket-rt-g1", "ticket-rt-g2");
    for (String id : gone) {
      mirrored(id, "Gone " + id, "My parcel " + id + " is lost");
    }
    String slow = mirrored("ticket-rt-s1", "Slow one", "Hello");
    String kept = mirrored("ticket-rt-k1", "Still there", "My card is declined");
    sync.pull(); // RT answered: a 404 is the ticket's, not a wrong URL
    Instant at = Instant.now().minusSeconds(10);
    int i = 0;
    for (String id : gone) {
      String missing = Integer.toString(987_650 + i);
      db.jdbi().useHandle(h -> h.createUpdate("update help_desk_links set external_id = :x where ticket_id = :id")
          .bind("x", missing).bind("id", id).execute());
      links.message(id, id + "-m2", "Bob", Role.CUSTOMER.name(), "Any news about " + id + "?", at.plusSeconds(i++));
    }
    timingOut.add(slow);
    links.message("ticket-rt-s1", "ticket-rt-s1-m2", "Bob", Role.CUSTOMER.name(), "Hello again", at.plusSeconds(4));
    links.message("ticket-rt-k1", "ticket-rt-k1-m2", "Bob", Role.CUSTOMER.name(), "Still declined", at.plusSeconds(5));

    sync.pushPass();

    assertThat(contents(kept)).anyMatch(c -> c.startsWith("Bob (customer): Still declined\n\n(Forumdesk message "));
    assertThat(links.find("ticket-rt-k1")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("OK");
      assertThat(l.lastError()).isNull();
    });
    for (String id : gone) {
      HelpDeskLinks.Link link = links.find(id).orElseThrow();
      assertThat(link.externalId()).as(id).doesNotStartWith("98765");
      assertThat(link.sync()).as(id + ": " + link.lastError()).isEqualTo("OK");
      List<String> there = contents(link.externalId());
      assertThat(there).as(id).anyMatch(c -> c.contains("My parcel " + id + " is lost"))
          .anyMatch(c -> c.startsWith("Bob (customer): Any news about " + id + "?\n\n(Forumdesk message "));
    }
    assertThat(links.find("ticket-rt-s1")).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("FAILED");
      assertThat(l.lastError()).contains("timed out");
    });
    assertThat(contents(slow)).noneMatch(c -> c.contains("Hello again"));
  }

  /**
   * Ticket {@code id} mirrored in RT and CLOSED here (its twin resolved there, that status pulled),
   * then {@code reply} written on the twin in RT after the pull's cursor.
   *
   * @return the twin's id in RT
   */
  private String closedWithAReplyInRt(String id, String title, String first, String reply) throws Exception {
    String external = mirrored(id, title, first);
    TestTickets.project(db, id, Status.CLOSED, title, first);
    sync.pushPass();
    assertThat(rt("GET", "/ticket/" + external, null).path("Status").asText()).isEqualTo("resolved");
    sync.pull();
    Thread.sleep(1_100); // RT dates in whole seconds: the reply is after the pull's cursor
    rt("POST", "/ticket/" + external + "/correspond", "{\"Content\":\"" + reply + "\",\"ContentType\":\"text/plain\"}");
    return external;
  }

  /**
   * A reply written in RT on a ticket that is CLOSED here (its run has ended): it reaches the topic
   * once and the ticket's trail once (REPLY_WHILE_CLOSED, by the RT user), and later pulls, also
   * after a restart and once a follow-up run opened, neither deliver nor record it again.
   */
  @Test
  void aReplyInRtOnAClosedTicketIsRecordedOnceAndNeverDeliveredAgain() throws Exception {
    String id = "ticket-rt-c1";
    closedWithAReplyInRt(id, "Closed one", "Where is my refund?", "Your refund went out today");
    for (int pass = 0; pass < 3; pass++) {
      sync.pull(); // each looks back over the reply again
    }
    sync.close();
    sync = newSync(); // a restart: what was consumed is remembered
    sync.pull();

    assertThat(outboxTexts()).filteredOn(t -> t.contains("Your refund went out today"))
        .containsExactly("💬 Enoch Root (via Request Tracker): Your refund went out today");
    assertThat(tickets.delivered).as("its run has ended: nothing delivered").isEmpty();
    TicketState closed = new TicketStore(db).find(id).orElseThrow();
    List<AuditEntry> recorded = closed.audit().stream().filter(a -> a.event().equals("REPLY_WHILE_CLOSED")).toList();
    assertThat(recorded).singleElement().satisfies(a -> {
      assertThat(a.actor()).isEqualTo("request-tracker:Enoch Root");
      assertThat(a.reason()).startsWith("Enoch Root (via Request Tracker) replied on ")
          .contains("while the ticket was closed").contains("the ticket stays closed");
    });
    assertThat(closed.status()).isEqualTo(Status.CLOSED);
    String eventId = closed.seenEvents().stream().filter(e -> e.startsWith("hdr:request-tracker:")).findFirst().orElseThrow();

    // a follow-up run starts from the closed snapshot (its trail and seen events): pulled again, the
    // reply is neither delivered to it nor recorded a second time
    TicketState followUp = TestTickets.run(closed, "run-2", closed.version() + 1, Status.NEW, Instant.now())
        .withHistory(closed.audit(), closed.seenEvents(), closed.policy());
    new TicketStore(db).save(followUp);
    sync.pull();
    assertThat(tickets.delivered).isEmpty();
    TicketState after = new TicketStore(db).find(id).orElseThrow();
    assertThat(after.audit()).filteredOn(a -> a.event().equals("REPLY_WHILE_CLOSED")).hasSize(1);
    assertThat(after.seenEvents()).contains(eventId);
  }

  /**
   * RT opens a resolved ticket when someone replies in it (its stock scrip): a reply on a ticket
   * CLOSED here, which stays CLOSED (REPLY_WHILE_CLOSED), leaves the twin open there. The sync sets it
   * back to resolved, once, and neither RT's reopen nor the status it set back is pulled back as a
   * command.
   */
  @Test
  void aTwinRtOpenedOnAReplyToATicketClosedHereIsSetBackToResolvedOnce() throws Exception {
    String id = "ticket-rt-c2";
    String external = closedWithAReplyInRt(id, "Closed two", "Where is my parcel?", "Your parcel left today");
    assertThat(rt("GET", "/ticket/" + external, null).path("Status").asText()).as("RT opened it on the reply")
        .isEqualTo("open");
    sync.pull();
    sync.pull();
    sync.pushPass();
    assertThat(rt("GET", "/ticket/" + external, null).path("Status").asText()).isEqualTo("resolved");
    Thread.sleep(1_100);
    for (int pass = 0; pass < 3; pass++) { // each looks back over the reply and the status set back
      sync.pull();
      sync.pushPass();
    }

    assertThat(tickets.commands).as("the ticket stays CLOSED: no reopen, no resolve").isEmpty();
    assertThat(tickets.delivered).isEmpty();
    assertThat(new TicketStore(db).find(id).orElseThrow().status()).isEqualTo(Status.CLOSED);
    assertThat(rt("GET", "/ticket/" + external, null).path("Status").asText()).isEqualTo("resolved");
    assertThat(statusChanges(external)).containsExactly("new → open", "open → resolved", "resolved → open",
        "open → resolved");
    assertThat(links.unsynced()).isZero();
  }

  /** The twin's status changes in RT, oldest first, as "old → new". */
  static List<String> statusChanges(String external) throws Exception {
    JsonNode items = rt("GET", "/ticket/" + external + "/history?fields=Type,OldValue,NewValue&per_page=100", null)
        .path("items");
    return java.util.stream.StreamSupport.stream(items.spliterator(), false)
        .filter(t -> t.path("Type").asText().equals("Status"))
        .map(t -> t.path("OldValue").asText() + " → " + t.path("NewValue").asText()).toList();
  }

  List<String> outboxTexts() {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox order by id").mapTo(String.class).list())
        .stream().map(p -> Json.read(p, JsonNode.class).path("text").asText()).toList();
  }
}
