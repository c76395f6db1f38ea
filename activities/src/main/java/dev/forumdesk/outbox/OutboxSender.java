package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.loop.LoopThread;
import dev.forumdesk.retry.Backoff;
import dev.forumdesk.store.DatabaseOutageLog;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import dev.forumdesk.text.Cut;
import dev.forumdesk.text.TelegramHtml;
import dev.forumdesk.ticket.OutboundMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way bot messages leave. One thread decides what goes: it takes the outbox's queue in turn
 * (a topic's messages in the order they were enqueued, the topic with the most urgent message
 * waiting first; each chat's oldest rows, so one group's backlog does not hide the other chats'
 * messages; see {@link Outbox#queue}), spends rate-limit tokens, marks the rows SENDING and hands
 * the call to Telegram to a thread of its own, at most {@link #MAX_IN_FLIGHT} to private chats at once; that thread
 * records the outcome on the rows and wakes the deciding thread. A call that hangs (a slow network,
 * a chat Telegram is slow for: up to the client's timeout, 10 s) holds only its own chat: while a
 * chat has a call under way none of its rows goes, so a chat's and a topic's messages keep their
 * order, and the other chats' messages go meanwhile (one thread making every call held them all
 * behind it). A chat whose head row cannot go now is held for the rest of the pass, and a topic
 * whose head message waits for its retry holds the topic's later messages, so each keeps its order
 * while other chats and topics proceed. A call with no answer at all (the client's timeout, a
 * connection lost mid-call) holds every chat instead, until Telegram answers getMe ({@link
 * TelegramSilence}): a Telegram that hangs for everyone lost every message handed to it, one
 * after another (audit 21b, F1).
 */
public final class OutboxSender implements AutoCloseable {
  /**
   * Methods Telegram may safely receive twice; only these are repeated after an ambiguous timeout
   * or a crash mid-call. sendMessage and createForumTopic are not among them.
   */
  public static final Set<String> IDEMPOTENT_METHODS =
      Set.of("setWebhook", "deleteWebhook", "getWebhookInfo", "getUpdates", "editMessageText",
          "editForumTopic", "closeForumTopic", "reopenForumTopic", "pinChatMessage",
          "unpinChatMessage", "deleteMessage", "setMessageReaction");

  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  /** Its passes while the database is unavailable: a line per outage, not a WARN each (audit 21b F5). */
  private final DatabaseOutageLog databaseDown =
      new DatabaseOutageLog(log, "the outbox sender", "the bot's messages wait in the outbox");
  /**
   * The most calls to people's private chats under way at once, each to another chat: enough that a
   * few hanging chats leave the others room (Telegram takes 30 calls a second, one a second per
   * chat), few enough that a stall does not open hundreds of connections. The groups (the support
   * forum, the staff forum, the Level 2 group: a handful, one call each at a time) are not counted:
   * eight DMs hanging held every forum's messages too, a new customer's acknowledgement 10 s late
   * (audit 16b, F3).
   */
  static final int MAX_IN_FLIGHT = 8;
  /** How long a close waits for the calls under way before it leaves them to end with the process. */
  private static final Duration STOP_WITHIN = Duration.ofSeconds(5);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  /** Longest sleep while every due row waits for a limit: rows retried later become due meanwhile. */
  private static final Duration MAX_HELD_SLEEP = Duration.ofSeconds(1);
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5));

  /** Methods that post a message into their topic, which keeps their order. */
  static final Set<String> MESSAGE_METHODS = Outbox.MESSAGE_METHODS;
  /** Methods that count against Telegram's per-chat and per-group limits. */
  static final Set<String> BUDGET_METHODS = Outbox.BUDGET_METHODS;

  private static Counter counter(MeterRegistry metrics, String name, String description) {
    return Counter.builder(name).description(description).register(metrics);
  }

  private final Outbox outbox;
  private final TelegramGateway telegram;
  private final RateLimits limits;
  /** Registered at 0 from the start: an alert on their increase sees 0, not no data. */
  private final Counter passes;
  private final Counter sent;
  private final Counter rateLimited;
  private final Counter rejected;
  private final Counter retries;
  private final Counter interrupted;
  private final Counter timeouts;
  private final Counter coalesced;
  private final Counter droppedLate;
  private final SupervisorNotices supervisors;
  private final Digests digests = new Digests();
  private final LoopThread thread;
  /**
   * The chats with a call under way: added by the loop before it hands the call over, removed by
   * the call's thread once the outcome is written on the rows. One call per chat, so its size is
   * the number of calls under way.
   */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  /** The calls to Telegram, each on a virtual thread of its own. */
  private final ExecutorService calls =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("outbox-call-", 0).factory());
  /** What the last pass left waiting for a limit; read by the threads that enqueue. */
  private volatile Held held = Held.NOTHING;
  private volatile BiConsumer<OutboxRow, SendOutcome.Rejected> onRejected = (row, refusal) -> {};
  private final Obsolete obsolete;
  /** Whether Telegram answers: after a call with no answer, no call goes until getMe answers. */
  private final TelegramSilence silence;
  /** {@link #sendNow}'s retries, made at the first. */
  private ScheduledExecutorService sendNowRetries;

  /** A sender that sends every row when its turn comes ({@link Obsolete#NOTHING}). */
  public OutboxSender(
      Outbox outbox, TelegramGateway telegram, RateLimits limits, MeterRegistry metrics,
      SupervisorNotices supervisors) {
    this(outbox, telegram, limits, metrics, supervisors, Obsolete.NOTHING);
  }

  /**
   * @param obsolete rows it gives a reason for, when their turn comes, are not sent but DROPPED with
   *     that reason: a warning that waited (a backlog, a restart) until its deadline passed ({@link LateWarnings})
   */
  public OutboxSender(
      Outbox outbox, TelegramGateway telegram, RateLimits limits, MeterRegistry metrics,
      SupervisorNotices supervisors, Obsolete obsolete) {
    this.outbox = outbox;
    this.obsolete = obsolete;
    this.telegram = telegram;
    this.limits = limits;
    this.passes = counter(metrics, "forumdesk_outbox_passes_total", "passes of the outbox sender over its due messages");
    this.sent = counter(metrics, "forumdesk_outbox_sent_total", "bot messages Telegram accepted");
    this.rateLimited = counter(metrics, "forumdesk_outbox_429_total", "calls Telegram answered 429 (too many requests)");
    this.rejected = counter(metrics, "forumdesk_outbox_rejected_total",
        "bot messages Telegram refused for good (failed, or replaced by their fallback)");
    this.retries = counter(metrics, "forumdesk_outbox_retries_total", "calls that failed and were scheduled again");
    this.interrupted = counter(metrics, "forumdesk_outbox_interrupted_total",
        "calls a stop or crash of this process cut off, found at its start: messages not repeated (status UNKNOWN),"
            + " Level 2 topics asked for again");
    this.timeouts = counter(metrics, "forumdesk_outbox_timeouts_total",
        "calls that timed out or lost their connection, whose outcome is unknown: not repeated (status UNKNOWN)");
    this.coalesced = counter(metrics, "forumdesk_outbox_coalesced_total",
        "bot messages merged into another one to the same chat instead of sent apart");
    this.droppedLate = counter(metrics, "forumdesk_outbox_dropped_total",
        "bot messages not sent because their turn came too late (an 80 % warning after its deadline or its answer)");
    this.supervisors = supervisors;
    this.silence = new TelegramSilence(() -> telegram.call("getMe", Json.mapper().createObjectNode()), calls, supervisors);
    this.thread = new LoopThread("outbox-sender", this::loop);
    outbox.onEnqueued(this::wake);
  }

  public OutboxSender start() {
    Outbox.Interrupted unknown = outbox.recoverInterrupted(IDEMPOTENT_METHODS);
    if (unknown.rows() > 0) {
      interrupted.increment(unknown.rows());
      log.warn(interruptedWarning(unknown.rows() - unknown.topics(), unknown.topics()));
    }
    rememberRecentCalls();
    thread.start();
    return this;
  }

  /**
   * The start-up warning about the calls a stop cut off: {@code messages} not repeated (status
   * UNKNOWN) and {@code topics} Level 2 topics their tickets ask for again, each counted on its own,
   * a part with nothing in it left out (audit 13 F10: "1 bot messages …, except 1 Level 2 topics").
   */
  static String interruptedWarning(int messages, int topics) {
    List<String> parts = new ArrayList<>(2);
    if (messages > 0) {
      parts.add(messages == 1 ? "1 bot message was mid-call (status UNKNOWN, not repeated)"
          : messages + " bot messages were mid-call (status UNKNOWN, not repeated)");
    }
    if (topics > 0) {
      parts.add(topics == 1
          ? "1 Level 2 topic was being opened (asked for again by its ticket; an empty topic of the same name may be left)"
          : topics + " Level 2 topics were being opened (asked for again by their tickets; an empty topic of the same"
              + " name may be left for each)");
    }
    return "When the process stopped, " + String.join(" and ", parts);
  }

  /** The limits' windows start from the calls an earlier process made in them (RateLimits#remember). */
  private void rememberRecentCalls() {
    List<Outbox.Call> recent = outbox.callsSince(Instant.now().minus(limits.memory()));
    recent.forEach(c -> limits.remember(c.chatId(), BUDGET_METHODS.contains(c.method()), c.at()));
    if (!recent.isEmpty()) {
      log.info("rate limits start from {} calls of the last {} s", recent.size(), limits.memory().toSeconds());
    }
  }

  /**
   * Told about every message Telegram refused for good (e.g. to send a DM's fallback); it logs a
   * refused private chat, which this sender logs only at DEBUG.
   */
  public OutboxSender onRejected(BiConsumer<OutboxRow, SendOutcome.Rejected> listener) {
    this.onRejected = listener;
    return this;
  }

  /** Why a row is no longer worth sending, if it is not ({@link LateWarnings}). */
  @FunctionalInterface
  public interface Obsolete {
    /** Every row is still worth sending. */
    Obsolete NOTHING = (row, now) -> Optional.empty();

    Optional<String> why(OutboxRow row, Instant now);
  }

  /** Whether {@code row} is obsolete now: then it is dropped with the reason and logged. */
  private boolean dropped(OutboxRow row, Instant now) {
    Optional<String> why = obsolete.why(row, now);
    why.ifPresent(reason -> {
      outbox.dropped(row.id(), reason);
      droppedLate.increment();
      log.info("outbox message {} dropped: {}", row.key(), reason);
    });
    return why.isPresent();
  }

  /**
   * The outbox enqueued a message to this chat. A chat the last pass found held by a limit gets no
   * early pass: its rows could not go before the sender wakes by itself (at the limit's room, at
   * most a second later). Only a call that posts no message (a title edit) to a chat held for
   * messages may wait for that wake-up, up to a second. Nor does a chat with a call under way: the
   * call wakes the sender when it ends.
   */
  void wake(long chatId) {
    if (inFlight.contains(chatId)) {
      return; // its call's end wakes the sender, after its outcome is written
    }
    Held h = held;
    if (h.chats().contains(chatId) && Instant.now().isBefore(h.until())) {
      return;
    }
    thread.wake();
  }

  /** Chats whose due rows wait for a limit, and when the sender looks again by itself. */
  private record Held(Set<Long> chats, Instant until) {
    static final Held NOTHING = new Held(Set.of(), Instant.MIN);
  }

  private void loop() {
    while (thread.running()) {
      try {
        // a call handed over wakes the sender when it ends; a wake-up meanwhile ends the park at once
        Duration sleep = sendDue().sleep(); // says the database answers again once a pass read it
        LockSupport.parkNanos(sleep.toNanos());
      } catch (RuntimeException e) {
        if (!databaseDown.failed(e)) {
          log.warn("outbox pass failed, retrying: {}", e.toString());
        }
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      }
    }
  }

  /**
   * One pass over the due rows.
   *
   * @param calls how many Telegram calls were handed over
   * @param sleep how long to sleep (a new message, or the end of a call, wakes the sender sooner)
   */
  record Pass(int calls, Duration sleep) {}

  Pass sendDue() {
    passes.increment();
    Optional<Duration> silent = silence.waitFor(); // Telegram did not answer a call: none goes until it answers getMe
    if (silent.isPresent()) {
      held = Held.NOTHING;
      return new Pass(0, silent.get());
    }
    // read before the queue: a call under way then had its rows SENDING, not in the queue, and its
    // chat's later rows wait for its outcome even if it ends during this pass
    Set<Long> busy = new HashSet<>(inFlight);
    List<OutboxRow> rows = outbox.queue(200);
    databaseDown.succeeded(); // only a pass that read the database: a held one (no read) tells nothing of it
    boolean waitsForCalls = false;
    Set<Long> heldChats = new HashSet<>();
    // chats whose reserve is all they have left: only the supervisors' calls may go there now
    Set<Long> reservedChats = new HashSet<>();
    Set<Topic> heldTopics = new HashSet<>();
    Instant roomAt = null;
    Set<Long> taken = new HashSet<>();
    int calls = 0;
    for (OutboxRow row : rows) {
      if (!thread.running() || silence.held()) { // a call ended unanswered during the pass: the next pass probes
        break;
      }
      if (busy.contains(row.chatId())) {
        waitsForCalls = true;
        continue;
      }
      boolean message = MESSAGE_METHODS.contains(row.method());
      boolean call = callsPeople(row);
      if (taken.contains(row.id()) || heldChats.contains(row.chatId())
          || (!call && reservedChats.contains(row.chatId()))
          || (message && heldTopics.contains(Topic.of(row)))) {
        continue;
      }
      Instant now = Instant.now();
      if (!row.dueAt(now)) {
        if (message && !Digests.waitsForItsDigest(row)) {
          heldTopics.add(Topic.of(row));
        }
        roomAt = earlier(roomAt, row.nextAttemptAt());
        continue;
      }
      if (dropped(row, now)) {
        taken.add(row.id());
        continue;
      }
      Optional<Digests.Kind> kind = Digests.kindOf(row);
      Optional<Instant> digestAt = kind.flatMap(k -> digests.heldUntil(k, row, now));
      if (digestAt.isPresent()) {
        List<OutboxRow> waiting = Digests.batch(row, kind.get(), rows, taken, now);
        waiting.forEach(r -> taken.add(r.id()));
        outbox.defer(waiting.stream().map(OutboxRow::id).toList(), digestAt.get());
        roomAt = earlier(roomAt, digestAt.get());
        continue;
      }
      if (row.chatId() > 0 && privateCallsUnderWay() >= MAX_IN_FLIGHT) {
        waitsForCalls = true; // the next pass comes when one of them ends; the groups' rows go meanwhile
        // its chat's later rows wait too: a call ending later in this pass must not let them pass it
        heldChats.add(row.chatId());
        continue;
      }
      boolean budget = BUDGET_METHODS.contains(row.method());
      if (!limits.tryAcquireCall(row.chatId(), budget, call, now)) {
        // a call later in the pass may still take the group's reserve; else the chat waits for room
        (call || limits.nextRoom(row.chatId(), budget, true, now).isAfter(now) ? heldChats : reservedChats)
            .add(row.chatId());
        roomAt = earlier(roomAt, limits.nextRoom(row.chatId(), budget, call, now));
        continue;
      }
      List<OutboxRow> folded = kind.isPresent() ? Digests.batch(row, kind.get(), rows, taken, now)
          : Coalescing.batch(row, rows, taken, now);
      folded.forEach(r -> taken.add(r.id()));
      List<OutboxRow> batch = folded.stream().filter(r -> r == row || !dropped(r, now)).toList();
      calls++;
      kind.ifPresent(k -> digests.sent(k, batch, now));
      busy.add(row.chatId()); // its chat's later rows wait for this call's outcome
      dispatch(batch, rowsOf -> kind.map(k -> Digests.text(rowsOf, k)).orElseGet(() -> Coalescing.text(rowsOf)), now);
    }
    Duration sleep = sleepUntil(roomAt, rows.isEmpty(), waitsForCalls);
    // when this pass sent something the next follows at once; until then the set is still right
    held = heldChats.isEmpty() ? Held.NOTHING : new Held(Set.copyOf(heldChats), Instant.now().plus(sleep));
    return new Pass(calls, sleep);
  }

  /** How many calls to people's private chats (positive chat ids) are under way. */
  private long privateCallsUnderWay() {
    return inFlight.stream().filter(chat -> chat > 0).count();
  }

  /**
   * Whether {@code row} calls people: a message in a chat's General topic whose turn is URGENT (a
   * first-response breach, the escalation chain's call, a desk alert, a staff note, a person's
   * escalation, or an older message of the same ticket that goes before one of them: its turn was
   * lent), or a message anywhere whose turn a person's escalation lent it ({@link
   * OutboundMessage#ESCALATION}: the summary in the Level 2 topic its notice points to). Only these
   * may take the part of a staff group's budget kept for them ({@link RateLimits#STAFF_RESERVE}); a
   * Level 2 topic, its summary (urgent, but in the topic) and any other notice leave it free.
   */
  static boolean callsPeople(OutboxRow row) {
    return MESSAGE_METHODS.contains(row.method())
        && row.turnPriority() <= (row.threadId() == null ? OutboundMessage.URGENT : OutboundMessage.ESCALATION);
  }

  /** A topic's messages: a group's topic, its General topic (no thread), or a private chat. */
  private record Topic(long chatId, Long threadId) {
    static Topic of(OutboxRow row) {
      return new Topic(row.chatId(), row.threadId());
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  /**
   * Until the first held row could go (at most a second), or the idle poll when nothing was due;
   * rows that wait only for calls under way wait for their end, which wakes the sender (at most a
   * second).
   */
  private static Duration sleepUntil(Instant roomAt, boolean nothingDue, boolean waitsForCalls) {
    if (roomAt == null && waitsForCalls) {
      return MAX_HELD_SLEEP;
    }
    if (roomAt == null || nothingDue) {
      return IDLE_POLL;
    }
    Duration d = Duration.between(Instant.now(), roomAt);
    return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_HELD_SLEEP) > 0 ? MAX_HELD_SLEEP : d;
  }

  /**
   * Sends the message with this key now, from a role that does not run this sender's thread (the
   * webhook role's alerts: the worker role, whose sender would take it, may be what is down). A
   * row a sender already took is left to it; one that fails for now (a 429: replicas of the role
   * each keep their own limits, so two alerts from two of them can meet in one second) is tried
   * again here when Telegram's wait or the backoff is over, unless the worker's sender took it
   * meanwhile. It takes its slot of the limits as the sender's calls do ({@link
   * RateLimits#tryAcquireCall}), before it claims the row: a chat with no room now (a retry_after
   * not over, its 1 a second, its group's 20 a minute) is tried again when it has.
   */
  public void sendNow(String key) {
    if (!thread.running()) {
      return;
    }
    try {
      outbox.pending(key).flatMap(this::sendNow).ifPresent(wait -> sendLater(key, wait));
    } catch (RuntimeException e) { // the database, say: the row stays PENDING, tried again in a while
      log.warn("sending {} failed, retrying: {}", key, e.toString());
      sendLater(key, Duration.ofSeconds(5));
    }
  }

  /** How soon {@link #sendNow} looks again at a row whose chat had no room: at the earliest. */
  private static final Duration NO_ROOM_AT_LEAST = Duration.ofMillis(50);

  /**
   * {@link #sendNow}'s call of {@code pending}, on the caller's thread, with a slot of its own.
   *
   * @return how long until it is tried again; empty when it went, was given up, or another sender took it
   */
  private Optional<Duration> sendNow(OutboxRow pending) {
    Optional<Duration> silent = silence.waitFor();
    if (silent.isPresent()) { // no answer from Telegram lately, nor from getMe now: tried again after the next probe
      return Optional.of(silent.get().compareTo(NO_ROOM_AT_LEAST) < 0 ? NO_ROOM_AT_LEAST : silent.get());
    }
    long chat = pending.chatId();
    boolean budget = BUDGET_METHODS.contains(pending.method());
    boolean call = callsPeople(pending);
    Instant acquiredAt = Instant.now();
    if (!limits.tryAcquireCall(chat, budget, call, acquiredAt)) {
      Duration wait = Duration.between(acquiredAt, limits.nextRoom(chat, budget, call, acquiredAt));
      return Optional.of(wait.compareTo(NO_ROOM_AT_LEAST) < 0 ? NO_ROOM_AT_LEAST : wait);
    }
    OutboxRow row;
    SendOutcome outcome;
    try {
      Optional<OutboxRow> claimed = outbox.claim(pending.key());
      if (claimed.isEmpty()) {
        return Optional.empty(); // a sender took it since it was read: its call, not this one
      }
      row = claimed.get();
      outcome = telegram.call(row.method(), params(List.of(row), null));
    } finally { // when the call returned; not made, or it failed: its slot counts from now, as if it had gone
      limits.settled(chat, budget, acquiredAt, Instant.now());
    }
    return record(List.of(row), outcome);
  }

  private synchronized void sendLater(String key, Duration wait) {
    if (sendNowRetries == null) {
      sendNowRetries = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("outbox-send-now").daemon().factory());
    }
    if (thread.running()) {
      sendNowRetries.schedule(() -> sendNow(key), wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Marks the rows SENDING (so no later read of the queue takes them) and hands their call to a
   * thread of its own; their chat is under way until the outcome is written. Only the rows it took
   * go: one the webhook role's {@link #sendNow} claimed since the queue was read is that role's
   * call, and a message folding several rows leaves it out (it went in full), its text folded again
   * of the others.
   *
   * @param text the text of rows folded into one message
   * @param acquiredAt when the call took its rate-limit slot
   */
  private void dispatch(List<OutboxRow> folded, Function<List<OutboxRow>, String> text, Instant acquiredAt) {
    OutboxRow first = folded.getFirst();
    boolean budget = BUDGET_METHODS.contains(first.method());
    List<OutboxRow> batch;
    ObjectNode foldedParams;
    try {
      foldedParams = params(folded, text.apply(folded)); // a row that cannot be sent fails here, before any is marked
      batch = outbox.attempting(folded);
      if (!batch.isEmpty() && batch.size() < folded.size()) {
        foldedParams = params(batch, text.apply(batch));
      }
    } catch (RuntimeException e) { // nothing handed over: the slot it took (tryAcquireCall) counts from now
      limits.settled(first.chatId(), budget, acquiredAt, Instant.now());
      throw e;
    }
    if (batch.size() < folded.size()) { // the webhook role's sendNow claimed them since the queue was read
      List<OutboxRow> mine = batch;
      log.info("outbox messages {} were taken by another role's sender meanwhile; left to it",
          folded.stream().filter(r -> !mine.contains(r)).map(OutboxRow::key).toList());
    }
    if (batch.isEmpty()) {
      limits.settled(first.chatId(), budget, acquiredAt, Instant.now());
      return;
    }
    OutboxRow head = batch.getFirst();
    ObjectNode params = foldedParams;
    countCoalesced(batch);
    inFlight.add(head.chatId());
    try {
      calls.execute(() -> call(batch, params, acquiredAt));
    } catch (RejectedExecutionException e) { // closed meanwhile: nothing reached Telegram
      limits.settled(head.chatId(), budget, acquiredAt, Instant.now());
      notCalled(batch, "not sent: the sender stopped before the call");
      inFlight.remove(head.chatId());
    }
  }

  private void countCoalesced(List<OutboxRow> batch) {
    if (batch.size() > 1) {
      coalesced.increment(batch.size() - 1);
    }
  }

  /** On the call's own thread: the call, its outcome on the rows, then the sender woken for the chat's next rows. */
  private void call(List<OutboxRow> batch, ObjectNode params, Instant acquiredAt) {
    OutboxRow head = batch.getFirst();
    boolean budget = BUDGET_METHODS.contains(head.method());
    boolean settled = false;
    try {
      if (!thread.running()) { // closed since the loop handed it over: no call starts after a close
        notCalled(batch, "not sent: the sender stopped before the call");
        return;
      }
      if (silence.held()) { // another call ended unanswered since the loop handed this one over
        notCalled(batch, "not sent yet: Telegram stopped answering before the call");
        return;
      }
      SendOutcome outcome = telegram.call(head.method(), params);
      limits.settled(head.chatId(), budget, acquiredAt, Instant.now());
      settled = true;
      record(batch, outcome);
    } catch (RuntimeException e) { // the database, say: the rows stay SENDING, as after a crash mid-call
      log.warn("outbox message {}: writing its call's outcome failed: {}", head.key(), e.toString());
    } finally {
      if (!settled) { // not made, or it failed: its slot counts from now, as if it had gone (tryAcquireCall)
        limits.settled(head.chatId(), budget, acquiredAt, Instant.now());
      }
      inFlight.remove(head.chatId());
      thread.wake();
    }
  }

  /**
   * Rows handed over but never called (a close came first, or Telegram stopped answering) are
   * PENDING again, their attempts one more: the call journal's mark of the attempt does not match
   * them then, so a restart sends them rather than take them for a call a kill cut off.
   */
  private void notCalled(List<OutboxRow> batch, String why) {
    outbox.retryLater(batch.stream().map(OutboxRow::id).toList(), Duration.ZERO, why);
  }

  /**
   * The call's parameters: the head row's, with the folded text of several rows. A message's text
   * over Telegram's 4,096 (as it counts them, after entity parsing) is cut to it with "…", its tags
   * kept whole: the texts are cut where they are written, but a row written before that was (or a
   * text we missed) would be refused for good, "400 Bad Request: message is too long" (audit 16, F1).
   */
  static ObjectNode params(List<OutboxRow> batch, String text) {
    ObjectNode params = (ObjectNode) Json.read(batch.getFirst().payload(), JsonNode.class);
    if (batch.size() > 1) {
      params.put("text", text);
    }
    if (batch.getFirst().method().equals("sendMessage") && params.path("text").isTextual()) {
      String whole = params.get("text").asText();
      String fit = params.path("parse_mode").asText("").equals("HTML")
          ? TelegramHtml.fit(whole, TelegramHtml.MESSAGE_MAX) : Cut.to(whole, TelegramHtml.MESSAGE_MAX);
      if (!fit.equals(whole)) {
        log.warn("outbox message {}: its text is {} characters as Telegram counts them, over its {}; cut to fit",
            batch.getFirst().key(), TelegramHtml.length(whole), TelegramHtml.MESSAGE_MAX);
        params.put("text", fit);
      }
    }
    return params;
  }

  /**
   * Writes the call's outcome on its rows, on the call's thread (the limits, the outbox, the
   * counters and the listeners are safe to call from several at once).
   *
   * @return how long the rows wait for their retry; empty when they are settled (sent or given up)
   */
  private Optional<Duration> record(List<OutboxRow> batch, SendOutcome outcome) {
    OutboxRow head = batch.getFirst();
    List<Long> ids = batch.stream().map(OutboxRow::id).toList();
    switch (outcome) {
      case SendOutcome.Sent s -> {
        outbox.sent(ids, s.messageId());
        sent.increment();
      }
      case SendOutcome.RetryAfter r -> {
        limits.block(head.chatId(), Instant.now().plusSeconds(r.seconds()));
        outbox.retryLater(ids, Duration.ofSeconds(r.seconds()), r.description());
        rateLimited.increment();
        log.info("Telegram asked to wait {} s for chat {}", r.seconds(), head.chatId());
        return Optional.of(Duration.ofSeconds(r.seconds()));
      }
      case SendOutcome.Rejected r -> {
        outbox.failed(ids, r.description());
        rejected.increment();
        if (head.chatId() > 0 && head.threadId() == null && r.chatClosed()) { // closed to the bot: onRejected logs it once
          log.debug("Telegram refused outbox message {} for good: {}", head.key(), r.description());
        } else {
          log.warn("Telegram refused outbox message {} for good: {}", head.key(), r.description());
        }
        batch.forEach(row -> onRejected.accept(row, r));
        if (r.threadGone() && head.threadId() != null) {
          supervisors.topicGone(head.chatId(), head.threadId(), r.description());
        }
      }
      case SendOutcome.Transient t when t.ambiguous() && !IDEMPOTENT_METHODS.contains(head.method()) -> {
        // first, before the chat is free (its next row waits for getMe) and whether or not the database takes the rows
        silence.unanswered(head, batch, t.description());
        outbox.unknown(ids, t.description());
        timeouts.increment();
        log.warn("outbox message {} may or may not have been delivered ({}); {}", head.key(), t.description(),
            head.method().equals("createForumTopic") ? "its ticket asks for the topic again (NewTopics)" : "not repeated");
      }
      case SendOutcome.Transient t -> {
        if (t.ambiguous()) { // an idempotent call: retried, but not before Telegram answers getMe
          silence.unanswered(head, List.of(), t.description());
        }
        Duration wait = BACKOFF.after(head.attempts());
        outbox.retryLater(ids, wait, t.description());
        retries.increment();
        log.info("outbox message {} will be retried: {}", head.key(), t.description());
        return Optional.of(wait);
      }
    }
    return Optional.empty();
  }

  /** False once closed: nothing enqueued from then on is sent by this process. */
  public boolean running() {
    return thread.running();
  }

  /**
   * Stops the loop (no call is handed over from then on, and one handed over but not begun is not
   * made) and waits up to 5 s for the calls under way; one still hanging then is left to finish, its
   * outcome written if the database is still open, or to end with the process (its row SENDING: a
   * message UNKNOWN after the restart, an idempotent call made again), as a call cut off by a stop
   * always was.
   */
  @Override
  public void close() {
    thread.close();
    calls.shutdown();
    try {
      if (!calls.awaitTermination(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} outbox calls still under way after {} s; left to end with the process", inFlight.size(),
            STOP_WITHIN.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (sendNowRetries != null) {
        sendNowRetries.shutdownNow();
      }
    }
  }

  /** Folding low-priority notices of one ticket into one message when they queued up. */
  static final class Coalescing {
    /** Telegram's limit for a message text. */
    static final int MAX_TEXT = 4096;

    private Coalescing() {}

    /**
     * Low-priority sendMessage rows of the same topic that are due together only queue up when
     * the group was over its budget; sending them as one message spends one token instead of n.
     * Only the run that follows the head in its topic is folded: a notice queued after a reply
     * or an escalation must not overtake it, so the run ends at the topic's next other message.
     *
     * @param queue the pass's rows in turn order, where a topic's messages are in enqueue order
     */
    static List<OutboxRow> batch(OutboxRow head, List<OutboxRow> queue, Set<Long> taken, Instant now) {
      List<OutboxRow> batch = new ArrayList<>(List.of(head));
      if (!foldable(head)) {
        return batch;
      }
      int length = textOf(head).length();
      for (OutboxRow r : queue) {
        if (r.id() <= head.id() || taken.contains(r.id()) || !r.sameTopic(head)
            || !MESSAGE_METHODS.contains(r.method())) {
          continue;
        }
        if (!foldable(r) || !r.dueAt(now)) {
          break;
        }
        length += 2 + textOf(r).length();
        if (length > MAX_TEXT) {
          break;
        }
        batch.add(r);
      }
      return batch;
    }

    private static boolean foldable(OutboxRow r) {
      return r.priority() >= OutboundMessage.LOW && r.method().equals("sendMessage") && r.threadId() != null;
    }

    static String text(List<OutboxRow> batch) {
      return String.join("\n\n", batch.stream().map(Coalescing::textOf).toList());
    }

    private static String textOf(OutboxRow r) {
      return Json.read(r.payload(), JsonNode.class).path("text").asText();
    }
  }
}
