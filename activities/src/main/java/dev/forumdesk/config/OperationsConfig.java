package dev.forumdesk.config;

import io.helidon.config.Config;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operational keys (YAML {@code ingress}, {@code webhook}, {@code alerts}, {@code temporal}): how
 * much the inbox may absorb, how the webhook is exposed and registered, when supervisors are
 * alerted, how long the embedded Temporal server keeps closed executions, and how long an API
 * action waits for Temporal ({@code temporal.action-timeout}: then a 503, not a hung request) and how
 * long its Idempotency-Key is kept ({@code api.idempotency-keep}), and when yesterday's SLA report
 * is posted ({@code reports.daily-at}, in the report's zone; empty: never), and how long a restore of
 * the embedded server holds an auto-close that fell due while the process was down ({@code
 * temporal.auto-close-after-restore}). Kept
 * apart from {@link ForumdeskConfig}, which describes the support desk itself.
 */
public record OperationsConfig(
    long maxInboxBacklog,
    int dispatchConcurrency,
    int backgroundNice,
    Optional<String> webhookPathSecret,
    List<String> trustedProxies,
    List<String> allowedUpdates,
    int maxConnections,
    Alerts alerts,
    Duration embeddedRetention,
    Duration actionTimeout,
    Duration idempotencyKeep,
    Optional<LocalTime> dailyReportAt,
    Duration autoCloseAfterRestore) {

  public static final String TRUSTED_PROXIES = "webhook.trusted-proxies";
  private static final Pattern PATH_SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  /** Thresholds of the backlog monitor; crossing one alerts the supervisors, once, until recovered. */
  public record Alerts(
      Duration checkEvery,
      long inboxBacklog,
      long outboxBacklog,
      Duration oldestUndelivered,
      long webhookPending,
      Duration workerSilent,
      Duration waitingLine,
      Duration oldestUnapplied) {}

  /**
   * Relay mode relays a customer's edited private messages, and Telegram sends {@code edited_message}
   * only to a bot that asks for it: added after {@code message} unless the list leaves messages out.
   */
  public OperationsConfig relaying(boolean relay) {
    if (!relay || !allowedUpdates.contains("message") || allowedUpdates.contains("edited_message")) {
      return this;
    }
    List<String> wanted = new java.util.ArrayList<>(allowedUpdates);
    wanted.add(wanted.indexOf("message") + 1, "edited_message");
    return new OperationsConfig(maxInboxBacklog, dispatchConcurrency, backgroundNice, webhookPathSecret,
        trustedProxies, List.copyOf(wanted), maxConnections, alerts, embeddedRetention, actionTimeout, idempotencyKeep,
        dailyReportAt, autoCloseAfterRestore);
  }

  /**
   * alerts.oldest-unapplied's default. A delivered update is applied in its workflow's next task,
   * within seconds; lifecycle rules 13 lets a ticket leave its backlog alone for up to 2 min after an
   * outage (TicketWorkflowImpl.BACKLOG_GRACE) and a worker restart takes the worker-silent window
   * (90 s) at worst, so 3 min is above both plus a look of the monitor (30 s).
   */
  static final Duration OLDEST_UNAPPLIED = Duration.ofMinutes(3);

  public static OperationsConfig defaults() {
    return new OperationsConfig(10_000, 8, 15, Optional.empty(), List.of(), List.of("message"), 40,
        new Alerts(Duration.ofSeconds(30), 1_000, 500, Duration.ofMinutes(5), 100, Duration.ofSeconds(90),
            Duration.ofMinutes(5), OLDEST_UNAPPLIED),
        Duration.ofDays(1), Duration.ofSeconds(10), Duration.ofDays(1), Optional.empty(), Duration.ofMinutes(2));
  }

  /** @throws ConfigException naming the key of the first wrong value */
  public static OperationsConfig read(Config c) {
    return ValueMappers.reading(() -> checked(c));
  }

  private static OperationsConfig checked(Config c) {
    OperationsConfig d = defaults();
    Config w = c.get("webhook");
    Optional<String> pathSecret =
        w.get("path-secret").asString().map(String::strip).filter(s -> !s.isEmpty() && !s.equals("null"));
    pathSecret.ifPresent(
        s -> {
          if (!PATH_SECRET.matcher(s).matches()) {
            throw new ConfigException("webhook.path-secret must be 16-128 characters of A-Za-z0-9_- (unguessable)");
          }
        });
    int maxConnections = w.get("max-connections").asInt().orElse(d.maxConnections());
    if (maxConnections < 1 || maxConnections > 100) {
      throw new ConfigException("webhook.max-connections must be 1-100 (Telegram's range)");
    }
    long maxBacklog = c.get("ingress.max-backlog").asLong().orElse(d.maxInboxBacklog());
    if (maxBacklog < 1) {
      throw new ConfigException("ingress.max-backlog must be at least 1");
    }
    int concurrency = c.get("ingress.dispatch-concurrency").asInt().orElse(d.dispatchConcurrency());
    if (concurrency < 1 || concurrency > 1_000) {
      throw new ConfigException("ingress.dispatch-concurrency must be 1-1000 (tickets delivered to Temporal at once)");
    }
    int backgroundNice = c.get("ingress.background-nice").asInt().orElse(d.backgroundNice());
    if (backgroundNice < 0 || backgroundNice > 19) {
      throw new ConfigException("ingress.background-nice must be 0-19 (Linux nice of the work behind the webhook; 0 = off)");
    }
    Config a = c.get("alerts");
    Alerts alerts =
        new Alerts(
            duration(a, "check-every", d.alerts().checkEvery()),
            a.get("inbox-backlog").asLong().orElse(d.alerts().inboxBacklog()),
            a.get("outbox-backlog").asLong().orElse(d.alerts().outboxBacklog()),
            duration(a, "oldest-undelivered", d.alerts().oldestUndelivered()),
            a.get("webhook-pending").asLong().orElse(d.alerts().webhookPending()),
            duration(a, "worker-silent", d.alerts().workerSilent()),
            duration(a, "waiting-line", d.alerts().waitingLine()),
            duration(a, "oldest-unapplied", d.alerts().oldestUnapplied()));
    return new OperationsConfig(
        maxBacklog,
        concurrency,
        backgroundNice,
        pathSecret,
        Cidr.checked(TRUSTED_PROXIES, w.get("trusted-proxies").asList(String.class).orElse(d.trustedProxies())),
        w.get("allowed-updates").asList(String.class).orElse(d.allowedUpdates()),
        maxConnections,
        alerts,
        duration(c.get("temporal"), "embedded-retention", d.embeddedRetention()),
        duration(c.get("temporal"), "action-timeout", d.actionTimeout()),
        duration(c.get("api"), "idempotency-keep", d.idempotencyKeep()),
        timeOfDay(c.get("reports"), "daily-at"),
        duration(c.get("temporal"), "auto-close-after-restore", d.autoCloseAfterRestore()));
  }

  private static final Pattern TIME_OF_DAY = Pattern.compile("([01]?[0-9]|2[0-3]):[0-5][0-9]");

  /**
   * An {@code HH:MM} of the 24-hour clock; empty when not set. Unquoted, YAML 1.1 reads {@code 10:30}
   * as the base-60 number 630: a whole number of 60 to 1439 is taken for that reading.
   */
  private static Optional<LocalTime> timeOfDay(Config parent, String key) {
    Optional<String> v = parent.get(key).asString().asOptional().map(String::strip)
        .filter(s -> !s.isEmpty() && !s.equals("null"));
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get().matches("[0-9]{2,4}") && Integer.parseInt(v.get()) >= 60 && Integer.parseInt(v.get()) < 24 * 60) {
      return Optional.of(LocalTime.ofSecondOfDay(Integer.parseInt(v.get()) * 60L));
    }
    if (!TIME_OF_DAY.matcher(v.get()).matches()) {
      throw new ConfigException(parent.key() + "." + key + ": '" + v.get()
          + "' is not a time of day as HH:MM such as 09:00");
    }
    String[] hm = v.get().split(":");
    return Optional.of(LocalTime.of(Integer.parseInt(hm[0]), Integer.parseInt(hm[1])));
  }

  private static Duration duration(Config parent, String key, Duration fallback) {
    Optional<String> v = parent.get(key).asString().asOptional();
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      Duration parsed = Duration.parse(v.get().strip());
      if (parsed.isNegative() || parsed.isZero()) {
        throw new IllegalArgumentException();
      }
      return parsed;
    } catch (RuntimeException e) {
      throw new ConfigException(parent.key() + "." + key + ": '" + v.get() + "' is not a positive ISO-8601 duration such as PT30S");
    }
  }
}
