package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.text.TelegramHtml;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No text over Telegram's 4,096 (after entity parsing) leaves the outbox: Telegram refuses it for
 * good, "400 Bad Request: message is too long" (audit 16, F1). The texts are cut where they are
 * written; a row queued before that (a Level 2 summary with a whole 4,096-character first message)
 * is cut when it is sent, and a digest of such summaries stays within the limit.
 */
class TooLongTextTest {
  static final long SAM = 900001;
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  /** A Level 2 summary as a version that did not cut it wrote it. */
  static String uncutSummary(int thread, String reason, String first) {
    return "Level 2 escalation of <b>Long message " + thread + "</b> (https://t.me/c/1234567890/" + thread + ")\n"
        + "Customer: Bob\nReason: " + reason + "\nFirst message: " + first;
  }

  static OutboxRow row(long id, long chat, Long thread, String text, MessageKind kind) {
    String payload = Json.mapper().createObjectNode().put("chat_id", chat).put("text", text).put("parse_mode", "HTML")
        .toString();
    return new OutboxRow(id, "ticket--1001234567890-" + id + ":l2-summary:dm:" + chat, chat, thread, "sendMessage",
        payload, OutboundMessage.URGENT, 0, NOW, kind);
  }

  @Test
  void aRowOverTheLimitIsCutWhenSentItsMarkupWhole() {
    String text = uncutSummary(303, "escalated by Ann", "Start &amp; " + "a".repeat(4_096));
    OutboxRow row = row(1, -1009876543210L, 700005L, text, MessageKind.OTHER);
    String sent = OutboxSender.params(List.of(row), null).get("text").asText();
    assertThat(TelegramHtml.length(text)).isGreaterThan(4_096);
    assertThat(TelegramHtml.length(sent)).isBetween(4_090, 4_096);
    assertThat(sent).startsWith("Level 2 escalation of <b>Long message 303</b>").contains("First message: Start &amp; aaa")
        .endsWith("a…");
    OutboxRow bold = row(2, -1009876543210L, 700005L, "<b>" + "b".repeat(5_000) + "</b>", MessageKind.OTHER);
    assertThat(OutboxSender.params(List.of(bold), null).get("text").asText()).isEqualTo("<b>" + "b".repeat(4_095) + "…</b>");
    OutboxRow fits = row(3, -1009876543210L, 700005L, "<b>" + "b".repeat(4_096) + "</b>", MessageKind.OTHER);
    assertThat(OutboxSender.params(List.of(fits), null).get("text").asText()).isEqualTo("<b>" + "b".repeat(4_096) + "</b>");
  }

  @Test
  void aDigestOfSummariesWithALongReasonStaysWithinTheLimit() {
    String reason = "chargeback &amp; refund " + "r".repeat(5_000);
    OutboxRow a = row(303, SAM, null, uncutSummary(303, reason, "x".repeat(4_096)), MessageKind.LEVEL2_SUMMARY);
    OutboxRow b = row(304, SAM, null, uncutSummary(304, reason, "y".repeat(4_096)), MessageKind.LEVEL2_SUMMARY);
    Digests.Kind kind = Digests.kindOf(a).orElseThrow();
    assertThat(Digests.kindOf(b)).contains(kind);
    List<OutboxRow> batch = Digests.batch(a, kind, List.of(a, b), Set.of(), NOW);
    assertThat(batch).containsExactly(a, b);
    String digest = Digests.text(batch, kind);
    assertThat(TelegramHtml.length(digest)).isLessThanOrEqualTo(TelegramHtml.MESSAGE_MAX);
    assertThat(digest).startsWith("⬆️ Moved to Level 2, reason: chargeback &amp; refund rrr").contains("r…\n2 tickets:");
  }
}
