package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.ticket.StaffNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-ticket staff notices of one kind that pile up in one chat, folded into one digest: a burst of
 * 30 tickets with every agent at cap sent the supervisor 30 "⏰ … (80% of the time used)" DMs in a
 * minute and the staff forum 30 "⚠️ No agent has answered" (audit 8). The first notice of a kind
 * to a chat goes at once, exactly as written; one of the same kind within {@link #INTERVAL} after
 * it waits for the interval's end, and all that waited then go as one message that names each
 * ticket once. So a burst gives one message per kind and interval, and a lone notice is unchanged.
 *
 * <p>Kinds, known by their text as the workflow writes it (its texts stay as they are): the
 * first-response warning ({@code ⏰ <link>: first response due 09:45 (80% of the time used).}), and
 * the breach and escalation-chain notices under their ticket's link, as the staff forum or a
 * supervisor's DM gets them ({@code <link>\n⚠️ No agent has answered within 1 min. …}). Only notices
 * outside any ticket's topic: a private chat or a forum's General topic. Used by the sender's thread.
 */
final class Digests {
  /**
   * How long a chat's next notice of a kind may wait to go with the others. Short enough that
   * notices a few seconds apart are no burst: the escalation benchmark's breaches, one per ticket
   * every 10 s, each go at once as written (a later one waits only for what is left of the 10 s).
   */
  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final String WARNING_START = "⏰ ";
  private static final String WARNING_END = " (80% of the time used).";
  private static final Set<StaffNotice> PER_TICKET = Set.of(StaffNotice.FIRST_RESPONSE_BREACH, StaffNotice.ESCALATION_CHAIN);

  /** When each chat's kind ({@link Kind#key}) last went. */
  private final Map<String, Instant> lastSent = new HashMap<>();

  /**
   * A kind of notice in one place.
   *
   * @param key the chat, and the kind with the words every notice of it shares
   * @param header what the digest says before its list (the shared words)
   */
  record Kind(String key, String header) {}

  /** The digest kind of {@code row}, if it is a per-ticket staff notice outside any ticket's topic. */
  static Optional<Kind> kindOf(OutboxRow row) {
    if (!row.method().equals("sendMessage") || row.threadId() != null) {
      return Optional.empty();
    }
    String text = textOf(row);
    if (text.startsWith(WARNING_START) && text.endsWith(WARNING_END) && text.contains(": first response due ")) {
      return Optional.of(new Kind(row.chatId() + " warning", "⏰ First response due soon (80% of the time used):"));
    }
    int newline = text.indexOf('\n');
    if (newline > 0 && text.indexOf('\n', newline + 1) < 0) {
      String notice = text.substring(newline + 1);
      if (StaffNotice.of(notice).filter(PER_TICKET::contains).isPresent()) {
        return Optional.of(new Kind(row.chatId() + " " + notice, notice));
      }
    }
    return Optional.empty();
  }

  /** A notice that waits for its interval's end, not for a retry: it holds back nothing else in its chat. */
  static boolean waitsForItsDigest(OutboxRow row) {
    return row.attempts() == 0 && kindOf(row).isPresent();
  }

  /** When a notice of {@code kind} due now may go: now (empty), or at the end of its interval. */
  Optional<Instant> heldUntil(Kind kind, Instant now) {
    Instant last = lastSent.get(kind.key());
    return last == null || !now.isBefore(last.plus(INTERVAL)) ? Optional.empty() : Optional.of(last.plus(INTERVAL));
  }

  void sent(Kind kind, Instant at) {
    lastSent.put(kind.key(), at);
    lastSent.values().removeIf(t -> t.isBefore(at.minus(INTERVAL)));
  }

  /**
   * The due rows of the pass of {@code kind}, from {@code head} on, within Telegram's text limit.
   *
   * @param queue the pass's rows
   */
  static List<OutboxRow> batch(OutboxRow head, Kind kind, List<OutboxRow> queue, Set<Long> taken, Instant now) {
    List<OutboxRow> batch = new ArrayList<>(List.of(head));
    int length = kind.header().length() + line(head, kind).length();
    for (OutboxRow r : queue) {
      if (r.id() == head.id() || taken.contains(r.id()) || r.chatId() != head.chatId() || !r.dueAt(now)
          || !kindOf(r).map(k -> k.key().equals(kind.key())).orElse(false)) {
        continue;
      }
      length += 3 + line(r, kind).length();
      if (length + 40 > OutboxSender.Coalescing.MAX_TEXT) {
        break;
      }
      batch.add(r);
    }
    return batch;
  }

  /** One notice as it was written; several as the header and one line per ticket. */
  static String text(List<OutboxRow> batch, Kind kind) {
    if (batch.size() == 1) {
      return textOf(batch.getFirst());
    }
    StringBuilder out = new StringBuilder(kind.header()).append("\n").append(batch.size()).append(" tickets:");
    batch.forEach(r -> out.append("\n• ").append(line(r, kind)));
    return out.toString();
  }

  /** The ticket's own part: "<link>: due 09:45" for a warning, the link for the others. */
  private static String line(OutboxRow r, Kind kind) {
    String text = textOf(r);
    if (text.startsWith(WARNING_START) && text.endsWith(WARNING_END)) {
      return text.substring(WARNING_START.length(), text.length() - WARNING_END.length())
          .replace(": first response due ", ": due ");
    }
    return text.substring(0, text.indexOf('\n'));
  }

  private static String textOf(OutboxRow r) {
    return Json.read(r.payload(), JsonNode.class).path("text").asText();
  }
}
