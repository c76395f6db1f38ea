package dev.forumdesk.app;

import dev.forumdesk.telegram.WebhookInfo;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.AlertIncidents;
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
 * WARN and posts one staff alert (re-registered, or could not be, then one more when it is), once
 * across the webhook replicas on one database ({@link AlertIncidents}). The backoff carries over to
 * an incident that follows within {@link #CALM_AFTER} of the last, and alerts are that far apart at
 * least, so two deployments fighting over one bot set it at most
 * every {@link WebhookRegistration#MAX_RETRY} and tell of it every ten minutes.
 */
final class WebhookWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookWatch.class);
  /** The webhook stayed ours this long: the next incident starts the backoff afresh. */
  static final Duration CALM_AFTER = Duration.ofMinutes(10);
  private static final Backoff BACKOFF = new Backoff(WebhookRegistration.FIRST_RETRY, WebhookRegistration.MAX_RETRY);

  /** The condition's name in the shared incidents ({@link AlertIncidents}) and the alerts' keys. */
  static final String CONDITION = "webhook-changed";

  /**
   * Telegram's webhook not ours since {@code since} (as this process saw it); {@code told}: its
   * alert is decided (posted here, by another replica, or left out within {@link #CALM_AFTER} of
   * the last); {@code shared}: the start of the incident the replicas share, unless it was left
   * out; {@code attemptsBefore}: setWebhooks of earlier incidents.
   */
  private record Incident(Instant since, String what, boolean told, Optional<Instant> shared, int attemptsBefore) {
    Incident told(Optional<Instant> shared) {
      return new Incident(since, what, true, shared, attemptsBefore);
    }
  }

  /**
   * What the watch knows between looks: the incident under way, the setWebhooks made since the
   * webhook was last calm, when the next may be made, and when the last incident ended.
   */
  private record State(Optional<Incident> incident, int attempts, Instant nextAttempt, Instant lastIncidentEnd) {
    static final State CALM = new State(Optional.empty(), 0, Instant.MIN, Instant.MIN);

    State with(Incident i) {
      return new State(Optional.of(i), attempts, nextAttempt, lastIncidentEnd);
    }

    /** A setWebhook now; the next waits its backoff, also after a success (a change right after waits its turn). */
    State attempted(Instant now) {
      return new State(incident, attempts + 1, now.plus(BACKOFF.after(attempts)), lastIncidentEnd);
    }

    /** Ours again: the incident, if any, ends; calm for {@link #CALM_AFTER} since the last, the backoff starts afresh. */
    State ours(Instant now) {
      Instant end = incident.isPresent() ? now : lastIncidentEnd;
      return new State(Optional.empty(), now.isAfter(end.plus(CALM_AFTER)) ? 0 : attempts, nextAttempt, end);
    }
  }

  private final WebhookInfo info;
  private volatile WebhookRegistration registration;
  private final String ours;
  private final SupervisorNotices notices;
  private final AlertIncidents incidents;
  private final Duration checkEvery;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-watch").daemon().factory());
  /** Set once our setWebhook got through: before that the start-up registration is still trying. */
  private volatile boolean registered;
  private State state = State.CALM;

  WebhookWatch(WebhookInfo info, String ours, SupervisorNotices notices, AlertIncidents incidents, Duration checkEvery,
      Clock clock) {
    this.info = info;
    this.ours = ours;
    this.notices = notices;
    this.incidents = incidents;
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
    if (!w.reachable() || w.late() || w.url().isEmpty()) {
      // Telegram did not answer (in time): nothing known (the telegram check says so); a late
      // look's last answer may be from before our own setWebhook
      return;
    }
    Instant now = clock.instant();
    if (w.url().get().equals(ours)) {
      state.incident().ifPresent(i -> recovered(i, now));
      state = state.ours(now);
      return;
    }
    Incident i = state.incident().orElseGet(() -> {
      String what = w.url().get().isEmpty() ? "removed" : "changed to " + shown(w.url().get());
      log.warn("Telegram's webhook was {}, not by this process: Telegram delivers no updates here; registering ours"
          + " again", what);
      return new Incident(now, what, false, Optional.empty(), state.attempts());
    });
    i.shared().ifPresent(since -> incidents.seen(CONDITION, since, now));
    if (now.isBefore(state.nextAttempt())) {
      state = state.with(i);
      return;
    }
    SendOutcome outcome = registration.registerAgain();
    state = state.attempted(now);
    if (outcome instanceof SendOutcome.Sent) {
      // our setWebhook tells health's getWebhookInfo to ask again: the next look closes it
      state = state.with(i.told() ? i : alert(i, now, "re-registered.", false));
      return;
    }
    log.info("setWebhook again failed (attempt {}), next in {} ms: {}", state.attempts(),
        Duration.between(now, state.nextAttempt()).toMillis(), outcome);
    state = state.with(i.told() ? i : alert(i, now, "could not re-register: " + Html.escape(reason(outcome))
        + ". Retrying; Telegram delivers no updates here until it works.", true));
  }

  /**
   * The incident's one alert, from the replica that opens it among those watching this bot; none
   * within {@link #CALM_AFTER} of the last (the WARN still says it).
   *
   * @param failed the alert says it could not be set again: its end is told too
   */
  private Incident alert(Incident i, Instant now, String outcome, boolean failed) {
    Optional<AlertIncidents.Incident> shared = incidents.active(CONDITION, now, CALM_AFTER, failed);
    shared.filter(AlertIncidents.Incident::here).ifPresent(s -> notices.notice(
        "alert:" + CONDITION + ":" + s.since().toEpochMilli(),
        "🚨 Forumdesk: the Telegram webhook was " + Html.escape(i.what()) + " (not by Forumdesk); " + outcome));
    return i.told(shared.map(AlertIncidents.Incident::since));
  }

  /** Ours again: the end of an incident whose alert said it could not be set, told by the replica that closes it. */
  private void recovered(Incident i, Instant now) {
    i.shared().flatMap(since -> incidents.over(CONDITION, since)).filter(AlertIncidents.Incident::tellEnd)
        .ifPresent(s -> notices.notice("recovered:" + CONDITION + ":" + s.since().toEpochMilli(),
            "✅ Forumdesk recovered: the Telegram webhook is registered again (" + (state.attempts() - i.attemptsBefore())
                + " attempts, " + Duration.between(i.since(), now).toSeconds() + " s without updates)."));
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
