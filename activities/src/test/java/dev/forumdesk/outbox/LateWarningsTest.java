package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 12, F5: after a kill -9 and the restore, "⏰ First response due soon (80 %)" warnings went out
 * 2 minutes after the due, to tickets escalated meanwhile (by an agent, by the chain), and as
 * fallbacks "@sue_lead ⏰ First response due soon … due 22:53 UTC" at 22:55. A warning still in the
 * outbox when its ticket's first response is due, given, or escalated is not sent; the others are.
 */
class LateWarningsTest {
  static final long GROUP = -1001234567890L;
  static final Person SUE = new Person(900002L, "Sue", "sue_lead");

  @TempDir Path dir;

  @Test
  void aWarningPastItsDueOrOfAnEscalatedOrAnsweredTicketIsNotSentTheOthersAre() {
    Instant now = Instant.now();
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketStore tickets = new TicketStore(db);
      String late = ticket(tickets, 703, "IN_PROGRESS", now.minus(Duration.ofMinutes(2)), null);
      String escalated = ticket(tickets, 705, "ESCALATED", now.plus(Duration.ofMinutes(1)), null);
      String answered = ticket(tickets, 707, "IN_PROGRESS", null, now.minusSeconds(30));
      String onTime = ticket(tickets, 709, "IN_PROGRESS", now.plus(Duration.ofMinutes(1)), null);
      for (String t : List.of(late, escalated, answered, onTime)) {
        enqueue(outbox, MessageKind.FIRST_RESPONSE_WARNING, t + ":first-response-warning:dm:" + SUE.id(), SUE.id(), null, "⏰ warning of " + t);
      }
      // a refused DM's fallback where staff read, and another notice of the late ticket
      enqueue(outbox, MessageKind.FIRST_RESPONSE_WARNING, late + ":first-response-warning:fallback:" + SUE.id(), GROUP, 703L, "@sue_lead ⏰ warning of " + late);
      enqueue(outbox, MessageKind.FIRST_RESPONSE_BREACH, late + ":first-response-breach:dm:" + SUE.id(), SUE.id(), null, "breach of " + late);

      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
          RateLimits.telegram(), metrics, new SupervisorNotices(outbox, GROUP, List.of(SUE)),
          new LateWarnings(tickets)).start()) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.backlog() == 0);
      }
      assertThat(telegram.calls("sendMessage")).extracting(c -> c.params().path("text").asText())
          .containsExactlyInAnyOrder("⏰ warning of " + onTime, "breach of " + late);
      assertThat(outbox.outcome(late + ":first-response-warning:dm:" + SUE.id())).hasValueSatisfying(o -> {
        assertThat(o.status()).isEqualTo("DROPPED");
        assertThat(o.error()).startsWith("not sent: the first response was due at");
      });
      assertThat(outbox.outcome(escalated + ":first-response-warning:dm:" + SUE.id()).map(Outbox.Outcome::error))
          .contains("not sent: the ticket is ESCALATED");
      assertThat(outbox.outcome(answered + ":first-response-warning:dm:" + SUE.id()).map(Outbox.Outcome::error))
          .hasValueSatisfying(e -> assertThat(e).startsWith("not sent: the first response was given at"));
      assertThat(outbox.outcome(late + ":first-response-warning:fallback:" + SUE.id()).map(Outbox.Outcome::status))
          .contains("DROPPED");
      assertThat(outbox.failedCount()).as("nothing Telegram refused").isZero();
      // audit 13 F5: what was dropped is counted, not only kept in the outbox
      assertThat(metrics.get("forumdesk_outbox_dropped_total").counter().count())
          .as("the late, escalated and answered tickets' warnings and the late one's fallback").isEqualTo(4.0);
    }
  }

  /** A ticket of the read model with this status, first-response due and first response. */
  static String ticket(TicketStore tickets, long thread, String status, Instant due, Instant answeredAt) {
    TicketState s = TicketState.unopened(GROUP, thread, TicketPolicy.defaults());
    ObjectNode n = Json.mapper().valueToTree(s);
    n.put("opened", true).put("title", "Ticket " + thread).put("status", status).put("version", 1);
    if (answeredAt != null) {
      n.put("firstResponseAt", answeredAt.toString());
    }
    ((ObjectNode) n.path("sla")).put("firstResponseDue", due == null ? null : due.toString());
    tickets.save(Json.mapper().convertValue(n, TicketState.class));
    return s.id();
  }

  static void enqueue(Outbox outbox, MessageKind kind, String key, long chat, Long thread, String text) {
    ObjectNode p = Json.mapper().createObjectNode().put("chat_id", chat).put("text", text).put("parse_mode", "HTML");
    Optional.ofNullable(thread).ifPresent(t -> p.put("message_thread_id", t));
    outbox.enqueue(kind, key, chat, thread, "sendMessage", p.toString(), OutboundMessage.URGENT);
  }
}
