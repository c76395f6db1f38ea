package dev.forumdesk.app;

import dev.forumdesk.config.Settings;
import dev.forumdesk.observe.ObserveService.Check;
import dev.forumdesk.telegram.WebhookInfo;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.DatabaseCheck;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.worker.TemporalConnection;
import dev.forumdesk.worker.WorkerPollers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The checks behind /observe/health (Temporal, database, inbox, outbox, Telegram webhook, the
 * worker, the staff the bot cannot write to privately) and the same figures as Prometheus gauges.
 */
final class Health {
  private final TemporalConnection temporal;
  private final Database database;
  private final Inbox inbox;
  private final Outbox outbox;
  private final WebhookInfo webhook;
  private final Settings settings;
  /** dev without a token: the simulator's demo, where no Telegram is expected. */
  private final boolean demoMode;
  private final long maxInboxBacklog;
  /** alerts.oldest-unapplied: an update Temporal accepted and no ticket applied for longer is DEGRADED. */
  private final Duration oldestUnapplied;
  /** Who polls the ticket task queue, asked of Temporal; empty where this process runs the worker. */
  private final Optional<WorkerPollers> workerPollers;
  private final PrivateChats privateChats;
  /** Whether this process receives Telegram's updates (run, dev, the webhook role), not the worker role alone. */
  private final boolean receives;

  Health(TemporalConnection temporal, Database database, Inbox inbox, Outbox outbox,
      WebhookInfo webhook, Settings settings, boolean demoMode, long maxInboxBacklog, Duration oldestUnapplied,
      Optional<WorkerPollers> workerPollers, PrivateChats privateChats, boolean receives) {
    this.receives = receives;
    this.oldestUnapplied = oldestUnapplied;
    this.temporal = temporal;
    this.database = database;
    this.inbox = inbox;
    this.outbox = outbox;
    this.webhook = webhook;
    this.settings = settings;
    this.demoMode = demoMode;
    this.maxInboxBacklog = maxInboxBacklog;
    this.workerPollers = workerPollers;
    this.privateChats = privateChats;
  }

  List<Check> checks() {
    return List.of(
        check("temporal", () -> new Check.Result(temporal.healthy(), Map.of())),
        check("database", this::database),
        check("inbox", () -> whileTheDatabaseAnswers(this::inbox)),
        check("outbox", () -> whileTheDatabaseAnswers(this::outbox)),
        check("telegram", this::telegram),
        check("worker", this::worker),
        check("privateChats", () -> whileTheDatabaseAnswers(privateChats::check)));
  }

  private Check.Result database() {
    DatabaseCheck.Answer a = database.check().now();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("kind", database.isEmbedded() ? "h2" : "postgresql");
    a.problem().ifPresent(p -> details.put(a.up() ? "warning" : "error", p));
    return new Check.Result(a.up(), details);
  }

  /**
   * A check that reads the database, DOWN with the database's own reason while it does not answer
   * (before, each waited for the pool's 5 s and health said only "no answer within PT3S": audit 20b, F5).
   */
  private Check.Result whileTheDatabaseAnswers(Supplier<Check.Result> check) {
    DatabaseCheck.Answer a = database.check().now();
    if (!a.up()) {
      return new Check.Result(false, Map.of("error", "database unavailable: " + a.problem().orElse("no answer")));
    }
    return check.get();
  }

  /** What the inbox and outbox gauges show, read in one pass per scrape. */
  private record Figures(long inboxBacklog, Optional<Instant> oldestPending, Optional<Instant> oldestUnapplied,
      long outboxBacklog, Optional<Instant> oldestUnsent, long failed, long replaced, long unknown) {}

  private Figures figures() {
    return new Figures(inbox.backlog(), inbox.oldestPending(), inbox.oldestUnapplied(), outbox.backlog(),
        outbox.oldestUnsent(), outbox.failedCount(), outbox.replacedCount(), outbox.unknownCount());
  }

  /**
   * The database's gauges: NaN when the figures cannot be read within {@link #FIGURES_WAIT}, so that a
   * scrape during an outage answers at once with forumdesk_database_up 0 (audit 20b, F1).
   */
  void registerGauges(MeterRegistry metrics) {
    ScrapeRead<Figures> read = new ScrapeRead<>("database-figures", database.check(), this::figures,
        DatabaseCheck.FRESH_FOR, FIGURES_WAIT, Clock.systemUTC());
    figure(metrics, read, "forumdesk_inbox_backlog", "updates stored but not yet delivered to Temporal",
        Figures::inboxBacklog);
    figure(metrics, read, "forumdesk_inbox_oldest_undelivered_seconds", "age of the oldest undelivered update",
        f -> ageSeconds(f.oldestPending()));
    figure(metrics, read, "forumdesk_inbox_oldest_unapplied_seconds",
        "age of the oldest update Temporal accepted that no ticket has applied yet", f -> ageSeconds(f.oldestUnapplied()));
    figure(metrics, read, "forumdesk_outbox_backlog", "bot messages waiting to be sent", Figures::outboxBacklog);
    figure(metrics, read, "forumdesk_outbox_oldest_unsent_seconds", "age of the oldest unsent bot message",
        f -> ageSeconds(f.oldestUnsent()));
    figure(metrics, read, "forumdesk_outbox_failed", "bot messages Telegram refused for good, nothing sent instead",
        Figures::failed);
    figure(metrics, read, "forumdesk_outbox_replaced", "DMs Telegram refused for good whose fallback went instead",
        Figures::replaced);
    figure(metrics, read, "forumdesk_outbox_unknown", "bot messages whose delivery is uncertain (not repeated)",
        Figures::unknown);
    Gauge.builder("forumdesk_temporal_up", temporal, t -> t.healthy() ? 1 : 0)
        .description("1 while Temporal answers, else 0").register(metrics);
    Gauge.builder("forumdesk_database_up", database, d -> d.check().now().up() ? 1 : 0)
        .description("1 while the database answers, else 0 (its other gauges are NaN then)").register(metrics);
    workerPollers.ifPresent(w -> {
      Gauge.builder("forumdesk_worker_pollers", w, p -> polled(p, true)).tag("type", "workflow")
          .description("workers' pollers of workflow tasks Temporal saw within alerts.worker-silent").register(metrics);
      Gauge.builder("forumdesk_worker_pollers", w, p -> polled(p, false)).tag("type", "activity")
          .description("workers' pollers of activity tasks Temporal saw within alerts.worker-silent").register(metrics);
    });
    if (!settings.demo()) {
      Gauge.builder("forumdesk_telegram_pending_updates", webhook, w -> w.current().pendingUpdateCount())
          .description("getWebhookInfo pending_update_count").register(metrics);
    }
  }

  private Check.Result inbox() {
    long backlog = inbox.backlog();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backlog", backlog);
    details.put("maxBacklog", maxInboxBacklog);
    details.put("oldestPendingSeconds", ageSeconds(inbox.oldestPending()));
    long unapplied = ageSeconds(inbox.oldestUnapplied());
    details.put("oldestUnappliedSeconds", unapplied);
    // at the cap the webhook answers 503: Telegram holds updates, which is worth a DOWN
    if (backlog >= maxInboxBacklog) {
      return new Check.Result(false, details);
    }
    // accepted by Temporal and not applied: a ticket's workflow does not run (new updates still come in)
    if (unapplied > oldestUnapplied.toSeconds()) {
      details.put("warning", "an update Temporal accepted has waited " + unapplied + " s for its ticket to apply it"
          + " (alerts.oldest-unapplied " + oldestUnapplied.toSeconds() + " s): its workflow does not run its tasks");
      return Check.Result.degraded(details);
    }
    return new Check.Result(true, details);
  }

  private Check.Result outbox() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backlog", outbox.backlog());
    details.put("oldestUnsentSeconds", ageSeconds(outbox.oldestUnsent()));
    details.put("failed", outbox.failedCount());
    details.put("replaced", outbox.replacedCount());
    details.put("unknown", outbox.unknownCount());
    return new Check.Result(true, details);
  }

  private Check.Result telegram() {
    if (settings.demo() && demoMode) {
      return new Check.Result(true, Map.of("mode", "demo"));
    }
    if (settings.demo()) { // run or a role without a token: the API works, Telegram is not connected
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("mode", "no bot token");
      details.put("receiving", false);
      details.put("sending", false);
      details.put("warning", ForumdeskApp.NO_BOT_TOKEN);
      return Check.Result.degraded(details);
    }
    WebhookInfo.Snapshot w = webhook.current();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("mode", settings.webhookUrl().isPresent() ? "webhook" : "polling");
    details.put("pendingUpdateCount", w.pendingUpdateCount());
    w.lastErrorDate().ifPresent(d -> details.put("lastErrorDate", d.toString()));
    w.lastErrorMessage().ifPresent(m -> details.put("lastErrorMessage", m));
    w.error().ifPresent(e -> details.put("error", e));
    // Telegram slow to answer: its last answer, said to be stale, rather than a check that waits for it
    boolean stale = w.late() && w.readAt().isPresent();
    if (stale) {
      long ago = ageSeconds(w.readAt());
      details.put("stale", true);
      details.put("readSecondsAgo", ago);
      details.put("warning", "getWebhookInfo did not answer within " + WebhookInfo.WAIT_AT_MOST.toSeconds()
          + " s: Telegram's last answer, read " + ago + " s ago");
    }
    // Telegram delivers nothing while its webhook is not ours: none set (a setWebhook that has
    // not got through yet), or another URL (someone else registered the bot elsewhere)
    boolean ours = settings.webhookUrl().isEmpty() || w.url().map(u -> u.equals(settings.webhookUrl().get())).orElse(true);
    if (!receives) {
      // the worker role sends and receives nothing: Telegram answering our token (getWebhookInfo) is
      // what its sending needs; the registration is the webhook role's job and its check's (audit 18a F3)
      details.put("sending", w.reachable());
      if (!ours) {
        details.put("webhook", (w.url().get().isEmpty() ? "not set in Telegram" : "set to another URL")
            + " (the webhook role sets it)");
      }
      return judged(w.reachable(), stale, details);
    }
    if (!ours) {
      details.put("webhook", w.url().get().isEmpty() ? "not set in Telegram" : "set to another URL");
    }
    return judged(w.reachable() && ours, stale, details);
  }

  /** An answer that would be UP but is Telegram's last, not a fresh one, is DEGRADED. */
  private static Check.Result judged(boolean up, boolean stale, Map<String, Object> details) {
    return up && stale ? Check.Result.degraded(details) : new Check.Result(up, details);
  }

  /** NaN while Temporal cannot tell (the temporal check and gauge say why). */
  private static double polled(WorkerPollers pollers, boolean workflow) {
    WorkerPollers.Snapshot s = pollers.current();
    return s.error().isPresent() ? Double.NaN : workflow ? s.workflowPollers() : s.activityPollers();
  }

  /**
   * Where this process runs the worker, it is running (it started with the process); elsewhere
   * Temporal tells whether any worker polled the ticket task queue within the window.
   */
  private Check.Result worker() {
    if (workerPollers.isEmpty()) {
      return new Check.Result(true, Map.of("mode", "in-process", "running", true));
    }
    WorkerPollers.Snapshot s = workerPollers.get().current();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("mode", "separate");
    details.put("workflowPollers", s.workflowPollers());
    details.put("activityPollers", s.activityPollers());
    details.put("lastPolledSecondsAgo", s.lastPolled().map(t -> (Object) ageSeconds(Optional.of(t))).orElse("none in 5 min"));
    details.put("windowSeconds", workerPollers.get().window().toSeconds());
    s.error().ifPresent(e -> details.put("error", e));
    return new Check.Result(s.polling(), details);
  }

  /** How long a scrape waits for the database's figures, all of them together. */
  static final Duration FIGURES_WAIT = Duration.ofSeconds(2);

  private void figure(MeterRegistry metrics, ScrapeRead<Figures> read, String name, String description,
      java.util.function.ToDoubleFunction<Figures> value) {
    Gauge.builder(name, read, r -> r.get().map(value::applyAsDouble).orElse(Double.NaN))
        .description(description + " (NaN while the database does not answer)").strongReference(true).register(metrics);
  }

  private static long ageSeconds(Optional<Instant> since) {
    return since.map(t -> Duration.between(t, Instant.now()).toSeconds()).orElse(0L);
  }

  private static Check check(String name, Supplier<Check.Result> body) {
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        return body.get();
      }
    };
  }
}
