package dev.forumdesk.observe;

import dev.forumdesk.telegram.WebhookInfo;
import dev.forumdesk.config.OperationsConfig;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.AlertIncidents;
import dev.forumdesk.store.DatabaseOutageLog;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Html;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the backlogs and Telegram's webhook errors every {@code alerts.check-every} and tells
 * the supervisors in Telegram (through the outbox, at the most urgent priority) when a threshold
 * is crossed, and once more when it is back to normal. Each incident alerts once, not every tick,
 * and once across the replicas that watch it on one database ({@link AlertIncidents}): the one
 * whose look opened it tells of it, the one whose look closed it tells of its end. The webhook role
 * runs one on other readings (whether a worker polls Temporal): {@link #BacklogMonitor(Duration,
 * List, Supplier, SupervisorNotices, AlertIncidents, MeterRegistry)}.
 */
public final class BacklogMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

  /**
   * One measured condition: active when {@code value > threshold}; {@code unit} follows both
   * numbers in the notice ("35 s"), empty for counts. {@code alert} (HTML) is what the alert says
   * when a number alone would not tell the supervisors what is wrong; empty: "description is value
   * (alert above threshold)".
   */
  public record Reading(String condition, String description, long value, long threshold, String unit, String alert,
      long clearAt, String recovered) {
    public Reading(String condition, String description, long value, long threshold, String unit, String alert) {
      this(condition, description, value, threshold, unit, alert, threshold, "");
    }

    public Reading(String condition, String description, long value, long threshold, String unit) {
      this(condition, description, value, threshold, unit, "");
    }

    Reading(String condition, String description, long value, long threshold) {
      this(condition, description, value, threshold, "");
    }

    String alertText() {
      return alert.isEmpty() ? description + " is " + valueText() + " (alert above " + thresholdText() + ")" : alert;
    }

    boolean active() {
      return value > threshold;
    }

    /**
     * Whether an incident this process sees is still on: above {@code clearAt}, which may be below
     * the threshold (the waiting line's alert ends when the line is empty, not when its oldest
     * ticket has waited a little less).
     */
    boolean stillActive() {
      return value > clearAt;
    }

    String recoveredText() {
      return recovered.isEmpty() ? description + " is " + valueText() + " again" : recovered;
    }

    String valueText() {
      return value + unit;
    }

    String thresholdText() {
      return threshold + unit;
    }
  }

  private static final DateTimeFormatter LAST_ERROR_AT = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private final Duration checkEvery;
  private final Supplier<List<Reading>> readings;
  private final SupervisorNotices notices;
  private final AlertIncidents incidents;
  /** The incidents this process sees, by condition: their shared start. */
  private final Map<String, Instant> activeSince = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;
  /** {@code forumdesk_alerts_total} by condition, registered at a condition's first look. */
  private final Map<String, Alerts> alerts = new ConcurrentHashMap<>();
  /** What else runs at each look (a retention sweep), each apart: one that fails stops neither the others nor the alerts. */
  private final List<Runnable> chores = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final DatabaseOutageLog databaseDown =
      new DatabaseOutageLog(log, "the alerts' looks", "the alerts and the periodic sweeps wait");
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("backlog-monitor").daemon().factory());

  public BacklogMonitor(Inbox inbox, Outbox outbox, WebhookInfo webhook, boolean webhookMode,
      OperationsConfig.Alerts thresholds, SupervisorNotices notices, AlertIncidents incidents, MeterRegistry metrics) {
    this(inbox, outbox, webhook, webhookMode, thresholds, List::of, notices, incidents, metrics);
  }

  /** @param desk the desk's own readings (the waiting line, {@link WaitingLineAlert}), after the backlogs */
  public BacklogMonitor(Inbox inbox, Outbox outbox, WebhookInfo webhook, boolean webhookMode,
      OperationsConfig.Alerts thresholds, Supplier<List<Reading>> desk, SupervisorNotices notices,
      AlertIncidents incidents, MeterRegistry metrics) {
    this(thresholds.checkEvery(),
        List.of("inbox-backlog", "oldest-undelivered", "oldest-unapplied", "outbox-backlog", "webhook-pending", "webhook-error",
            WaitingLineAlert.CONDITION),
        () -> {
          List<Reading> all = new ArrayList<>(new Backlogs(inbox, outbox, webhook, webhookMode, thresholds).get());
          all.addAll(desk.get());
          return all;
        }, notices, incidents, metrics);
  }

  /**
   * @param conditions every condition {@code readings} may report (each gets its
   *     {@code forumdesk_alert_active} gauge); a reading left out of a look changes nothing
   */
  public BacklogMonitor(Duration checkEvery, List<String> conditions, Supplier<List<Reading>> readings,
      SupervisorNotices notices, AlertIncidents incidents, MeterRegistry metrics) {
    this.checkEvery = checkEvery;
    this.readings = readings;
    this.notices = notices;
    this.incidents = incidents;
    this.metrics = metrics;
    for (String c : conditions) {
      Gauge.builder("forumdesk_alert_active", activeSince, m -> m.containsKey(c) ? 1 : 0)
          .tag("condition", c).description("1 while the condition is over its threshold").register(metrics);
    }
  }

  /** Runs {@code chore} at each look too, after the readings: a periodic sweep needs no timer of its own. */
  public BacklogMonitor alsoEachLook(Runnable chore) {
    chores.add(chore);
    return this;
  }

  public BacklogMonitor start() {
    long every = checkEvery.toMillis();
    timer.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("backlog check failed: {}", e.toString());
    }
  }

  /**
   * One look, then the chores; public so tests can tick it without waiting for the schedule. A look
   * or a chore that fails because the database is unavailable is said in a line per outage
   * ({@link DatabaseOutageLog}), not a WARN each; the readings are then empty.
   */
  public List<Reading> check() {
    boolean down = false;
    List<Reading> seen = List.of();
    try {
      seen = alert();
    } catch (RuntimeException e) {
      if (!databaseDown.failed(e)) {
        runChores();
        throw e;
      }
      down = true;
    }
    if (runChores() || down) {
      return seen;
    }
    databaseDown.succeeded();
    return seen;
  }

  /** @return whether one failed because the database is unavailable */
  private boolean runChores() {
    boolean down = false;
    for (Runnable chore : chores) {
      try {
        chore.run();
      } catch (RuntimeException e) {
        if (databaseDown.failed(e)) {
          down = true;
        } else {
          log.warn("a periodic sweep failed; the next look tries again: {}", e.toString());
        }
      }
    }
    return down;
  }

  private List<Reading> alert() {
    List<Reading> readings = this.readings.get();
    Instant now = Instant.now();
    for (Reading r : readings) {
      // at 0 until the first: an alert rule sees 0, not no data
      Alerts counted = alerts.computeIfAbsent(r.condition(), c -> Alerts.of(metrics, c));
      if (activeSince.containsKey(r.condition()) ? r.stillActive() : r.active()) {
        // one this process holds goes on after looks that could not reach the database
        incidents.active(r.condition(), now, Duration.ZERO, true, Optional.ofNullable(activeSince.get(r.condition())))
            .ifPresent(i -> {
              activeSince.put(r.condition(), i.since());
              if (i.here()) {
                counted.raised().increment();
                notices.notice("alert:" + r.condition() + ":" + i.since().toEpochMilli(),
                    "🚨 Forumdesk: " + r.alertText() + ".");
              }
            });
      } else {
        Optional.ofNullable(activeSince.remove(r.condition()))
            .flatMap(since -> incidents.over(r.condition(), since))
            .ifPresent(i -> {
              counted.recovered().increment();
              notices.notice("recovered:" + r.condition() + ":" + i.since().toEpochMilli(),
                  "✅ Forumdesk recovered: " + r.recoveredText() + " (alert lasted "
                      + Duration.between(i.since(), now).toSeconds() + " s).");
            });
      }
    }
    return readings;
  }

  /** A condition's {@code forumdesk_alerts_total} series, by state. */
  private record Alerts(Counter raised, Counter recovered) {
    static Alerts of(MeterRegistry metrics, String condition) {
      return new Alerts(counter(metrics, condition, "raised"), counter(metrics, condition, "recovered"));
    }

    private static Counter counter(MeterRegistry metrics, String condition, String state) {
      return Counter.builder("forumdesk_alerts_total").tags("condition", condition, "state", state)
          .description("alert notices posted, by condition and state (raised, recovered)").register(metrics);
    }
  }

  /** The backlogs and, in webhook mode, what Telegram says of the webhook. */
  private record Backlogs(Inbox inbox, Outbox outbox, WebhookInfo webhook, boolean webhookMode,
      OperationsConfig.Alerts thresholds) implements Supplier<List<Reading>> {
    @Override
    public List<Reading> get() {
      List<Reading> out = new ArrayList<>();
      out.add(new Reading("inbox-backlog", "undelivered Telegram updates", inbox.backlog(), thresholds.inboxBacklog()));
      long oldest = inbox.oldestPending().map(t -> Duration.between(t, Instant.now()).toSeconds()).orElse(0L);
      out.add(new Reading("oldest-undelivered", "the age of the oldest undelivered update", oldest,
          thresholds.oldestUndelivered().toSeconds(), " s"));
      out.add(unapplied(inbox.oldestUnapplied().map(t -> Duration.between(t, Instant.now()).toSeconds()).orElse(0L),
          thresholds.oldestUnapplied().toSeconds()));
      out.add(new Reading("outbox-backlog", "unsent bot messages", outbox.backlog(), thresholds.outboxBacklog()));
      if (webhookMode) {
        WebhookInfo.Snapshot w = webhook.current();
        out.add(new Reading("webhook-pending", "updates Telegram holds for our webhook", w.pendingUpdateCount(),
            thresholds.webhookPending()));
        boolean recent = recentError(w.lastErrorDate());
        out.add(new Reading("webhook-error", "recent webhook delivery errors reported by Telegram",
            recent ? 1 : 0, 0, "", recent ? lastError(w) : ""));
      }
      return out;
    }

    /**
     * Updates Temporal accepted that no ticket applies: their workflow's task never runs (a worker
     * gone with the task on its sticky queue, a task failing on every attempt), so the ticket and its
     * SLA clocks stand still while every other figure reads normal.
     */
    private static Reading unapplied(long seconds, long threshold) {
      return new Reading("oldest-unapplied", "the age of the oldest update Temporal accepted and no ticket applied",
          seconds, threshold, " s",
          "Telegram updates that Temporal accepted and no ticket has applied, the oldest for " + (seconds / 60)
              + " min (alert above " + threshold + " s): a ticket's workflow does not run its tasks (look at the"
              + " worker's log and the ticket's history in Temporal)",
          threshold, "every update Temporal accepted is applied by its ticket again");
    }

    /** Telegram reports only its last error: when, and what it says (an HTTP status, a TLS problem). */
    private static String lastError(WebhookInfo.Snapshot w) {
      return "Telegram could not deliver updates to the webhook (last at "
          + LAST_ERROR_AT.format(w.lastErrorDate().orElseThrow()) + " UTC): "
          + Html.escape(OneLine.of(w.lastErrorMessage().orElse("no reason given"), 200));
    }

    /** Telegram keeps the last error date forever; only one within two check periods counts. */
    private boolean recentError(Optional<Instant> lastError) {
      Duration window = thresholds.checkEvery().multipliedBy(2).compareTo(Duration.ofMinutes(1)) < 0
          ? Duration.ofMinutes(1) : thresholds.checkEvery().multipliedBy(2);
      return lastError.map(t -> t.isAfter(Instant.now().minus(window))).orElse(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
