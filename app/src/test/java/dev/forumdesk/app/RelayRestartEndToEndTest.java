package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay mode across a restart of `./forumdesk run` (embedded Temporal, which restarts empty): a
 * customer's private messages are queued by customer, not by ticket, and were never marked applied,
 * so every restart queued them all again; one of a CLOSED ticket then opened a new topic, a ticket
 * for a message its ticket had had.
 */
class RelayRestartEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n") + """
      sla:
        auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED
      """;

  @TempDir Path dir;
  AppFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aClosedTicketsPrivateMessagesAreNotRelayedAgainAfterARestart() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
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

  /** The statuses of the customer's private messages in the inbox, in update order. */
  private static List<String> statuses(AppFixture f) {
    return f.app().database().inboxJdbi().withHandle(h -> h.createQuery(
        "select status from inbox where ticket_id = :key order by update_id").bind("key", Inbox.relayKey(BOB.id()))
        .mapTo(String.class).list());
  }
}
