package dev.forumdesk.ingress;

import dev.forumdesk.log.OncePer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The webhook's refused calls in the log: anyone who reaches the port can be refused (a 403 for a source
 * outside the allowed networks, a 401 for a wrong secret), so one INFO line per call let them fill the
 * log (audit 21a F3: 712 lines for 712 calls). Each reason is said at most once a minute, with how many
 * calls it refused since it was last said; the counters (forumdesk_updates_total) count every one.
 */
final class RefusalLog {
  private final Logger log;
  private final Clock clock;
  private final Map<String, Turn> reasons = new ConcurrentHashMap<>();

  private record Turn(OncePer once, AtomicLong since) {}

  RefusalLog(Logger log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /**
   * @param reason one per kind of refusal, e.g. "401"; what is said once a minute for it
   * @param format, args an SLF4J message, "webhook refused: …"
   */
  void refused(String reason, String format, Object... args) {
    Turn turn = reasons.computeIfAbsent(reason, r -> new Turn(new OncePer(Duration.ofMinutes(1), clock), new AtomicLong()));
    turn.since().incrementAndGet();
    turn.once().run(() -> {
      long since = turn.since().getAndSet(0);
      Object[] all = java.util.Arrays.copyOf(args, args.length + 2);
      all[args.length] = reason;
      all[args.length + 1] = since;
      log.info(format + " ({}; said at most once a minute for this reason, {} such call" + (since == 1 ? "" : "s")
          + " since it was last said)", all);
    });
  }
}
