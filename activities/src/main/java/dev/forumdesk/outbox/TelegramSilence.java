package dev.forumdesk.outbox;

import dev.forumdesk.retry.Backoff;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.ticket.Html;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Telegram answers the outbox's calls. A call whose outcome is unknown (the client's
 * timeout, a connection lost after the request went) is most often Telegram, or the way to it,
 * hanging for every chat; each further sendMessage handed to it is lost the same way (UNKNOWN, not
 * repeated): a 70 s hang lost 24 messages, one after another (audit 21b, F1). So from the first
 * such outcome no call is handed over, to any chat, until an idempotent probe ({@code getMe})
 * answers: at once, then backing off from 1 s to 30 s, each probe waited for {@link #PROBE_WAIT} at
 * most. Any HTTP answer (a message, a 429, a 4xx, a 5xx) ends the silence; a refused connection
 * or an unknown host does not (nothing reached Telegram). Then the queued messages go in their
 * order. The messages whose call was under way when it began stay unknown; they are named once,
 * when it ends, in a WARN and a notice to the supervisors (enqueued again at the next passes while
 * the database does not take it, without a new probe or log line).
 *
 * <p>Healthy, it costs one volatile read per pass and per call: no probe, no lock.
 */
final class TelegramSilence {
  private static final Logger log = LoggerFactory.getLogger(TelegramSilence.class);
  /** How long a probe is waited for: getMe answers in well under a second when Telegram does. */
  static final Duration PROBE_WAIT = Duration.ofSeconds(3);
  /** Between probes while Telegram does not answer: 1 s, doubling to 30 s (half of it jitter). */
  private static final Backoff PROBES = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  /** How many of the unknown messages a notice names; the rest are counted. */
  static final int NAMED_AT_MOST = 10;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Supplier<SendOutcome> probe;
  private final ExecutorService calls;
  private final SupervisorNotices supervisors;
  /** Null while Telegram answers. */
  private volatile Episode episode;
  /** The supervisors' notices of holds that ended, while the database has not taken them: in their order. */
  private final java.util.concurrent.ConcurrentLinkedDeque<Notice> untold = new java.util.concurrent.ConcurrentLinkedDeque<>();

  private record Notice(String key, String html) {}

  private static final class Episode {
    final Instant since;
    final List<String> unknown = new ArrayList<>();
    int probes;
    Instant nextProbe;
    boolean probing;

    Episode(Instant since) {
      this.since = since;
      this.nextProbe = since; // at once: it may have been one chat's call, not Telegram's
    }
  }

  /**
   * @param probe the idempotent call that tells whether Telegram answers (getMe)
   * @param calls where the probe runs, so that a probe that hangs is not waited for beyond {@link #PROBE_WAIT}
   */
  TelegramSilence(Supplier<SendOutcome> probe, ExecutorService calls, SupervisorNotices supervisors) {
    this.probe = probe;
    this.calls = calls;
    this.supervisors = supervisors;
  }

  /** Whether calls are held: no call may be handed to Telegram now. */
  boolean held() {
    return episode != null;
  }

  /**
   * A call of {@code head}'s got no answer ({@code description}); {@code unknown}, the rows it
   * carried that are now UNKNOWN (none for an idempotent call, which is retried). Holds every call
   * from now on, if they were not held already.
   */
  synchronized void unanswered(OutboxRow head, List<OutboxRow> unknown, String description) {
    Episode e = episode;
    if (e == null) {
      e = new Episode(Instant.now());
      log.warn("Telegram did not answer a call ({}: {}): no other call goes to it, to any chat, until getMe answers"
          + " (probed at once, then every 1 s to 30 s); the queued messages wait and then go in their order",
          head.key(), description);
    }
    e.unknown.addAll(unknown.stream().map(OutboxRow::key).toList());
    episode = e;
  }

  /**
   * Whether calls may go: at once while Telegram answers; while it does not, this probes it when a
   * probe is due (waiting up to {@link #PROBE_WAIT}), and on an answer the calls go again.
   *
   * @return empty when calls may go; else how long until the next probe
   */
  Optional<Duration> waitFor() {
    tellUntold();
    if (episode == null) {
      return Optional.empty();
    }
    Episode e;
    synchronized (this) {
      e = episode; // read again: the episode read before may have ended, and a new one begun
      if (e == null) {
        return Optional.empty();
      }
      Instant now = Instant.now();
      if (e.probing || now.isBefore(e.nextProbe)) {
        return Optional.of(e.probing ? PROBE_WAIT : Duration.between(now, e.nextProbe));
      }
      e.probing = true;
    }
    Optional<SendOutcome> answer = Optional.empty();
    try {
      answer = probeOnce();
    } finally { // a probe that threw counts as unanswered: the next is probed in turn
      synchronized (this) {
        e.probing = false;
        e.probes++;
        if (answered(answer)) {
          over(e, answer.get());
        } else {
          e.nextProbe = Instant.now().plus(PROBES.after(e.probes - 1));
        }
      }
    }
    if (answered(answer)) {
      tellUntold(); // outside the lock: the notice may be sent at once, through waitFor again
      return Optional.empty();
    }
    return Optional.of(Duration.between(Instant.now(), e.nextProbe));
  }

  /** An HTTP answer: a result, a 429, a 4xx, a 5xx; not a timeout, a refused connection, an unknown host. */
  private static boolean answered(Optional<SendOutcome> answer) {
    return answer.isPresent() && !(answer.get() instanceof SendOutcome.Transient t && !t.answered());
  }

  /**
   * Enqueues the notices of holds that ended, if the database did not take them yet; one that fails
   * waits for a next pass (no probe, no log line but DEBUG: the pass's database failure is said).
   */
  private void tellUntold() {
    Notice n;
    while ((n = untold.pollFirst()) != null) { // taken: a notice sent at once comes back here without it
      try {
        supervisors.notice(n.key(), n.html()); // once per key: one enqueued before a failure is not enqueued again
      } catch (RuntimeException failure) {
        untold.offerFirst(n);
        log.debug("the notice {} waits for the database: {}", n.key(), failure.toString());
        return;
      }
    }
  }

  /** getMe's outcome, or empty when it did not come within {@link #PROBE_WAIT}. */
  private Optional<SendOutcome> probeOnce() {
    Future<SendOutcome> call;
    try {
      call = calls.submit(probe::get);
    } catch (RejectedExecutionException e) { // the sender is closing: nothing goes any more
      return Optional.empty();
    }
    try {
      return Optional.of(call.get(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      call.cancel(true);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Telegram answered the probe: the calls go again, and the messages lost meanwhile are told (the
   * notice is left to {@link #tellUntold}, outside the lock).
   */
  private void over(Episode e, SendOutcome answer) {
    if (episode != e) {
      return; // ended already: a newer episode is not this probe's to end
    }
    episode = null; // before the notice: sent at once (the webhook role), it must not probe this episode again
    Instant now = Instant.now();
    long seconds = Duration.between(e.since, now).toSeconds();
    if (e.unknown.isEmpty()) {
      log.info("Telegram answers again ({}) after {} s: the held calls go on", describe(answer), seconds);
    } else {
      String named = named(e.unknown, k -> k);
      log.warn("Telegram answers again ({}) after {} s: the held calls go on; {} whose call it did not answer"
          + " may or may not have been delivered (status UNKNOWN, not repeated): {}",
          describe(answer), seconds, messages(e.unknown.size()), named);
      untold.offerLast(new Notice("outbox-unknown:" + e.since.toEpochMilli(),
          "⚠️ Forumdesk: Telegram did not answer the bot's calls from " + TIME.format(e.since.truncatedTo(ChronoUnit.SECONDS))
              + " to " + TIME.format(now) + " UTC. " + messages(e.unknown.size())
              + " whose call it did not answer may or may not have been delivered and " + (e.unknown.size() == 1 ? "is" : "are")
              + " not sent again (status UNKNOWN): " + named(e.unknown, k -> "<code>" + Html.escape(k) + "</code>")
              + ". The messages queued meanwhile went out after it."));
    }
  }

  private static String messages(int n) {
    return n == 1 ? "1 bot message" : n + " bot messages";
  }

  private static String named(List<String> keys, java.util.function.UnaryOperator<String> each) {
    List<String> shown = keys.stream().limit(NAMED_AT_MOST).map(each).toList();
    String list = String.join(", ", shown);
    return keys.size() > NAMED_AT_MOST ? list + " and " + (keys.size() - NAMED_AT_MOST) + " more" : list;
  }

  private static String describe(SendOutcome answer) {
    return switch (answer) {
      case SendOutcome.Sent s -> "getMe: ok";
      case SendOutcome.RetryAfter r -> r.description();
      case SendOutcome.Rejected r -> r.description();
      case SendOutcome.Transient t -> t.description();
    };
  }
}
