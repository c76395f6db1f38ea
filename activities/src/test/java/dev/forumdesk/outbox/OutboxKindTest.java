package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.HistoryJson;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.TicketActivitiesImpl;
import io.temporal.api.common.v1.Payload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender knows a first-response warning (LateWarnings) and a notice it folds into a digest
 * (Digests) by the row's kind, told where it was enqueued, no longer by parsing its key or text
 * alone; rows queued before the kind existed (V30) have the kind their key shows. The ticket
 * workflow tells the kind of each message it queues ({@link OutboundMessage#kind}); one it queued
 * before it did, still in a running history, has the kind its key shows.
 */
class OutboxKindTest {
  static final long STAFF_FORUM = -1009876543210L;
  static final long SUE = LateWarningsTest.SUE.id();

  @TempDir Path dir;

  @Test
  void warningsAndNoticesQueuedBeforeTheUpgradeAndSinceAreKnownByTheirKind() {
    Instant now = Instant.now();
    // a desk of the version before V30, with a late ticket's warning and two breach notices waiting
    Flyway.configure().dataSource(Database.h2Url(dir), "sa", "").target("29").load().migrate();
    String before = "ticket--1001234567890-703";
    Jdbi.create(Database.h2Url(dir), "sa", "").useHandle(h -> {
      insert(h, before + ":first-response-warning:dm:" + SUE, SUE, "⏰ warning queued before the upgrade");
      insert(h, before + ":first-response-breach:staff", STAFF_FORUM, StaffDigestTest.breach(703));
    });

    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketStore tickets = new TicketStore(db);
      String late = LateWarningsTest.ticket(tickets, 703, "IN_PROGRESS", now.minus(Duration.ofMinutes(2)), null);
      assertThat(late).isEqualTo(before);
      String alsoLate = LateWarningsTest.ticket(tickets, 705, "IN_PROGRESS", now.minus(Duration.ofMinutes(2)), null);
      // since the upgrade: the kind says it, whatever the key (no ":first-response-warning" in it)
      LateWarningsTest.enqueue(outbox, MessageKind.FIRST_RESPONSE_WARNING, alsoLate + ":warned:dm:" + SUE, SUE, null,
          "⏰ warning queued since");
      // a breach notice since the upgrade, and the same text of no kind of its own (a supervisor's
      // announcement quoting one, say): not folded
      outbox.enqueue(MessageKind.FIRST_RESPONSE_BREACH, new OutboundMessage("ticket--1001234567890-705:breach",
          STAFF_FORUM, null, StaffDigestTest.breach(705), OutboundMessage.URGENT), null, null);
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage("announcement-1", STAFF_FORUM, null,
          StaffDigestTest.breach(707), OutboundMessage.URGENT), null, null);

      List<OutboxRow> queued = outbox.queue(100);
      assertThat(queued).filteredOn(r -> r.chatId() == STAFF_FORUM)
          .extracting(OutboxRow::key, r -> Digests.kindOf(r).map(Digests.Kind::header).orElse("as written"))
          .containsExactlyInAnyOrder(
              org.assertj.core.api.Assertions.tuple(before + ":first-response-breach:staff",
                  "⚠️ No agent has answered within 1 min. @sam, please take a look."),
              org.assertj.core.api.Assertions.tuple("ticket--1001234567890-705:breach",
                  "⚠️ No agent has answered within 1 min. @sam, please take a look."),
              org.assertj.core.api.Assertions.tuple("announcement-1", "as written"));
      LateWarnings warnings = new LateWarnings(tickets);
      assertThat(queued).filteredOn(r -> r.chatId() == SUE)
          .extracting(OutboxRow::key, r -> warnings.why(r, Instant.now()).isPresent())
          .containsExactlyInAnyOrder(
              org.assertj.core.api.Assertions.tuple(before + ":first-response-warning:dm:" + SUE, true),
              org.assertj.core.api.Assertions.tuple(alsoLate + ":warned:dm:" + SUE, true));

      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t",
          Duration.ofSeconds(5)), RateLimits.telegram(), new SimpleMeterRegistry(),
          new SupervisorNotices(outbox, STAFF_FORUM, List.of(LateWarningsTest.SUE)), warnings).start()) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> outbox.status(before + ":first-response-warning:dm:" + SUE).orElseThrow().equals("DROPPED")
                && outbox.status(alsoLate + ":warned:dm:" + SUE).orElseThrow().equals("DROPPED"));
      }
      assertThat(telegram.textsTo(SUE, null)).as("no late warning sent").isEmpty();
    }
  }

  /** A workflow payload as Temporal reads it from a history (HistoryJson, as every worker). */
  static OutboundMessage asRecorded(String json) {
    Payload p = HistoryJson.converter().toPayload("").orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    return HistoryJson.converter().fromPayload(p, OutboundMessage.class, OutboundMessage.class);
  }

  /** {@code m} written into a history by the workflow and read back by the activity's worker. */
  static OutboundMessage throughHistory(OutboundMessage m) {
    return asRecorded(HistoryJson.converter().toPayload(m).orElseThrow().getData().toStringUtf8());
  }

  static MessageKind kindOf(Outbox outbox, String key) {
    return outbox.queue(100).stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow().kind();
  }

  @Test
  void aMessageTheWorkflowQueuedHasTheKindTheWorkflowGaveItWhateverItsKey() {
    String ticket = "ticket--1001234567890-710";
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = PrivateNotesTest.activities(db, outbox, null,
          dev.forumdesk.config.ConfigLoader.fromYaml("{}"));
      // a key no cause of which the key rule knows, and a key that names another kind than the one given
      activities.directMessage(ticket,
          throughHistory(new OutboundMessage(ticket + ":warned:dm:" + SUE, SUE, null, "⏰ warned",
              OutboundMessage.URGENT, MessageKind.FIRST_RESPONSE_WARNING)),
          throughHistory(new OutboundMessage(ticket + ":warned:fallback:" + SUE, -1001234567890L, 710L, "⏰ warned",
              OutboundMessage.URGENT, MessageKind.FIRST_RESPONSE_WARNING)));
      activities.directMessage(ticket,
          throughHistory(new OutboundMessage(ticket + ":first-response-warning:dm:" + SUE, SUE, null, "🙂 other",
              OutboundMessage.URGENT, MessageKind.OTHER)),
          throughHistory(new OutboundMessage(ticket + ":first-response-warning:fallback:" + SUE, -1001234567890L,
              710L, "🙂 other", OutboundMessage.URGENT, MessageKind.OTHER)));
      activities.post(throughHistory(new OutboundMessage(ticket + ":reminded", -1001234567890L, 710L,
          "💤 no message for a while", OutboundMessage.URGENT, MessageKind.STALE_REMINDER)));

      assertThat(kindOf(outbox, ticket + ":warned:dm:" + SUE)).isEqualTo(MessageKind.FIRST_RESPONSE_WARNING);
      assertThat(kindOf(outbox, ticket + ":first-response-warning:dm:" + SUE)).isEqualTo(MessageKind.OTHER);
      assertThat(kindOf(outbox, ticket + ":reminded")).isEqualTo(MessageKind.STALE_REMINDER);
    }
  }

  @Test
  void aMessageQueuedBeforeTheWorkflowGaveKindsHasTheKindItsKeyShows() {
    // the DM as 1-activity-tasks/hold-escalate-close.json recorded it: no kind
    OutboundMessage recorded = asRecorded("""
        {"key":"ticket--1001234567890-50:first-response-warning:dm:900001","chatId":900001,"threadId":null,\
        "html":"⏰ <a href=\\"https://t.me/c/1234567890/50\\">Hold and escalate</a>: first response due at\
         2026-11-25T03:39:49.620Z (80% of the time used).","priority":0}""");
    assertThat(recorded.kind()).isNull();
    // a kind a later release knows and this one does not: as if none
    OutboundMessage later = asRecorded("""
        {"key":"ticket--1001234567890-51:stale:2026-11-25T03:39:49.620Z:dm:900001","chatId":900001,\
        "threadId":null,"html":"💤 quiet","priority":0,"kind":"A_KIND_OF_A_LATER_RELEASE"}""");
    assertThat(later.kind()).isNull();
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = PrivateNotesTest.activities(db, outbox, null,
          dev.forumdesk.config.ConfigLoader.fromYaml("{}"));
      for (OutboundMessage m : java.util.List.of(recorded, later)) {
        activities.directMessage(m.key().substring(0, m.key().indexOf(":")), m,
            new OutboundMessage(m.key().replace(":dm:", ":fallback:"), -1001234567890L, 50L, m.html(), m.priority()));
      }
      assertThat(kindOf(outbox, recorded.key())).isEqualTo(MessageKind.FIRST_RESPONSE_WARNING);
      assertThat(kindOf(outbox, later.key())).isEqualTo(MessageKind.STALE_REMINDER);
    }
  }

  private static void insert(org.jdbi.v3.core.Handle h, String key, long chat, String text) {
    String payload = Json.mapper().createObjectNode().put("chat_id", chat).put("text", text).put("parse_mode", "HTML")
        .toString();
    h.createUpdate("insert into outbox (idem_key, chat_id, thread_id, method, payload, priority, status,"
            + " next_attempt_at, created_at, turn_priority, turn_id) values (:key, :chat, null, 'sendMessage', :payload,"
            + " 0, 'PENDING', :now, :now, 0, 0)")
        .bind("key", key).bind("chat", chat).bind("payload", payload).bind("now", Instant.now()).execute();
  }
}
