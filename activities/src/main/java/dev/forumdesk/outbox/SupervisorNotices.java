package dev.forumdesk.outbox;

import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages to the supervisors about the desk itself (a deleted topic, a growing backlog, the
 * waiting line, a dead worker, a changed webhook). They go to a forum's General topic, mentioning
 * each supervisor (the staff forum; in relay mode the support forum, the agents' own), or, in group
 * mode without a staff forum, where customers read the support forum's General topic, to each
 * supervisor by private message ({@link #privately}), as the daily report and the Level 2 summary
 * do (audit 9, F2: "all 8 slots of the agents on shift are taken" and the supervisors' usernames
 * were posted to the customers). Through the same outbox at the most urgent priority. Keys make
 * each notice idempotent (per supervisor: {@code <key>:dm:<id>}).
 */
public final class SupervisorNotices {
  private static final Logger log = LoggerFactory.getLogger(SupervisorNotices.class);

  private final Outbox outbox;
  /** The forum whose General topic gets the notices; null: each supervisor privately. */
  private final Long chatId;
  private final List<Person> supervisors;
  private volatile Consumer<String> enqueued = key -> {};

  /** @param supervisors as the escalations name them ({@code ForumdeskConfig.staffMember}): @username where known */
  public SupervisorNotices(Outbox outbox, long chatId, List<Person> supervisors) {
    this(outbox, (Long) chatId, supervisors);
  }

  private SupervisorNotices(Outbox outbox, Long chatId, List<Person> supervisors) {
    this.outbox = outbox;
    this.chatId = chatId;
    this.supervisors = List.copyOf(supervisors);
  }

  /** Each notice to each supervisor by private message; with none, nowhere but the log (a WARN). */
  public static SupervisorNotices privately(Outbox outbox, List<Person> supervisors) {
    return new SupervisorNotices(outbox, null, supervisors);
  }

  /**
   * Each notice enqueued is also handed to {@code sendNow} by its key: in a role without the
   * outbox sender ({@link OutboxSender#sendNow}), so that its alerts do not wait for the worker.
   */
  public SupervisorNotices sentAtOnceBy(Consumer<String> sendNow) {
    this.enqueued = sendNow;
    return this;
  }

  /** A bot message could not be delivered because its topic no longer exists. */
  public void topicGone(long chat, long thread, String reason) {
    notice(
        "topic-gone:" + chat + ":" + thread,
        "⚠️ Topic " + thread + " of chat " + chat + " no longer exists (" + Html.escape(reason)
            + "). Its ticket <code>ticket-" + chat + "-" + thread + "</code> cannot be answered there.");
  }

  /** Enqueues {@code text} (HTML) once per key. */
  public void notice(String key, String html) {
    if (chatId == null) {
      privateNotice(key, html);
      return;
    }
    String mentions = supervisors.stream().map(Person::mention).collect(Collectors.joining(", "));
    String text = mentions.isEmpty() ? html : mentions + ": " + html;
    if (outbox.enqueue(MessageKind.OTHER, new OutboundMessage(key, chatId, null, text, OutboundMessage.URGENT), null, null)) {
      log.warn("supervisor notice {}: {}", key, logged(html));
      enqueued.accept(key);
    }
  }

  /**
   * Enqueues {@code html} (HTML) once for {@code family}, whatever its recipients were then (a staff
   * forum's post, or DMs; before a restart that changed the desk too), leaving out those {@code
   * notTo} names: a notice about someone the bot cannot write to privately is not addressed to them
   * (refused again, it was the outbox's only failure: audit 10, F6).
   */
  public void noticeOnce(String family, String html, java.util.function.Predicate<Person> notTo) {
    noticeOnce(family, html, notTo, Optional.empty());
  }

  /**
   * As {@link #noticeOnce(String, String, java.util.function.Predicate)} by DM, where a supervisor
   * the bot cannot write to privately ({@code refusesDms}) gets it in {@code staffForum}'s General
   * topic instead, mentioned ("@sue_lead ⚠️ …", {@code family:fallback:<id>}) as their other notes
   * are when a DM is refused; without a staff forum, not at all.
   */
  public void noticeOnce(String family, String html, java.util.function.Predicate<Person> refusesDms,
      Optional<Long> staffForum) {
    if (chatId != null || staffForum.isEmpty()) {
      noticeOnce(family, html, refusesDms, List.of());
      return;
    }
    List<OutboundMessage> instead = supervisors.stream().filter(refusesDms)
        .map(s -> new OutboundMessage(family + ":fallback:" + s.id(), staffForum.get(), null, s.mention() + " " + html,
            OutboundMessage.URGENT)).toList();
    noticeOnce(family, html, refusesDms, instead);
  }

  private void noticeOnce(String family, String html, java.util.function.Predicate<Person> notTo,
      List<OutboundMessage> instead) {
    List<Person> to = supervisors.stream().filter(notTo.negate()).toList();
    List<OutboundMessage> messages;
    if (chatId != null) {
      String mentions = to.stream().map(Person::mention).collect(Collectors.joining(", "));
      messages = List.of(new OutboundMessage(family, chatId, null, mentions.isEmpty() ? html : mentions + ": " + html,
          OutboundMessage.URGENT));
    } else {
      messages = new ArrayList<>(to.stream()
          .map(s -> new OutboundMessage(family + ":dm:" + s.id(), s.id(), null, html, OutboundMessage.URGENT)).toList());
      messages.addAll(instead);
      if (messages.isEmpty()) {
        log.warn("supervisor notice {} has nobody to go to (no other supervisor the bot can write to): {}", family,
            logged(html));
        return;
      }
    }
    if (outbox.enqueueUnlessAnyOf(MessageKind.OTHER, family, messages) > 0) {
      log.warn("supervisor notice {}: {}", family, logged(html));
      messages.forEach(m -> enqueued.accept(m.key()));
    }
  }

  private void privateNotice(String key, String html) {
    if (supervisors.isEmpty()) {
      log.warn("supervisor notice {} has nobody to go to: customers read the support forum; configure"
          + " support.supervisors, or a staff forum as support.level2-chat-id: {}", key, logged(html));
      return;
    }
    List<String> keys = new ArrayList<>();
    for (Person s : supervisors) {
      String dm = key + ":dm:" + s.id();
      if (outbox.enqueue(MessageKind.OTHER, new OutboundMessage(dm, s.id(), null, html, OutboundMessage.URGENT), null, null)) {
        keys.add(dm);
      }
    }
    if (!keys.isEmpty()) {
      log.warn("supervisor notice {} (to the supervisors privately): {}", key, logged(html));
      keys.forEach(enqueued);
    }
  }

  /**
   * A notice as its log line: its first line (folded, at most {@value #LOGGED_MAX} characters) and
   * how many lines follow, not the whole list a notice may carry (audit 19b, F2: five notices were
   * 941 log lines). The notice itself is in the outbox and where it was sent.
   */
  static String logged(String html) {
    String[] lines = html.strip().split("\n");
    String first = dev.forumdesk.text.OneLine.of(lines[0], LOGGED_MAX);
    return lines.length == 1 ? first : first + " (+" + (lines.length - 1) + " more line" + (lines.length == 2 ? "" : "s") + ")";
  }

  private static final int LOGGED_MAX = 300;
}
