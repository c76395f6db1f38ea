package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.MessageKind;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.OutboundMessage;
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
 * alone; rows queued before the kind existed (V30) have the kind their key shows.
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

  private static void insert(org.jdbi.v3.core.Handle h, String key, long chat, String text) {
    String payload = Json.mapper().createObjectNode().put("chat_id", chat).put("text", text).put("parse_mode", "HTML")
        .toString();
    h.createUpdate("insert into outbox (idem_key, chat_id, thread_id, method, payload, priority, status,"
            + " next_attempt_at, created_at, turn_priority, turn_id) values (:key, :chat, null, 'sendMessage', :payload,"
            + " 0, 'PENDING', :now, :now, 0, 0)")
        .bind("key", key).bind("chat", chat).bind("payload", payload).bind("now", Instant.now()).execute();
  }
}
