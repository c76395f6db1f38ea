package dev.forumdesk.outbox;

import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages to the supervisors about the desk itself (a deleted topic, a growing backlog). They go
 * to the support forum's General topic, mentioning each supervisor, through the same outbox at
 * the most urgent priority. Keys make each notice idempotent.
 */
public final class SupervisorNotices {
  private static final Logger log = LoggerFactory.getLogger(SupervisorNotices.class);

  private final Outbox outbox;
  private final long chatId;
  private final List<Person> supervisors;
  private volatile Consumer<String> enqueued = key -> {};

  /** @param supervisors as the escalations name them ({@code ForumdeskConfig.staffMember}): @username where known */
  public SupervisorNotices(Outbox outbox, long chatId, List<Person> supervisors) {
    this.outbox = outbox;
    this.chatId = chatId;
    this.supervisors = List.copyOf(supervisors);
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
    String mentions = supervisors.stream().map(Person::mention).collect(Collectors.joining(", "));
    String text = mentions.isEmpty() ? html : mentions + ": " + html;
    if (outbox.enqueue(new OutboundMessage(key, chatId, null, text, OutboundMessage.URGENT), null, null)) {
      log.warn("supervisor notice {}: {}", key, html);
      enqueued.accept(key);
    }
  }
}
