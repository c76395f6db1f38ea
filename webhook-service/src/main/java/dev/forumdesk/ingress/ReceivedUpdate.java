package dev.forumdesk.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.Update;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Text: a lone UTF-16 surrogate (the JSON escape of half an emoji, {@code "\\ud800"}) is no
 * Unicode text and has no UTF-8 form; a Bot API that checks UTF-8 refused every message that
 * quoted it (the acknowledgement, the title tag) and the customer got none (audit 21a, F5). Each is
 * stored as U+FFFD, in values and names alike, with one WARN; a proper pair stays as sent.
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
    boolean datesPlausible = plausible(update.message(), receivedAt) && plausible(update.editedMessage(), receivedAt);
    boolean mayHoldLoneSurrogate = mayHoldLoneSurrogate(body);
    if (datesPlausible && !mayHoldLoneSurrogate) {
      return body;
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // it was read as an Update a moment ago
    }
    int replaced = mayHoldLoneSurrogate ? replaceLoneSurrogates(root) : 0;
    if (replaced > 0) {
      log.warn("update {}: {} unpaired UTF-16 surrogate(s) in its text (no UTF-8 can carry one), stored as U+FFFD",
          update.updateId(), replaced);
    }
    for (String key : datesPlausible ? new String[0] : MESSAGES) {
      if (root.get(key) instanceof ObjectNode message) {
        // a missing date reads as 0 in the Update, so it is one too
        receiptIfImplausible(update.updateId(), key, message, "date", true, receivedAt);
        receiptIfImplausible(update.updateId(), key, message, "edit_date", false, receivedAt);
      }
    }
    return datesPlausible && replaced == 0 ? body : Json.write(root);
  }

  /**
   * Whether {@code body} holds a surrogate that is not half of a pair, as a char or as a JSON
   * escape; an escaped backslash before "ud800" is text and no escape.
   */
  static boolean mayHoldLoneSurrogate(String body) {
    int n = body.length();
    for (int i = 0; i < n; i++) {
      char c = body.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(body.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      } else if (c == '\\' && i + 1 < n) {
        int unit = body.charAt(i + 1) == 'u' ? hex(body, i + 2) : -1;
        if (unit < 0) {
          i++; // \\, \", \n...: the escaped character is no escape itself
        } else if (Character.isHighSurrogate((char) unit) && body.startsWith("\\u", i + 6)
            && hex(body, i + 8) >= 0 && Character.isLowSurrogate((char) hex(body, i + 8))) {
          i += 11; // a pair
        } else if (Character.isSurrogate((char) unit)) {
          return true;
        } else {
          i += 5;
        }
      }
    }
    return false;
  }

  /** The four hex digits at {@code from} as a UTF-16 unit, or -1. */
  private static int hex(String s, int from) {
    if (from + 4 > s.length()) {
      return -1;
    }
    int unit = 0;
    for (int i = from; i < from + 4; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      unit = unit * 16 + d;
    }
    return unit;
  }

  /** Replaces every unpaired surrogate under {@code node}, in texts and field names; @return how many. */
  private static int replaceLoneSurrogates(JsonNode node) {
    int replaced = 0;
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        String name = field.getKey();
        String sound = valid(name);
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          String text = valid(value.textValue());
          replaced += lone(value.textValue());
          value = text.equals(value.textValue()) ? value : TextNode.valueOf(text);
        } else {
          replaced += replaceLoneSurrogates(value);
        }
        if (!sound.equals(name)) {
          replaced += lone(name);
          object.remove(name);
        }
        object.set(sound, value);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isTextual()) {
          replaced += lone(value.textValue());
          array.set(i, TextNode.valueOf(valid(value.textValue())));
        } else {
          replaced += replaceLoneSurrogates(value);
        }
      }
    }
    return replaced;
  }

  /** How many unpaired surrogates {@code s} holds. */
  private static int lone(String s) {
    int count = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        count++;
      }
    }
    return count;
  }

  /** {@code s} with each unpaired surrogate replaced by U+FFFD (itself when it has none). */
  static String valid(String s) {
    if (lone(s) == 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
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
