package dev.forumdesk.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram's published bot limits: 30 messages/s overall, 1/s per chat and 20/min per group.
 * Telegram counts them over sliding windows, so they are kept as sliding-window logs (the send
 * times of the last n messages) rather than token buckets: a bucket that refills at a fixed
 * instant lets 20 messages go just before the refill and 20 just after, 40 in one sliding minute,
 * and Telegram answers 429. Used by the single sender thread; synchronized for the monitor.
 */
public final class RateLimits {
  /**
   * Margin for Telegram's own timing. A send is recorded when its call returned ({@link
   * #settled}), no earlier than it arrived, and the next is checked when its call starts, no later
   * than it arrives: the windows hold between arrivals without a margin for our side's delays. At
   * 250 ms on top of that, 40 topics took 1.14 x the minimum (the 1/s per chat spacing grew to 1.25
   * s plus the call).
   */
  private static final Duration MARGIN = Duration.ofMillis(100);

  private final Window global;
  private final Map<Long, Window> perChat = new HashMap<>();
  private final Map<Long, Window> perGroup = new HashMap<>();
  private final Map<Long, Instant> blockedUntil = new HashMap<>();
  private final int chatPerSecond;
  private final int groupPerWindow;
  private final Duration groupWindow;

  public RateLimits(int globalPerSecond, int chatPerSecond, int groupPerMinute) {
    this(globalPerSecond, chatPerSecond, groupPerMinute, Duration.ofMinutes(1));
  }

  /** A shorter group window lets tests see a group's budget run out and refill quickly. */
  RateLimits(int globalPerSecond, int chatPerSecond, int groupPerWindow, Duration groupWindow) {
    this.global = new Window(globalPerSecond, Duration.ofSeconds(1).plus(MARGIN));
    this.chatPerSecond = chatPerSecond;
    this.groupPerWindow = groupPerWindow;
    this.groupWindow = groupWindow.plus(MARGIN);
  }

  public static RateLimits telegram() {
    return new RateLimits(30, 1, 20);
  }

  /** Takes one message slot for the chat if every limit allows it now. */
  public synchronized boolean tryAcquire(long chatId, Instant now) {
    return tryAcquire(chatId, true, now);
  }

  /**
   * @param message false for calls that post nothing (editForumTopic): the per-chat and
   *     per-group limits are for what is posted; spending a group's 20 messages a minute on
   *     topic-title edits held back the acknowledgements (found by the burst benchmark).
   *     createForumTopic posts its "topic created" message: true ({@code Outbox.BUDGET_METHODS})
   */
  public synchronized boolean tryAcquire(long chatId, boolean message, Instant now) {
    Instant blocked = blockedUntil.get(chatId);
    if (blocked != null && now.isBefore(blocked)) {
      return false;
    }
    if (!message) {
      if (!global.hasRoom(now)) {
        return false;
      }
      global.record(now);
      return true;
    }
    Window chat = perChat.computeIfAbsent(chatId, id -> new Window(chatPerSecond, Duration.ofSeconds(1).plus(MARGIN)));
    // negative ids are groups and channels; positive ones are private chats with no group limit
    Window group = chatId < 0 ? perGroup.computeIfAbsent(chatId, id -> new Window(groupPerWindow, groupWindow)) : null;
    if (!global.hasRoom(now) || !chat.hasRoom(now) || (group != null && !group.hasRoom(now))) {
      return false;
    }
    global.record(now);
    chat.record(now);
    if (group != null) {
      group.record(now);
    }
    return true;
  }

  /**
   * When {@link #tryAcquire} could next succeed for the chat, by the limits alone: the sender
   * sleeps until then instead of asking again every poll (10,000 acknowledgements held by one
   * group's 20/min cost 8-13 % of a core in polls).
   */
  public synchronized Instant nextRoom(long chatId, boolean message, Instant now) {
    Instant at = global.roomAt(now);
    Instant blocked = blockedUntil.get(chatId);
    if (blocked != null && blocked.isAfter(at)) {
      at = blocked;
    }
    if (message) {
      Window chat = perChat.get(chatId);
      Window group = perGroup.get(chatId);
      for (Window w : new Window[] {chat, group}) {
        if (w != null && w.roomAt(now).isAfter(at)) {
          at = w.roomAt(now);
        }
      }
    }
    return at;
  }

  /**
   * Moves the last send to the chat to {@code at}, when its call returned: Telegram counts a
   * message when it arrives, which may be well after {@link #tryAcquire} took the slot on a loaded
   * machine (the 500-topic burst beside 10,000 opening tickets met one 429 when a call took longer
   * than the margin, then 250 ms). Called by the single sender thread right after its call.
   */
  public synchronized void settled(long chatId, boolean message, Instant at) {
    global.moveLast(at);
    if (message) {
      Window chat = perChat.get(chatId);
      if (chat != null) {
        chat.moveLast(at);
      }
      Window group = perGroup.get(chatId);
      if (group != null) {
        group.moveLast(at);
      }
    }
  }

  /**
   * A call an earlier process made at {@code at}: the windows live in memory, and a restarted
   * sender that forgot them sent a group's 21st message of the minute and met a 429 (after each
   * kill -9 of a drain of 30 acknowledgements; the refused acknowledgement went again 30 s later,
   * two calls for one message). Told the calls in the order they were made, before any new one.
   */
  public synchronized void remember(long chatId, boolean message, Instant at) {
    global.record(at);
    if (message) {
      perChat.computeIfAbsent(chatId, id -> new Window(chatPerSecond, Duration.ofSeconds(1).plus(MARGIN))).record(at);
      if (chatId < 0) {
        perGroup.computeIfAbsent(chatId, id -> new Window(groupPerWindow, groupWindow)).record(at);
      }
    }
  }

  /** How far back {@link #remember} needs the calls: the longest window. */
  public Duration memory() {
    return groupWindow;
  }

  /** Honours a 429's retry_after for everything to that chat. */
  public synchronized void block(long chatId, Instant until) {
    blockedUntil.merge(chatId, until, (a, b) -> a.isAfter(b) ? a : b);
  }


  /** The send times of the last {@code max} messages within {@code span}. */
  private static final class Window {
    private final int max;
    private final Duration span;
    private final Deque<Instant> sent = new ArrayDeque<>();

    Window(int max, Duration span) {
      this.max = max;
      this.span = span;
    }

    boolean hasRoom(Instant now) {
      while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(span))) {
        sent.pollFirst();
      }
      return sent.size() < max;
    }

    /** The first instant with room: now, or when the oldest send leaves the window. */
    Instant roomAt(Instant now) {
      return hasRoom(now) ? now : sent.peekFirst().plus(span);
    }

    void moveLast(Instant at) {
      if (!sent.isEmpty() && sent.peekLast().isBefore(at)) {
        sent.pollLast();
        sent.addLast(at);
      }
    }

    void record(Instant now) {
      sent.addLast(now);
    }
  }
}
