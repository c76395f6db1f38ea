package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-ticket staff notices of one kind that pile up in one chat, folded into one digest: a burst of
 * 30 tickets with every agent at cap sent the supervisor 30 "⏰ … (80% of the time used)" DMs in a
 * minute and the staff forum 30 "⚠️ No agent has answered" (audit 8). The first notice of a kind
 * to a chat goes at once, exactly as written; one of the same kind within {@link #INTERVAL} after
 * it waits for the interval's end, and all that waited then go as one message that names each
 * ticket once. So a burst gives one message per kind and interval, and a lone notice is unchanged.
 * One that fell due {@link #TOGETHER} with the first post's notices (a few milliseconds after them,
 * too late for that post) does not wait: it goes at once, as a post of its own.
 *
 * <p>Kinds, known by the row's kind ({@link MessageKind}, told where it was enqueued), each folded
 * by the form of its text as the workflow writes it (its texts stay as they are): the notices
 * that name their ticket by its link after their emoji ({@link #FORMS}: the first-response warning
 * {@code ⏰ <link>: first response due 09:45 (80% of the time used).}, the next-response and
 * resolution breaches, both forms of the stale reminder, the Level 2 summary a supervisor gets by
 * DM where no Level 2 topic opens; each also after a person's mention, as a refused DM's fallback in
 * the staff forum has it), and the breach and escalation-chain notices under their ticket's link,
 * as the staff forum or a supervisor's DM gets them ({@code <link>\n⚠️ No agent has answered
 * within 1 min. …}). Only notices outside any ticket's topic: a private chat or a forum's General
 * topic. Used by the sender's thread.
 */
final class Digests {
  /**
   * How long a chat's next notice of a kind may wait to go with the others. Short enough that
   * notices a few seconds apart are no burst: the escalation benchmark's breaches, one per ticket
   * every 10 s, each go at once as written (a later one waits only for what is left of the 10 s).
   */
  static final Duration INTERVAL = Duration.ofSeconds(10);
  /**
   * How soon after the newest notice of a kind's post another one of that kind may fall due and
   * still go at once, as its own post, rather than wait for the interval's end: notices that fall
   * due together (one timer's tickets, milliseconds apart) are no stream. Three breaches fired
   * within 15 ms; the first post named two, and the third, queued 11 ms later, waited the whole
   * 10 s (audit 15, F4). Not after a digest of held notices: those are a stream, whose next notices
   * wait as before.
   */
  static final Duration TOGETHER = Duration.ofSeconds(1);
  /** The staff notices under their ticket's link ("<link>\n⚠️ No agent has answered …"): one line per ticket. */
  private static final Set<MessageKind> PER_TICKET = Set.of(MessageKind.FIRST_RESPONSE_BREACH, MessageKind.ESCALATION_CHAIN);
  /** A ticket's topic linked under its title (ForumTopic.link): the title is escaped, so it holds no "<". */
  private static final String LINK = "(<a href=\"[^\"]*\">[^<]*</a>)";

  /**
   * A notice that names its ticket: the whole text, then the digest's header (its shared words) and
   * one ticket's line, each from the text's groups.
   */
  private record Form(Pattern text, Function<Matcher, String> header, Function<Matcher, String> line) {
    /** A one-line notice, its header and line as replacements with the text's groups ($1 the link). */
    Form(String text, String header, String line) {
      this(Pattern.compile("\\A(?:" + text + ")\\z"), m -> m.replaceFirst(header), m -> m.replaceFirst(line));
    }

    /** This form's header and line of {@code text}, if it is written in this form. */
    Optional<Written> of(String text) {
      Matcher m = this.text.matcher(text);
      return m.matches() ? Optional.of(new Written(header.apply(m), line.apply(m))) : Optional.empty();
    }
  }

  /** A notice's parts in its digest. */
  private record Written(String header, String line) {}

  /**
   * A person's mention before a notice: a refused DM's fallback in the staff forum ("@sam ⏰ …", as
   * Ticket.directMessage writes it), folded with the others to that person under the mention.
   */
  private static final Pattern MENTION = Pattern.compile("\\A(?:@\\w+|<a href=\"tg://user\\?id=\\d+\">[^<]*</a>) ");

  /** A notice of {@code kind} written in one of its forms, with its parts. */
  private static Optional<Written> written(MessageKind kind, String text) {
    Matcher mention = MENTION.matcher(text);
    String called = mention.lookingAt() ? mention.group() : "";
    String notice = text.substring(called.length());
    return FORMS.getOrDefault(kind, List.of()).stream().flatMap(f -> f.of(notice).stream()).findFirst()
        .map(w -> new Written(called + w.header(), w.line()));
  }

  /** How much of the reason a Level 2 digest's header shows: a reason may be 1,000 characters. */
  static final int REASON_SHOWN = 300;

  /** How much of a customer's first message a Level 2 digest shows after the ticket. */
  static final int FIRST_MESSAGE_SHOWN = 100;

  /**
   * The summary of a ticket moved to Level 2 (Level2Summary), as the supervisors get it by DM where
   * no Level 2 topic opens: the reason is the digest's header; each ticket's line its linked title,
   * its customer and the start of their first message.
   */
  private static final Form LEVEL2_SUMMARY = new Form(Pattern.compile("\\ALevel 2 escalation of <b>([^<]*)</b>"
          + " \\((\\S*)\\)\nCustomer: ([^\n]*)\nReason: (.*)\n(?:First message: (.*))?\\z", Pattern.DOTALL),
      m -> "⬆️ Moved to Level 2, reason: " + Html.escape(OneLine.of(unescaped(m.group(4)), REASON_SHOWN)),
      m -> "<a href=\"" + m.group(2) + "\">" + m.group(1) + "</a>, customer " + m.group(3)
          + (m.group(5) == null ? "" : ": " + Html.escape(OneLine.of(unescaped(m.group(5)), FIRST_MESSAGE_SHOWN))));

  /** Text as it was before Html.escape: cut as text, never inside an entity. */
  private static String unescaped(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  /** The forms of each kind's text, as Notices, Escalations and Level2Summary in the workflows module write them. */
  private static final Map<MessageKind, List<Form>> FORMS = Map.of(
      MessageKind.FIRST_RESPONSE_WARNING, List.of(
          new Form("⏰ " + LINK + ": first response due (.+) \\(80% of the time used\\)\\.",
              "⏰ First response due soon (80% of the time used):", "$1: due $2")),
      MessageKind.NEXT_RESPONSE_BREACH, List.of(
          new Form("⏰ " + LINK + ": the customer has waited (.+) for a reply\\.",
              "⏰ The customer has waited $2 for a reply:", "$1")),
      MessageKind.RESOLUTION_BREACH, List.of(
          new Form("⏰ " + LINK + " is not resolved within (.+), the resolution time\\.",
              "⏰ Not resolved within $2, the resolution time:", "$1")),
      MessageKind.STALE_REMINDER, List.of(
          new Form("💤 " + LINK + " has had no message for (.+)\\. Please follow up with the customer or /resolve it\\.",
              "💤 No message for $2. Please follow up with the customer or /resolve it.", "$1"),
          new Form("💤 " + LINK + " has had no message for (.+): the customer has been waiting for a reply since (.+)\\.",
              "💤 No message for $2; the customer has been waiting for a reply:", "$1: since $3")),
      MessageKind.LEVEL2_SUMMARY, List.of(LEVEL2_SUMMARY));

  /** Each chat's kind's ({@link Kind#key}) last interval. */
  private final Map<String, Interval> intervals = new HashMap<>();

  /** The interval a post of a kind opened. */
  private static final class Interval {
    final Instant opened;
    /**
     * When the newest of its notices fell due; null for a digest of notices held for the interval
     * before, after which nothing goes {@link #TOGETHER} with it.
     */
    final Instant together;
    /** Whether a notice waits for its end. */
    boolean held;

    Interval(Instant opened, Instant together) {
      this.opened = opened;
      this.together = together;
    }

    Instant end() {
      return opened.plus(INTERVAL);
    }
  }

  /**
   * A kind of notice in one place.
   *
   * @param key the chat, and the kind with the words every notice of it shares
   * @param header what the digest says before its list (the shared words)
   */
  record Kind(String key, String header) {}

  /**
   * The digest kind of {@code row}, if it is a per-ticket staff notice outside any ticket's topic:
   * known by the row's kind ({@link MessageKind}), as its enqueuer told; its text gives the digest's
   * header and the ticket's line, where it is written in one of its kind's forms (else it goes as it
   * is written).
   */
  static Optional<Kind> kindOf(OutboxRow row) {
    if (!row.method().equals("sendMessage") || row.threadId() != null
        || !(FORMS.containsKey(row.kind()) || PER_TICKET.contains(row.kind()))) {
      return Optional.empty();
    }
    String text = textOf(row);
    Optional<Written> written = written(row.kind(), text);
    if (written.isPresent()) {
      return Optional.of(new Kind(row.chatId() + " " + row.kind() + " " + written.get().header(), written.get().header()));
    }
    int newline = text.indexOf('\n');
    if (PER_TICKET.contains(row.kind()) && newline > 0 && text.indexOf('\n', newline + 1) < 0) {
      String notice = text.substring(newline + 1);
      return Optional.of(new Kind(row.chatId() + " " + row.kind() + " " + notice, notice));
    }
    return Optional.empty();
  }

  /** A notice that waits for its interval's end, not for a retry: it holds back nothing else in its chat. */
  static boolean waitsForItsDigest(OutboxRow row) {
    return row.attempts() == 0 && kindOf(row).isPresent();
  }

  /**
   * When {@code row}, a notice of {@code kind} due now, may go: now (empty), or at the end of its
   * interval. Now also within the interval when it fell due {@link #TOGETHER} with the notices of
   * the post that opened it: then it goes as a post of its own, which leaves the interval as it is.
   */
  Optional<Instant> heldUntil(Kind kind, OutboxRow row, Instant now) {
    Interval last = intervals.get(kind.key());
    if (last == null || !now.isBefore(last.end())) {
      return Optional.empty();
    }
    if (last.together != null && row.attempts() == 0 && !row.nextAttemptAt().isAfter(last.together.plus(TOGETHER))) {
      return Optional.empty();
    }
    last.held = true;
    return Optional.of(last.end());
  }

  /**
   * A post of {@code kind} with the notices of {@code batch} goes at {@code at}: it opens an
   * interval, unless it went within one as notices due {@link #TOGETHER} with its first post.
   */
  void sent(Kind kind, List<OutboxRow> batch, Instant at) {
    Interval last = intervals.get(kind.key());
    if (last != null && at.isBefore(last.end())) {
      return;
    }
    Instant together = last != null && last.held ? null
        : batch.stream().map(OutboxRow::nextAttemptAt).max(Comparator.naturalOrder()).orElseThrow();
    intervals.put(kind.key(), new Interval(at, together));
    // an interval that held notices is kept until their digest opens the next
    intervals.values().removeIf(i -> !i.held && i.opened.isBefore(at.minus(INTERVAL)));
  }

  /**
   * The due rows of the pass of {@code kind}, from {@code head} on, within Telegram's text limit,
   * in their tickets' order ({@link #TICKET_ORDER}). Not a notice whose ticket has an older message
   * still waiting in the chat that the digest does not carry (an answer to /why, a notice of another
   * kind, one waiting for its retry): the digest would go before it, where a ticket's messages go in
   * the order they were queued (audit 16b, F4: the 80 % warning about #103 reached Alice before the
   * answers about #103 she had asked for 18 s earlier). Such a notice goes after them, as the
   * ticket's turn has it.
   *
   * @param queue the pass's rows, in turn order: a ticket's older messages before its newer ones
   */
  static List<OutboxRow> batch(OutboxRow head, Kind kind, List<OutboxRow> queue, Set<Long> taken, Instant now) {
    List<OutboxRow> batch = new ArrayList<>(List.of(head));
    // the tickets with a message waiting in the head's topic that this digest leaves where it is
    Set<String> waiting = new HashSet<>();
    int length = kind.header().length() + line(head).length();
    for (OutboxRow r : queue) {
      if (r.id() == head.id() || taken.contains(r.id()) || !r.sameTopic(head)) {
        continue;
      }
      String ticket = PrivateNotes.ticketOf(r.key());
      if (!r.dueAt(now) || !kindOf(r).map(k -> k.key().equals(kind.key())).orElse(false) || waiting.contains(ticket)) {
        if (OutboxSender.MESSAGE_METHODS.contains(r.method())) {
          waiting.add(ticket);
        }
        continue;
      }
      length += 3 + line(r).length();
      if (length + 40 > OutboxSender.Coalescing.MAX_TEXT) {
        break;
      }
      batch.add(r);
    }
    batch.sort(TICKET_ORDER); // the head is only the first found due
    return batch;
  }

  /**
   * A digest's tickets in the tickets' own order (by the ticket id its outbox key starts with: the
   * forum, then the topic's number, so the older topic first), the same for every reader. Not by
   * row: the tickets' activities queue their notices to each supervisor at the same moment, so
   * their rows interleave (501 to Sam, 502 to Sam, 502 to Sue, 501 to Sue), and a refused DM's
   * fallback is queued when it is refused (audit 10, F8: Sam read "• Thanks • Wrong order", Sue
   * "• Wrong order • Thanks"). Two notices of one ticket (two runs) stay as enqueued.
   */
  private static final Comparator<OutboxRow> TICKET_ORDER =
      Comparator.comparing((OutboxRow r) -> PrivateNotes.ticketOf(r.key()), Digests::naturally).thenComparingLong(OutboxRow::id);
  private static final Pattern NUMBER_OR_NOT = Pattern.compile("\\d+|\\D+");

  /** Text compared with its runs of digits as numbers: "ticket--100-9" before "ticket--100-10". */
  private static int naturally(String a, String b) {
    Matcher x = NUMBER_OR_NOT.matcher(a);
    Matcher y = NUMBER_OR_NOT.matcher(b);
    while (x.find() && y.find()) {
      String p = x.group();
      String q = y.group();
      int c = Character.isDigit(p.charAt(0)) && Character.isDigit(q.charAt(0))
          ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** One notice as it was written; several as the header and one line per ticket. */
  static String text(List<OutboxRow> batch, Kind kind) {
    if (batch.size() == 1) {
      return textOf(batch.getFirst());
    }
    StringBuilder out = new StringBuilder(kind.header()).append("\n").append(batch.size()).append(" tickets:");
    batch.forEach(r -> out.append("\n• ").append(line(r)));
    return out.toString();
  }

  /** The ticket's own part: "<link>: due 09:45" for a warning, the link for most. */
  private static String line(OutboxRow r) {
    String text = textOf(r);
    return written(r.kind(), text).map(Written::line).orElseGet(() -> text.substring(0, text.indexOf('\n')));
  }

  private static String textOf(OutboxRow r) {
    return Json.read(r.payload(), JsonNode.class).path("text").asText();
  }
}
