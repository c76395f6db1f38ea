package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import java.util.List;

/** What a test reads of the rows an outbox queued: a message's text, and what replaces it if refused. */
public final class QueuedRows {
  private QueuedRows() {}

  /** The text of a queued sendMessage row ("" when it has none). */
  public static String text(OutboxRow row) {
    return Json.read(row.payload(), JsonNode.class).path("text").asText();
  }

  /**
   * What replaces each of {@code rows} if Telegram refuses it for good, as the sender would place it
   * ({@link PrivateNotes#whenRefused} of the fallback stored with the row); null where nothing would.
   */
  public static List<Fallback> fallbacks(Outbox outbox, PrivateNotes notes, List<OutboxRow> rows) {
    return rows.stream().map(r -> outbox.refusalOf(r.id()).map(Outbox.Refusal::fallback)
        .map(notes::whenRefused).orElse(null)).toList();
  }
}
