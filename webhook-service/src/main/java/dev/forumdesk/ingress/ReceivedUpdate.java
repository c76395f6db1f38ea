package dev.forumdesk.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.Update;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An update as the inbox keeps it, made sound once where it comes in (webhook, long polling, demo),
 * so that nothing downstream meets what Telegram never sends.
 *
 * <p>Dates: Telegram's {@code date} and {@code edit_date} are the Unix seconds of the message (a
 * redelivery's is up to a day old, an edited message keeps its original date). One that is no
 * plausible time of a Telegram message, not after Telegram's launch (August 2013) or more than
 * {@link #AHEAD_AT_MOST} ahead of this server's clock, is stored as the time of receipt, with a
 * WARN saying so: the update is kept and answered 200 like any other (refusing it would lose it,
 * and a clock of ours running behind Telegram's would lose real ones), while a ticket opened in
 * year 31,690,708 or 1969 stalled its workflow, broke the dashboard or breached at once (audit 21a,
 * F2). The update is stored with that date, so every later reading of it sees the same time.
 */
final class ReceivedUpdate {
  private static final Logger log = LoggerFactory.getLogger(ReceivedUpdate.class);
  /** Telegram's launch: no message of it is older. */
  static final long TELEGRAM_LAUNCH = Instant.parse("2013-08-14T00:00:00Z").getEpochSecond();
  /** How far a date may run ahead of our clock (the two clocks' skew) and be kept as sent. */
  static final Duration AHEAD_AT_MOST = Duration.ofMinutes(5);
  private static final String[] MESSAGES = {"message", "edited_message"};

  private ReceivedUpdate() {}

  /**
   * @param update {@code body} as parsed
   * @return the body to store: {@code body} itself when its dates are plausible, else the update
   *     with each implausible date set to {@code receivedAt}
   */
  static String normalised(Update update, String body, Instant receivedAt) {
    if (plausible(update.message(), receivedAt) && plausible(update.editedMessage(), receivedAt)) {
      return body;
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // it was read as an Update a moment ago
    }
    for (String key : MESSAGES) {
      if (root.get(key) instanceof ObjectNode message) {
        // a missing date reads as 0 in the Update, so it is one too
        receiptIfImplausible(update.updateId(), key, message, "date", true, receivedAt);
        receiptIfImplausible(update.updateId(), key, message, "edit_date", false, receivedAt);
      }
    }
    return Json.write(root);
  }

  private static boolean plausible(Update.Message m, Instant receivedAt) {
    return m == null
        || why(m.date(), receivedAt) == null && (m.editDate() == null || why(m.editDate(), receivedAt) == null);
  }

  private static void receiptIfImplausible(long updateId, String key, ObjectNode message, String field,
      boolean required, Instant receivedAt) {
    JsonNode value = message.get(field);
    if (!required && (value == null || value.isNull())) {
      return;
    }
    long seconds = value == null ? 0 : value.asLong();
    String why = why(seconds, receivedAt);
    if (why != null) {
      log.warn("update {}: {}.{} {} is no plausible time of a Telegram message ({}); stored as the time of receipt, {}",
          updateId, key, field, value == null ? "(missing)" : value.asText(), why, receivedAt);
      message.put(field, receivedAt.getEpochSecond());
    }
  }

  /** @return why {@code seconds} is no plausible date of a message received at {@code receivedAt}, or null */
  private static String why(long seconds, Instant receivedAt) {
    if (seconds < TELEGRAM_LAUNCH) {
      return "before Telegram's launch in August 2013";
    }
    if (seconds > receivedAt.plus(AHEAD_AT_MOST).getEpochSecond()) {
      return "more than " + AHEAD_AT_MOST.toMinutes() + " minutes ahead of this server's clock";
    }
    return null;
  }
}
