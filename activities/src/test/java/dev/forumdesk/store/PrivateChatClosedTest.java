package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a person can be written to privately, by the last private message to them: only a 403
 * refusal (never started the bot, blocked it, account deleted) says they cannot; a message refused
 * for itself (400 "message is too long") says nothing of them (audit 16, F1).
 */
class PrivateChatClosedTest {
  static final long SAM = 900001;

  @TempDir Path dir;

  @Test
  void onlyA403SaysThePrivateChatIsClosed() {
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      assertThat(outbox.lastPrivateDelivered(SAM)).isEmpty();
      long tooLong = dm(outbox, "a");
      outbox.failed(tooLong, "sendMessage: 400 Bad Request: message is too long");
      assertThat(outbox.lastPrivateDelivered(SAM)).as("a message's refusal, not Sam's").isEmpty();
      outbox.sent(dm(outbox, "b"), 7L);
      outbox.failed(dm(outbox, "c"), "sendMessage: 400 Bad Request: can't parse entities");
      assertThat(outbox.lastPrivateDelivered(SAM)).contains(true);
      outbox.failed(dm(outbox, "d"), "sendMessage: 403 Forbidden: bot was blocked by the user");
      assertThat(outbox.lastPrivateDelivered(SAM)).contains(false);
      outbox.failed(dm(outbox, "e"), "sendMessage: 400 Bad Request: message is too long");
      assertThat(outbox.lastPrivateDelivered(SAM)).as("still blocked").isEqualTo(Optional.of(false));
    }
  }

  private static long dm(Outbox outbox, String key) {
    outbox.enqueue(MessageKind.OTHER, new OutboundMessage("dm:" + key, SAM, null, "note " + key, OutboundMessage.NORMAL),
        null, null);
    return outbox.queue(100).stream().filter(r -> r.key().equals("dm:" + key)).findFirst().orElseThrow().id();
  }
}
