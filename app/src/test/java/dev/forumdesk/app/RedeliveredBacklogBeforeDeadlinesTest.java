package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.Dispatcher;
import dev.forumdesk.ingress.Relay;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.telegram.WebhookInfo;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.HeldByTelegramInbox;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketHarness;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 16, F2 repro 3, through the real inbox and dispatcher (lifecycle rules 13): after an outage
 * Telegram sends a topic's updates of yesterday again, with their dates. The topic's opening reaches
 * its new workflow, whose deadlines are all late; its agent's reply and /resolve still wait in the
 * inbox (held back here for 2 s, as a busy dispatcher would). The deadlines wait for them: the ticket is
 * answered and resolved in time, and no breach, warning or reminder goes out.
 */
class RedeliveredBacklogBeforeDeadlinesTest {
  private static final long CHAT = TicketHarness.CHAT;
  private static final ForumdeskConfig DESK = ConfigLoader.fromYaml("""
      support: {chat-id: %d, supervisors: [900001]}
      agents:
        - {id: 1001, name: Alice, username: alice}
      """.formatted(CHAT));
  private static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  private static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");

  @TempDir Path dir;
  private final TicketHarness t = new TicketHarness();
  private Database db;
  private Dispatcher dispatcher;

  @AfterEach
  void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    t.close();
    if (db != null) {
      db.close();
    }
  }

  @Test
  void yesterdaysReplyAndResolveWaitingInTheInboxMeetTheirDeadlines() {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    t.activities.backlogOf = inbox::backlog;
    String id = TicketWorkflow.id(CHAT, 90);
    long opened = UpdateJson.now() - Duration.ofHours(25).toSeconds();
    inbox.append(901, Optional.of(id), "topic-created", UpdateJson.topicCreated(901, CHAT, 90, BOB, "Yesterday 1", opened));
    Duration behind = Duration.ofSeconds(2);
    inbox.append(902, Optional.of(id), "message",
        UpdateJson.text(902, CHAT, 90, 902, ALICE, "Refunded, sorry for the wait", opened + 20), behind);
    inbox.append(903, Optional.of(id), "command", UpdateJson.text(903, CHAT, 90, 903, ALICE, "/resolve", opened + 60), behind);
    dispatcher = new Dispatcher(inbox, new UpdateClassifier(DESK, (c, th) -> Optional.empty()),
        new TicketGateway(t.client, DESK, TicketHarness.QUEUE, false), (c, o) -> {}, new SimpleMeterRegistry(), 2,
        Relay.OFF).start();

    TicketState s = t.await(90, x -> x.status() == Status.RESOLVED);

    assertThat(t.activities.calls).as("its late deadlines looked at the inbox").contains("inboxBacklog");
    assertThat(s.sla().breaches()).isEmpty();
    assertThat(s.audit()).extracting(AuditEntry::event)
        .containsSubsequence("OPENED", "FIRST_RESPONSE", "RESOLVED")
        .doesNotContain("SLA_BREACH", "ESCALATED", "SLA_WARNING", "STALE");
    assertThat(t.activities.queued).noneMatch(k -> k.contains("breach") || k.contains("stale"));
    assertThat(t.activities.dms).noneMatch(d -> d.message().key().contains("warning")
        || d.message().key().contains("breach") || d.message().key().contains("stale"));
  }

  /**
   * As above, but the reply and the /resolve are still at Telegram when the opening reaches the
   * ticket (its webhook's pending_update_count is 2, the inbox holds nothing else of the topic): the
   * late deadlines wait for what Telegram holds too ({@link HeldByTelegramInbox}), and the two, sent a
   * second later, meet their deadlines. With the inbox's rows alone the breach fired at the opening.
   */
  @Test
  void yesterdaysReplyAndResolveStillAtTelegramMeetTheirDeadlines() throws Exception {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong(2);
    // as the app reads it: getWebhookInfo's pending_update_count, here from a stand-in Bot API
    WebhookInfo webhookInfo = new WebhookInfo((method, params) -> new SendOutcome.Sent(
        Json.mapper().createObjectNode().put("pending_update_count", pending.get())), Duration.ZERO);
    t.activities.backlogOf = HeldByTelegramInbox.of(inbox, webhookInfo)::backlog;
    String id = TicketWorkflow.id(CHAT, 91);
    long opened = UpdateJson.now() - Duration.ofHours(25).toSeconds();
    inbox.append(911, Optional.of(id), "topic-created", UpdateJson.topicCreated(911, CHAT, 91, BOB, "Yesterday 2", opened));
    dispatcher = new Dispatcher(inbox, new UpdateClassifier(DESK, (c, th) -> Optional.empty()),
        new TicketGateway(t.client, DESK, TicketHarness.QUEUE, false), (c, o) -> {}, new SimpleMeterRegistry(), 2,
        Relay.OFF).start();
    t.await(91, x -> x.opened() && t.activities.calls.contains("inboxBacklog"));
    Thread.sleep(1_000); // Telegram sends them a second later
    assertThat(t.state(91).sla().breaches()).as("waiting for what Telegram holds").isEmpty();

    inbox.append(912, Optional.of(id), "message",
        UpdateJson.text(912, CHAT, 91, 912, ALICE, "Refunded, sorry for the wait", opened + 20));
    inbox.append(913, Optional.of(id), "command", UpdateJson.text(913, CHAT, 91, 913, ALICE, "/resolve", opened + 60));
    pending.set(0);
    dispatcher.wake();

    TicketState s = t.await(91, x -> x.status() == Status.RESOLVED);
    assertThat(s.sla().breaches()).isEmpty();
    assertThat(s.audit()).extracting(AuditEntry::event)
        .containsSubsequence("OPENED", "FIRST_RESPONSE", "RESOLVED")
        .doesNotContain("SLA_BREACH", "ESCALATED", "SLA_WARNING", "STALE");
    assertThat(t.activities.queued).noneMatch(k -> k.contains("breach") || k.contains("stale"));
  }
}
