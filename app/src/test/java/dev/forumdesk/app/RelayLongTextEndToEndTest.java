package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.outbox.OutboxSender;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.text.TelegramHtml;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audit 16b, F1: in relay mode a customer's message of Telegram's own maximum (4,096 characters, or
 * 2,048 emoji) was relayed as "💬 Bob: …" over it, refused for good, and the agents never saw it; an
 * agent's reply of that size likewise. Each line is cut where it is written to what its start leaves
 * (the outbox's last cut, which logs a WARN, is not needed), and the fake Telegram, which refuses a
 * text over 4,096 as Telegram does, takes every one.
 */
class RelayLongTextEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");

  @RegisterExtension final LogCapture outboxLog = LogCapture.of(OutboxSender.class);
  @RegisterExtension final AppFixture f = AppFixture.perTest(RelayEndToEndTest.YAML).withoutPerChatLimit();
  long update = 1;

  @Test
  void longLinesBothWaysArriveCutToWhatTelegramTakes() throws Exception {
    String letters = "x".repeat(4096);
    String emoji = "😀".repeat(2048);
    f.postUpdate(UpdateJson.privateText(update++, 11, BOB, letters, now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    f.postUpdate(UpdateJson.privateText(update++, 12, BOB, emoji, now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 600, ALICE, letters, now()));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬 <b>Bob</b>: ")).count() == 2
            && f.telegram.textsTo(BOB.id(), null).stream().anyMatch(x -> x.startsWith("<b>Alice</b>: xxx")));
    List<String> relayed = f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬 <b>Bob</b>: ")).toList();
    assertThat(relayed).allSatisfy(x -> {
      assertThat(TelegramHtml.length(x)).isLessThanOrEqualTo(TelegramHtml.MESSAGE_MAX);
      assertThat(x).endsWith("…");
    });
    assertThat(relayed.get(0)).contains("xxxxxxxxxx");
    assertThat(relayed.get(1)).contains("😀😀😀");
    String reply = f.telegram.textsTo(BOB.id(), null).stream().filter(x -> x.startsWith("<b>Alice</b>: ")).findFirst()
        .orElseThrow();
    assertThat(TelegramHtml.length(reply)).isLessThanOrEqualTo(TelegramHtml.MESSAGE_MAX);
    assertThat(f.telegram.calls()).extracting(FakeTelegram.Call::status).doesNotContain(400);
    assertThat(outboxLog.warnings()).as("cut where written, not by the outbox's last cut")
        .noneMatch(w -> w.contains("cut to fit"));
  }
}
