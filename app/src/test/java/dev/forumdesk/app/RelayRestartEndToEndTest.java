package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Relay mode across a restart of `./forumdesk run` (embedded Temporal, which restarts empty): a
 * customer's private messages are queued by customer, not by ticket, and were never marked applied,
 * so every restart queued them all again; one of a CLOSED ticket then opened a new topic, a ticket
 * for a message its ticket had had.
 */
class RelayRestartEndToEndTest extends AppOnADataDir {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n") + """
      sla:
        auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED
      """;

  static final Duration AUTO_CLOSE = Duration.ofSeconds(15);
  /** An auto-close long enough to write and stop before it, on a loaded machine. */
  static final String LATER_YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n") + """
      sla:
        auto-close-resolved: %s
      """.formatted(AUTO_CLOSE);

  @Test
  void aClosedTicketsPrivateMessagesAreNotRelayedAgainAfterARestart() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    String id = bobsClosedTicket();
    f.close();

    f = new AppFixture(dir, YAML, Map.of());
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(2000); // a topic opened again would be asked for by now
    assertThat(f.telegram.calls("createForumTopic")).as("no topic for a message its closed ticket had").isEmpty();
    assertThat(f.telegram.sent()).extracting(c -> c.params().path("text").asText()).as("nothing relayed again")
        .noneMatch(x -> x.startsWith("💬") || x.startsWith("Thanks, we got your message") || x.startsWith("Hello!"));
    List<String> tickets = f.app().database().jdbi().withHandle(h -> h.createQuery("select id || ' ' || status from tickets")
        .mapTo(String.class).list());
    assertThat(tickets).containsExactly(id + " CLOSED");
    assertThat(statuses(f)).containsOnly(Inbox.APPLIED);
  }

  /**
   * A data directory of a version before the relay's marks: its private messages stayed DELIVERED
   * although their ticket had them, and the first restart after the upgrade queued them again. The
   * one of a CLOSED ticket that did not open its topic opened a new one ("Bob: for order 7"), the
   * customer thanked once more. The upgrade settles those their ticket shows; a message the
   * customer sent meanwhile, waiting in the inbox, is still delivered: it opens the one new topic.
   */
  @Test
  void theFirstRestartAfterTheUpgradeRelaysNothingAClosedTicketHadAndStillWhatWaits() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    String id = bobsClosedTicket();
    // answered 200 and waiting in the inbox at the stop (for a retry, say): not yet had by any ticket
    f.app().database().inboxJdbi().useHandle(h -> h.execute(
        "create trigger hold_message after insert on inbox when new.update_id = 104 begin update inbox set"
            + " next_attempt_at = new.next_attempt_at + 86400000 where update_id = new.update_id; end"));
    assertThat(f.postUpdate(UpdateJson.privateText(104, 14, BOB, "I have another question", UpdateJson.now()))
        .statusCode()).isEqualTo(200);
    f.close();
    f = null;

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("inbox.db"));
        Statement st = c.createStatement()) {
      st.execute("drop trigger hold_message");
      st.execute("update inbox set next_attempt_at = " + Instant.now().toEpochMilli() + " where update_id = 104");
      // as the earlier version left them: delivered, never applied (its /start was settled then)
      st.execute("update inbox set status = 'DELIVERED' where update_id in (100, 101)");
      // and the inbox at its migration V2
      st.execute("drop table inbox_upgrades");
      st.execute("delete from inbox_schema_history where version = '3'");
    }

    // a new topic gets a thread id of its own, as Telegram gives it: not the closed ticket's again
    f = new AppFixture(dir, YAML, Map.of(), telegram -> telegram.idsAfter(1_000_000));
    Awaitility.await("the waiting message opens a topic").atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.calls().stream().anyMatch(c -> c.params().path("text").asText()
            .equals("💬 <b>Bob</b>: I have another question")));
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(2000); // a topic opened again would be asked for by now
    assertThat(f.telegram.calls("createForumTopic")).extracting(c -> c.params().path("name").asText())
        .as("one topic, for the message that waited").containsExactly("Bob: I have another question");
    assertThat(f.telegram.sent()).extracting(c -> c.params().path("text").asText()).as("nothing relayed again")
        .noneMatch(x -> x.contains("for order 7") || x.contains("I was charged twice") || x.startsWith("Hello!"))
        .filteredOn(x -> x.startsWith("Thanks, we got your message")).hasSize(1);
    List<String> tickets = f.app().database().jdbi().withHandle(h -> h.createQuery(
        "select status from tickets where id = :id").bind("id", id).mapTo(String.class).list());
    assertThat(tickets).containsExactly("CLOSED");
    assertThat(f.json("/api/tickets").size()).isEqualTo(2);
    Awaitility.await("settled").atMost(Duration.ofSeconds(15))
        .until(() -> statuses(f).stream().allMatch(Inbox.APPLIED::equals));
  }

  /**
   * A resolved ticket whose auto-close falls due while the process is down; the customer wrote before
   * it (answered 200, their message still waiting in the inbox at the stop, for a retry's backoff).
   * Restored, the message is in the ticket's journal and reopens it before the auto-close, as it would
   * have, and the agents read it in the ticket's topic. Before, the journal held the topic's updates
   * only: the auto-close came first, and the message opened a second topic.
   */
  @Test
  void aPrivateMessageWaitingAtTheStopReopensTheRestoredTicketBeforeItsAutoClose() throws Exception {
    f = new AppFixture(dir, LATER_YAML, Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.privateText(200, 21, BOB, "My parcel is lost", now));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("My parcel is lost"));
    f.postUpdate(UpdateJson.text(201, CHAT, thread, 600, ALICE, "/resolve", now));
    Instant closes = Instant.parse(f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"))
        .path("resolvedAt").asText()).plus(AUTO_CLOSE);
    f.app().database().inboxJdbi().useHandle(h -> h.execute(
        "create trigger hold_message after insert on inbox when new.update_id = 202 begin update inbox set"
            + " next_attempt_at = new.next_attempt_at + 86400000 where update_id = new.update_id; end"));
    assertThat(f.postUpdate(UpdateJson.privateText(202, 22, BOB, "It is still not here", UpdateJson.now())).statusCode())
        .as("accepted by the webhook").isEqualTo(200);
    Thread.sleep(1000); // delivered, it would be projected by now
    assertThat(f.awaitTicket(id, x -> true).path("status").asText()).as("not applied before the stop").isEqualTo("RESOLVED");
    assertThat(Instant.now()).as("the scenario: stopped before the auto-close").isBefore(closes);
    f.close();
    f = null;

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("inbox.db"));
        Statement st = c.createStatement()) {
      st.execute("drop trigger hold_message");
      // as the stop left it, waiting for a retry that falls due a few seconds after the restart: the
      // restored ticket has looked at its deadlines by then, whatever the journal holds
      st.execute("update inbox set next_attempt_at = " + closes.plusSeconds(6).toEpochMilli() + " where update_id = 202");
    }
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), closes).toMillis()) + 1_000); // due while down

    f = new AppFixture(dir, LATER_YAML, Map.of());
    JsonNode reopened = f.awaitTicket(id, x -> x.path("reopenCount").asInt() == 1);
    assertThat(reopened.path("status").asText()).isNotIn("RESOLVED", "CLOSED");
    Awaitility.await("the agents read it in the ticket's topic").atMost(Duration.ofSeconds(15))
        .until(() -> f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: It is still not here"));
    Thread.sleep(1500); // a second topic would be asked for by now
    assertThat(f.telegram.calls("createForumTopic")).as("no second topic").isEmpty();
    List<String> tickets = f.app().database().jdbi().withHandle(h -> h.createQuery("select id from tickets")
        .mapTo(String.class).list());
    assertThat(tickets).containsExactly(id);
    assertThat(f.awaitTicket(id, x -> true).path("audit").findValuesAsText("event")).contains("REOPENED")
        .doesNotContain("CLOSED");
    Awaitility.await("settled").atMost(Duration.ofSeconds(15)).until(() -> statuses(f).stream().allMatch(Inbox.APPLIED::equals));
  }

  /**
   * Bob's ticket, CLOSED: opened by his private message 100, then his 101 and his /start (102), each
   * settled; Alice resolved it (103).
   *
   * @return its id
   */
  private String bobsClosedTicket() throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.privateText(100, 11, BOB, "I was charged twice", now));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.postUpdate(UpdateJson.privateText(101, 12, BOB, "for order 7", now));
    f.postUpdate(UpdateJson.privateText(102, 13, BOB, "/start", now));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: for order 7")
            && f.telegram.textsTo(BOB.id(), null).stream().anyMatch(x -> x.startsWith("Hello!")));
    Awaitility.await("each private message settled once its ticket shows it, /start at once")
        .atMost(Duration.ofSeconds(15)).until(() -> statuses(f).equals(List.of(Inbox.APPLIED, Inbox.APPLIED, Inbox.APPLIED)));

    f.postUpdate(UpdateJson.text(103, CHAT, thread, 600, ALICE, "/resolve", now));
    f.awaitTicket(id, x -> x.path("status").asText().equals("CLOSED"));
    return id;
  }

  /** The statuses of the customer's private messages in the inbox, in update order. */
  private static List<String> statuses(AppFixture f) {
    return f.app().database().inboxJdbi().withHandle(h -> h.createQuery(
        "select status from inbox where ticket_id = :key order by update_id").bind("key", Inbox.relayKey(BOB.id()))
        .mapTo(String.class).list());
  }
}
