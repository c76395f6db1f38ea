package dev.forumdesk.ticket;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Which stub a workflow calls its short database activities through. Since version 1 of
 * {@value #CHANGE} they run as local activities: the worker runs them inside the workflow task
 * and records one marker, instead of scheduling an activity task through the server, polling it,
 * completing it and running another workflow task for its result. A new ticket made about ten
 * such calls; as local activities the whole JVM (embedded server, worker, app) spent about a third
 * less CPU per ticket (open-tickets benchmark, BENCHMARKS.md). Calls that leave the machine and
 * may take seconds (CRM, Telegram's createForumTopic) stay ordinary activities.
 *
 * <p>Histories recorded before the marker replay with the ordinary stubs.
 */
public final class LocalActivities {
  /**
   * Every local activity stub's schedule-to-close timeout. The Java SDK does not retry a local
   * activity at all when it has neither a schedule-to-close timeout nor a maximum of attempts
   * (sdk-java#1727): with unlimited attempts and no such timeout, one connection-pool timeout
   * under load failed a projection, and with it the whole ticket workflow (open-tickets benchmark,
   * 1 of 10,000 tickets). With it, a failing call retries by its backoff (locally, then on
   * durable timers) for up to a week before the workflow sees the failure.
   */
  public static final Duration RETRY_WINDOW = Duration.ofDays(7);

  /** The version marker; one per workflow run, recorded at the first database call. */
  public static final String CHANGE = "local-activities";

  private LocalActivities() {}

  /** {@code local} on runs that recorded the marker (every new run), {@code remote} on older ones. */
  public static <T> T pick(T local, T remote) {
    return Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1 ? local : remote;
  }
}
