package dev.forumdesk.outbox;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * New forum topics (Level 2 escalations), opened by the outbox's sender within the forum's budget
 * rather than by a direct call: a burst of escalations called createForumTopic 27 times in 5 s
 * (audit 8), past Telegram's 1 a second per chat and 20 a minute per group, met 429s, and took
 * the budget the staff forum's notices needed. The caller needs the new thread id, so it waits
 * for the row's outcome for a while, and asks again (a retried activity) while it waits longer.
 *
 * <p>Its turn: {@link #PRIORITY}, after every notice and answer people wait for in that forum
 * (urgent breaches, an agent's /hold answer), before acknowledgements, so a burst of topics no
 * longer holds back the notices of other tickets (Level2TopicBurstTest). Its summary is urgent and
 * follows it as soon as it is open; the "⬆️ Escalated to Level 2" notice that points to it comes
 * after both in the same forum (PrivateNotes#afterItsTopic; Level2NoticeAfterItsTopicTest).
 *
 * <p>Relay mode's topics, one per new customer, go the same way: a burst of new customers opened
 * their topics by direct calls past the forum's budget and met 429s (RelayBurstTest).
 */
public final class NewTopics {
  static final int PRIORITY = OutboundMessage.NORMAL + 1;
  /**
   * How long the Level 2 activity waits in one try at most; it ends its wait sooner to keep room
   * before its start-to-close timeout (TicketActivitiesImpl.AFTER_THE_WAIT).
   */
  public static final Duration ACTIVITY_WAIT = Duration.ofSeconds(12);
  /**
   * How long relay mode's dispatcher thread waits for a customer's topic in one try: enough when the
   * forum has budget; past it the thread is freed for other tickets and the update asks again.
   */
  public static final Duration RELAY_WAIT = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofMillis(100);
  /** Outcomes a request asked again is made again for. */
  private static final java.util.Set<String> ASK_AGAIN = java.util.Set.of("UNKNOWN", "FAILED");

  private final Outbox outbox;
  private final Duration wait;
  private final BooleanSupplier sending;

  /** @param wait how long one call waits for the topic; below the activity's start-to-close timeout */
  public NewTopics(Outbox outbox, Duration wait) {
    this(outbox, wait, () -> true);
  }

  /**
   * @param sending whether the outbox sender that opens the topics still runs in this process: once
   *     it stops (the app stopping), a wait ends at once as {@link Result.Waiting}, asked again after
   *     the restart. The stopping worker waits for its activities, and one waiting here for 12 s was
   *     interrupted instead, mid-write (audit 10, F3)
   */
  public NewTopics(Outbox outbox, Duration wait, BooleanSupplier sending) {
    this.outbox = outbox;
    this.wait = wait;
    this.sending = sending;
  }

  /** What became of a request for a topic. */
  public sealed interface Result {
    /** @param chatId the chat its row was queued for, where the topic is: not necessarily the one asked now */
    record Opened(long chatId, long threadId) implements Result {}

    /** Still waiting for the forum's budget (or a retry): ask again with the same key. */
    record Waiting(String status) implements Result {}

    /**
     * Telegram refused it for good (e.g. the bot may not manage topics there).
     *
     * @param chatId the chat its row was queued for, which refused it: not necessarily the one asked now
     */
    record Refused(long chatId, String reason) implements Result {}
  }

  /**
   * Opens a topic named {@code name} in {@code chatId} once per {@code key}. A request whose call may
   * or may not have reached Telegram (UNKNOWN: a timeout) is made again under a new key, as the
   * direct call was retried: a second topic is better than an escalation without one. So is one
   * Telegram refused (FAILED) when asked again: the caller tries again (relay mode's customer
   * message, kept in the inbox), perhaps after the bot was given the right to manage topics.
   */
  public Result open(String key, long chatId, String name) {
    return open(key, chatId, name, Instant.MAX);
  }

  /**
   * As {@link #open(String, long, String)}, waiting no later than {@code deadline} either: the end
   * a caller with a timeout of its own must keep (the Level 2 activity's start-to-close).
   */
  public Result open(String key, long chatId, String name, Instant deadline) {
    Requests requests = requests(key);
    String rowKey = requests.current();
    String params = Json.mapper().createObjectNode().put("chat_id", chatId).put("name", name).toString();
    outbox.enqueue(MessageKind.OTHER, rowKey, chatId, null, "createForumTopic", params, PRIORITY);
    // an interrupted call is not "not repeated": say what its row was asked again as (audit 12, F4)
    requests.interrupted().forEach(o -> outbox.askedAgain(o.key(), rowKey,
        "the call before may have opened an empty topic \"" + name + "\" in " + o.chatId()));
    Instant waited = Instant.now().plus(wait);
    Instant until = waited.isBefore(deadline) ? waited : deadline;
    while (true) {
      Optional<Outbox.Outcome> o = outbox.outcome(rowKey);
      String status = o.map(Outbox.Outcome::status).orElse("PENDING");
      switch (status) {
        case "SENT" -> {
          return new Result.Opened(o.get().chatId(), o.get().messageId());
        }
        case "FAILED" -> {
          return new Result.Refused(o.get().chatId(), o.get().error());
        }
        default -> {
          if (!Instant.now().isBefore(until) || !sending.getAsBoolean()) {
            return new Result.Waiting(status);
          }
          LockSupport.parkNanos(POLL.toNanos());
        }
      }
    }
  }

  /**
   * The chat of the request for {@code key} still on its way or done (PENDING, being sent, SENT), if
   * any: the topic {@link #open} gives for it is there, whatever chat it is asked for now. One asked
   * again (a timeout, a refusal) goes where it is asked for.
   */
  public Optional<Long> queuedIn(String key) {
    return outbox.outcome(current(key)).map(Outbox.Outcome::chatId);
  }

  /**
   * The chat of an earlier request for {@code key} that a restart (or a timeout) cut off mid-call, if
   * any: Telegram may have opened that topic, its thread id unknown, before the one {@link #open}
   * gives, of the same name (audit 12, F4: a kill -9 left two "L2: …" topics, one empty, and nothing
   * told the staff which was the ticket's).
   */
  public Optional<Long> interruptedIn(String key) {
    return requests(key).interrupted().stream().map(Earlier::chatId).findFirst();
  }

  /** The key of the request for {@code key} to wait for: past those to ask again, to a new one. */
  private String current(String key) {
    return requests(key).current();
  }

  /** A request asked again: its row's key, chat and outcome. */
  private record Earlier(String key, long chatId, String status) {}

  /** The requests for a key asked again, oldest first, and the key of the one to wait for. */
  private record Requests(List<Earlier> before, String current) {
    List<Earlier> interrupted() {
      return before.stream().filter(e -> e.status().equals("UNKNOWN")).toList();
    }
  }

  private Requests requests(String key) {
    List<Earlier> before = new ArrayList<>();
    String rowKey = key;
    for (int again = 1; ; again++) {
      Optional<Outbox.Outcome> o = outbox.outcome(rowKey).filter(r -> ASK_AGAIN.contains(r.status()));
      if (o.isEmpty()) {
        return new Requests(before, rowKey);
      }
      before.add(new Earlier(rowKey, o.get().chatId(), o.get().status()));
      rowKey = key + ":again-" + again;
    }
  }
}
