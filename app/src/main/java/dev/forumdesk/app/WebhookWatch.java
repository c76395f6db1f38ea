package dev.forumdesk.app;

import dev.forumdesk.observe.WebhookInfo;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.retry.Backoff;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.ticket.Html;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once Forumdesk has registered its webhook, someone else may change or delete it (a setWebhook by
 * hand, another deployment of the same bot): Telegram then delivers nothing here, and nothing else
 * would say so but the health check. Every {@code alerts.check-every} this reads getWebhookInfo
 * (the cached answer health reads too) and, while the URL is not ours, registers ours again (the
 * same secret token, allowed updates and max connections) with backoff; each incident logs one
 * WARN and posts one staff alert (re-registered, or could not be, then one more when it is). The
 * backoff carries over to an incident that follows within {@link #CALM_AFTER} of the last, and
 * alerts are that far apart at least, so two deployments fighting over one bot set it at most
 * every {@link WebhookRegistration#MAX_RETRY} and tell of it every ten minutes.
 */
final class WebhookWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookWatch.class);
  /** The webhook stayed ours this long: the next incident starts the backoff afresh. */
  static final Duration CALM_AFTER = Duration.ofMinutes(10);
  private static final Backoff BACKOFF = new Backoff(WebhookRegistration.FIRST_RETRY, WebhookRegistration.MAX_RETRY);

  /**
   * Telegram's webhook not ours since {@code since}; {@code alerted}: its one alert is posted (or
   * left out, within {@link #CALM_AFTER} of the last); {@code failed}: the alert said it could not
   * be set again, so its end is told too; {@code attemptsBefore}: setWebhooks of earlier incidents.
   */
  private record Incident(Instant since, String what, boolean alerted, boolean failed, int attemptsBefore) {
    Incident told(boolean failed) {
      return new Incident(since, what, true, failed, attemptsBefore);
    }
  }

  private final WebhookInfo info;
  private volatile WebhookRegistration registration;
  private final String ours;
  private final SupervisorNotices notices;
  private final Duration checkEvery;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-watch").daemon().factory());
  /** Set once our setWebhook got through: before that the start-up registration is still trying. */
  private volatile boolean registered;
  private Optional<Incident> incident = Optional.empty();
  private int attempts;
  private Instant nextAttempt = Instant.MIN;
  private Instant lastIncidentEnd = Instant.MIN;
  private Instant lastAlert = Instant.MIN;

  WebhookWatch(WebhookInfo info, String ours, SupervisorNotices notices, Duration checkEvery, Clock clock) {
    this.info = info;
    this.ours = ours;
    this.notices = notices;
    this.checkEvery = checkEvery;
    this.clock = clock;
  }

  /** Our setWebhook got through (at start or again). */
  void registered() {
    registered = true;
  }

  /** @param registration the one whose success {@link #registered()} is told of */
  WebhookWatch start(WebhookRegistration registration) {
    this.registration = registration;
    long every = checkEvery.toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (RuntimeException e) {
        log.warn("webhook check failed: {}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One look; package-visible so tests can tick it. */
  synchronized void check() {
    if (!registered) {
      return;
    }
    WebhookInfo.Snapshot w = info.current();
    if (!w.reachable() || w.url().isEmpty()) {
      return; // Telegram did not answer: nothing known (the telegram check says so)
    }
    Instant now = clock.instant();
    if (w.url().get().equals(ours)) {
      incident.ifPresent(i -> {
        lastIncidentEnd = now;
        if (i.failed()) {
          notices.notice("recovered:webhook-changed:" + i.since().toEpochMilli(),
              "✅ Forumdesk recovered: the Telegram webhook is registered again (" + (attempts - i.attemptsBefore())
                  + " attempts, "
                  + Duration.between(i.since(), now).toSeconds() + " s without updates).");
        }
      });
      incident = Optional.empty();
      if (now.isAfter(lastIncidentEnd.plus(CALM_AFTER))) {
        attempts = 0;
      }
      return;
    }
    if (incident.isEmpty()) {
      String what = w.url().get().isEmpty() ? "removed" : "changed to " + shown(w.url().get());
      incident = Optional.of(new Incident(now, what, false, false, attempts));
      log.warn("Telegram's webhook was {}, not by this process: Telegram delivers no updates here; registering ours"
          + " again", what);
    }
    if (now.isBefore(nextAttempt)) {
      return;
    }
    Incident i = incident.get();
    SendOutcome outcome = registration.registerAgain();
    attempts++;
    nextAttempt = now.plus(BACKOFF.after(attempts - 1)); // also after a success: a change right after waits its turn
    if (outcome instanceof SendOutcome.Sent) {
      if (!i.alerted()) {
        alert(i, now, "re-registered.", false);
      }
      return; // our setWebhook tells health's getWebhookInfo to ask again: the next look closes it
    }
    log.info("setWebhook again failed (attempt {}), next in {} ms: {}", attempts,
        Duration.between(now, nextAttempt).toMillis(), outcome);
    if (!i.alerted()) {
      alert(i, now, "could not re-register: " + Html.escape(reason(outcome))
          + ". Retrying; Telegram delivers no updates here until it works.", true);
    }
  }

  /** The incident's one alert; none within {@link #CALM_AFTER} of the last (the WARN still says it). */
  private void alert(Incident i, Instant now, String outcome, boolean failed) {
    boolean quiet = now.isBefore(lastAlert.plus(CALM_AFTER));
    if (!quiet) {
      lastAlert = now;
      notices.notice("alert:webhook-changed:" + i.since().toEpochMilli(), "🚨 Forumdesk: the Telegram webhook was "
          + Html.escape(i.what()) + " (not by Forumdesk); " + outcome);
    }
    incident = Optional.of(i.told(failed && !quiet));
  }

  private static String reason(SendOutcome outcome) {
    return switch (outcome) {
      case SendOutcome.Rejected r -> r.description();
      case SendOutcome.Transient t -> t.description();
      case SendOutcome.RetryAfter r -> "Telegram asked to wait " + r.seconds() + " s";
      case SendOutcome.Sent s -> "sent";
    };
  }

  /** Where another URL points, without its path (which may hold that webhook's path secret). */
  private static String shown(String url) {
    try {
      URI u = URI.create(url);
      return u.getHost() == null ? "another URL" : u.getScheme() + "://" + u.getHost() + "/…";
    } catch (IllegalArgumentException e) {
      return "another URL";
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
