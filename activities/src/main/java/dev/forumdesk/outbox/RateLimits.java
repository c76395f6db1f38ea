package dev.forumdesk.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Telegram's published bot limits: 30 messages/s overall, 1/s per chat and 20/min per group.
 * Telegram counts them over sliding windows, so they are kept as sliding-window logs (the send
 * times of the last n messages) rather than token buckets: a bucket that refills at a fixed
 * instant lets 20 messages go just before the refill and 20 just after, 40 in one sliding minute,
 * and Telegram answers 429. Synchronized: the sender's thread takes the slots, and its calls'
 * threads, several at once, tell when each call returned ({@link #settled}) or a 429 ({@link
 * #block}); the monitor reads them too.
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
  /**
   * How long a call's send counts in the overall window at most while its call is under way ({@link
   * #tryAcquireCall}): far longer than any call takes (the client gives up after 10 s), so that a
   * send whose call never told its end (a sender that failed between the slot and the call) does
   * not hold a slot for good.
   */
  static final Duration UNDER_WAY_AT_MOST = Duration.ofMinutes(1);

  private final Window global;
  private final Map<Long, Window> perChat = new HashMap<>();
  private final Map<Long, Window> perGroup = new HashMap<>();
  private final Map<Long, Instant> blockedUntil = new HashMap<>();
  private final int chatPerSecond;
  private final int groupPerWindow;
  private final Duration groupWindow;
  private final int reserve;
  private final LongPredicate keepsReserve;

  /**
   * Of a staff group's 20 messages a minute, how many only the supervisors' calls may take ({@link
   * #telegram(long)}): a burst of ten escalations spent a staff forum's whole minute on Level 2
   * topics and their summaries, and a first-response breach that fell due meanwhile waited 35 s for
   * the oldest of them to leave the window (audit 15, F3). Four: a minute's breaches of one kind go
   * as one digest ({@code Digests}), so four slots carry the breaches, the escalation chain's calls
   * and an alert of one minute; the topics and summaries still get 16 a minute.
   */
  public static final int STAFF_RESERVE = 4;

  public RateLimits(int globalPerSecond, int chatPerSecond, int groupPerMinute) {
    this(globalPerSecond, chatPerSecond, groupPerMinute, Duration.ofMinutes(1));
  }

  /** A shorter group window lets tests see a group's budget run out and refill quickly. */
  RateLimits(int globalPerSecond, int chatPerSecond, int groupPerWindow, Duration groupWindow) {
    this(globalPerSecond, chatPerSecond, groupPerWindow, groupWindow, 0, chat -> false);
  }

  /**
   * @param reserve of each group's {@code groupPerWindow}, how many only calls ({@link #tryAcquire(long,
   *     boolean, boolean, Instant)}) may take, in the groups {@code keepsReserve} names
   */
  RateLimits(int globalPerSecond, int chatPerSecond, int groupPerWindow, Duration groupWindow, int reserve,
      LongPredicate keepsReserve) {
    if (reserve < 0 || reserve >= groupPerWindow) {
      throw new IllegalArgumentException("a group's reserve must be 0 to " + (groupPerWindow - 1) + ", not " + reserve);
    }
    this.global = new Window(globalPerSecond, Duration.ofSeconds(1).plus(MARGIN));
    this.chatPerSecond = chatPerSecond;
    this.groupPerWindow = groupPerWindow;
    this.groupWindow = groupWindow.plus(MARGIN);
    this.reserve = reserve;
    this.keepsReserve = keepsReserve;
  }

  /** Telegram's limits, every message of a group taking any of its 20 a minute. */
  public static RateLimits telegram() {
    return new RateLimits(30, 1, 20);
  }

  /**
   * Telegram's limits, keeping {@link #STAFF_RESERVE} of each group's 20 a minute for the
   * supervisors' calls (a breach, the escalation chain's call, an alert) in every group but the
   * customers' support forum, {@code supportForum}: there the acknowledgements of a burst of new
   * topics take all 20 (the burst benchmark's time is the minimum the limit allows), and the
   * staff's calls go to the staff forum, or to the supervisors by DM.
   */
  public static RateLimits telegram(long supportForum) {
    return new RateLimits(30, 1, 20, Duration.ofMinutes(1), STAFF_RESERVE, chat -> chat != supportForum);
  }

  /** How many of the group's messages of its window a message that is no call may take. */
  private int groupLimit(long chatId, boolean call) {
    return call || !keepsReserve.test(chatId) ? groupPerWindow : groupPerWindow - reserve;
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
    return tryAcquire(chatId, message, true, now);
  }

  /**
   * @param call whether the message calls people (the supervisors' calls: {@code
   *     OutboxSender#callsPeople}), which may take the group's {@link #STAFF_RESERVE} too; any other
   *     message leaves that reserve free in a group that keeps one
   */
  public synchronized boolean tryAcquire(long chatId, boolean message, boolean call, Instant now) {
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
    if (!global.hasRoom(now) || !chat.hasRoom(now) || (group != null && !group.hasRoom(now, groupLimit(chatId, call)))) {
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
   * {@link #tryAcquire(long, boolean, boolean, Instant)} for a call made while calls to other chats
   * are under way: its send counts in the overall window from {@code now} until {@link
   * #settled} tells when the call returned, however long it takes.
   * The window let a send go a second after its slot was taken, and with a call that reached
   * Telegram late (a slow connection) a 31st message went in the second Telegram counted it in: a
   * 429 that one thread making every call never met (no other call went while one was under way).
   * The chat's own windows need no such care: its next message waits for the call's end.
   */
  public synchronized boolean tryAcquireCall(long chatId, boolean message, boolean call, Instant now) {
    if (!tryAcquire(chatId, message, call, now)) {
      return false;
    }
    global.underWay(now);
    return true;
  }

  /**
   * When {@link #tryAcquire} could next succeed for the chat, by the limits alone: the sender
   * sleeps until then instead of asking again every poll (10,000 acknowledgements held by one
   * group's 20/min cost 8-13 % of a core in polls).
   */
  public synchronized Instant nextRoom(long chatId, boolean message, Instant now) {
    return nextRoom(chatId, message, true, now);
  }

  /** {@link #nextRoom(long, boolean, Instant)} for a message that calls people or ({@code call} false) not. */
  public synchronized Instant nextRoom(long chatId, boolean message, boolean call, Instant now) {
    Instant at = global.roomAt(now);
    Instant blocked = blockedUntil.get(chatId);
    if (blocked != null && blocked.isAfter(at)) {
      at = blocked;
    }
    if (message) {
      Window chat = perChat.get(chatId);
      if (chat != null && chat.roomAt(now).isAfter(at)) {
        at = chat.roomAt(now);
      }
      Window group = perGroup.get(chatId);
      if (group != null && group.roomAt(now, groupLimit(chatId, call)).isAfter(at)) {
        at = group.roomAt(now, groupLimit(chatId, call));
      }
    }
    return at;
  }

  /**
   * Moves the send whose slot {@link #tryAcquireCall} took at {@code acquiredAt} to {@code at}, when
   * its call returned: Telegram counts a message when it arrives, which may be well after the slot
   * was taken on a loaded machine (the 500-topic burst beside 10,000 opening tickets met one 429
   * when a call took longer than the margin, then 250 ms). The other calls' sends stay where they
   * are (moving the last one, another chat's, counted this call from when it began in the overall
   * window, too early). A send the window already let go (the call took longer than the window)
   * counts again from {@code at}, where Telegram may still count it. Ends the call {@link
   * #tryAcquireCall} began: also for a call not made, or whose outcome is unknown ({@code at} then
   * when that was found). The one way a send is settled: the sender's calls and a role's own alert
   * ({@code OutboxSender#sendNow}) alike.
   */
  public synchronized void settled(long chatId, boolean message, Instant acquiredAt, Instant at) {
    global.returned(acquiredAt);
    global.move(acquiredAt, at);
    if (message) {
      Window chat = perChat.get(chatId);
      if (chat != null) {
        chat.move(acquiredAt, at);
      }
      Window group = perGroup.get(chatId);
      if (group != null) {
        group.move(acquiredAt, at);
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
    /** Sends of {@link #sent} whose call is under way: they stay in the window until it returns. */
    private final List<Instant> underWay = new ArrayList<>();

    Window(int max, Duration span) {
      this.max = max;
      this.span = span;
    }

    boolean hasRoom(Instant now) {
      return hasRoom(now, max);
    }

    /** Whether fewer than {@code limit} (at most {@code max}) sends are in the window. */
    boolean hasRoom(Instant now, int limit) {
      letGo(now);
      return sent.size() < Math.min(limit, max);
    }

    /** Drops the sends older than the window, but those whose call is under way (for at most {@link #UNDER_WAY_AT_MOST}). */
    private void letGo(Instant now) {
      Instant before = now.minus(span);
      Iterator<Instant> oldest = sent.iterator();
      while (oldest.hasNext()) {
        Instant t = oldest.next();
        if (t.isAfter(before)) {
          return;
        }
        if (underWay.contains(t)) {
          if (t.isAfter(now.minus(UNDER_WAY_AT_MOST))) {
            continue;
          }
          underWay.remove(t);
        }
        oldest.remove();
      }
    }

    void underWay(Instant acquiredAt) {
      underWay.add(acquiredAt);
    }

    void returned(Instant acquiredAt) {
      underWay.remove(acquiredAt);
    }

    /** The first instant with room: now, or when the oldest send leaves the window. */
    Instant roomAt(Instant now) {
      return roomAt(now, max);
    }

    /** The first instant with room under {@code limit}: now, or when enough of the oldest sends left. */
    Instant roomAt(Instant now, int limit) {
      if (hasRoom(now, limit)) {
        return now;
      }
      // the send whose leaving brings the window under the limit; a call under way leaves only
      // when it returns, which wakes the sender, so only the others' sends are counted on to leave
      int toLeave = sent.size() - Math.min(limit, max) + 1;
      for (Instant t : sent) {
        if (!underWay.contains(t) && --toLeave == 0) {
          return t.plus(span);
        }
      }
      return now.plus(span); // only calls under way fill it: the first to return makes room
    }

    void record(Instant now) {
      sent.addLast(now);
    }

    /** The send at {@code from} (if the window still has it) now at {@code at}, the sends kept in time order. */
    void move(Instant from, Instant at) {
      if (at.isBefore(from)) {
        return;
      }
      sent.removeLastOccurrence(from);
      Deque<Instant> later = new ArrayDeque<>();
      while (!sent.isEmpty() && sent.peekLast().isAfter(at)) {
        later.addFirst(sent.pollLast());
      }
      sent.addLast(at);
      sent.addAll(later);
    }
  }
}
