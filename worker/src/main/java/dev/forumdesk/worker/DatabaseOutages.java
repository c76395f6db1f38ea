package dev.forumdesk.worker;

import dev.forumdesk.log.OncePer;
import dev.forumdesk.store.DatabaseOutage;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ticket's activity that fails because the database cannot be used (PostgreSQL stopped,
 * restarting or unreachable, no pooled connection in time) is retried by Temporal until the database
 * answers: expected, so the worker says it in one line when the activities start failing, at most
 * one more a minute while they still fail, and one when they go through again. Before, the SDK
 * logged each failed try as a WARN with a stack trace of ~50 frames (1,732 stack lines in a 56-s
 * outage: audit 20b, F2). Such a failure leaves the activity as a benign {@link ApplicationFailure}
 * of type {@value #TYPE} with the cause in one line and no stack (the SDK logs benign failures at
 * DEBUG), retried by the workflow's retry options as before. Every other failure is left as it is.
 */
final class DatabaseOutages extends WorkerInterceptorBase {
  static final String TYPE = "DatabaseUnavailable";
  /** How often a line says the activities still fail; an outage with no failure for as long is over. */
  static final Duration STILL_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(DatabaseOutages.class);

  private final Clock clock;
  /** The outage the activities are in, if any; guarded by this. */
  private Outage outage;
  /** When the last outage was told over; guarded by this. */
  private Instant recovered = Instant.MIN;

  private final class Outage {
    final Instant since;
    /** Its "still" lines; the first line counts as the first minute's. */
    final OncePer still = new OncePer(STILL_EVERY, clock);
    Instant lastFailure;
    int failures;
    /** The activities (workflow id and activity id, the same over their tries) that failed in it. */
    final Set<String> failed = new HashSet<>();

    Outage(Instant since) {
      this.since = since;
      this.lastFailure = since;
      still.mark();
    }
  }

  DatabaseOutages(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String activity = "";

      @Override
      public void init(ActivityExecutionContext context) {
        activity = context.getInfo().getWorkflowId() + "/" + context.getInfo().getActivityId();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        Instant started = clock.instant();
        ActivityOutput output;
        try {
          output = super.execute(input);
        } catch (TemporalFailure deliberate) { // an ApplicationFailure the activity chose: its own kind
          throw deliberate;
        } catch (RuntimeException e) {
          Optional<String> why = DatabaseOutage.of(e);
          if (why.isEmpty()) {
            throw e;
          }
          failed(activity, why.get(), started);
          throw ApplicationFailure.newBuilder().setType(TYPE).setMessage("the database is unavailable: " + why.get())
              .setCategory(ApplicationErrorCategory.BENIGN).build();
        }
        succeeded(activity);
        return output;
      }
    };
  }

  /**
   * A try that failed on the database. One that began before the last outage was told over (it
   * waited for a pooled connection the restart took) belongs to that outage: it opens no new one
   * (audit 21b F3: "answers again", "unavailable", "answers again" within 0.4 s); its activity is
   * retried as any other, and the tries begun since tell whether the database is away again.
   */
  synchronized void failed(String activity, String why, Instant started) {
    Instant now = clock.instant();
    if (outage == null && started.isBefore(recovered)) {
      log.debug("a try begun before the database answered again failed ({}); retried", why);
      return;
    }
    if (outage == null || !now.isBefore(outage.lastFailure.plus(STILL_EVERY))) {
      outage = new Outage(now);
      log.warn("the database is unavailable ({}): the tickets' activities are retried until it answers"
          + " (said once per outage, then at most once a minute)", why);
    } else {
      outage.still.run(() -> log.warn("the database is still unavailable ({}) after {} s: {} tries of the tickets'"
          + " activities failed so far, retried until it answers", why, Duration.between(outage.since, now).toSeconds(),
          outage.failures + 1));
    }
    outage.failures++;
    outage.lastFailure = now;
    outage.failed.add(activity);
  }

  synchronized void succeeded(String activity) {
    if (outage != null && outage.failed.contains(activity)) {
      log.info("the database answers again: the tickets' activities go on ({} tries failed over {} s)",
          outage.failures, Duration.between(outage.since, clock.instant()).toSeconds());
      outage = null;
      recovered = clock.instant();
    }
  }
}
