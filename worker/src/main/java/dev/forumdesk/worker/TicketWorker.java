package dev.forumdesk.worker;

import dev.forumdesk.retry.Backoff;
import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the ticket workflow and its activities on the task queue and starts polling. */
public final class TicketWorker implements AutoCloseable {
  static final int WORKFLOW_CACHE = 2_000;
  /** How long close waits for tasks in flight, and again after stopping them. */
  static final Duration GRACE = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(TicketWorker.class);
  /** Between attempts to reach a Temporal frontend that did not answer at start. */
  static final Backoff REACH = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

  private final WorkerFactory factory;
  private final String namespace;
  private volatile Thread starter;
  private volatile boolean closed;

  public TicketWorker(WorkflowClient client, String taskQueue, Object... activities) {
    this.namespace = client.getOptions().getNamespace();
    // Every open ticket is a cached, sticky workflow, and a cached workflow keeps its thread
    // parked. The SDK's default of 600 made tickets beyond the 600th replay from history on every
    // event (open-tickets benchmark). Virtual workflow threads would lift the thread bound, but
    // they run the workflows' CPU work on the scheduler that also serves the webhook's virtual
    // threads, and the ack waited seconds behind them (measured; BENCHMARKS.md): platform threads.
    // an activity failing on the database in an outage: a line per outage, not a stack trace per try
    this.factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(WORKFLOW_CACHE)
        .setMaxWorkflowThreadCount(WORKFLOW_CACHE)
        .setWorkerInterceptors(new DatabaseOutages(java.time.Clock.systemUTC()))
        .build());
    // The default 1 s deadlock detector misfires on a loaded 2-core machine while classes load in
    // the first workflow task; a stuck workflow is still reported, a few seconds later.
    Worker worker = factory.newWorker(taskQueue,
        WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(5_000).build());
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
  }

  /**
   * Starts polling. The SDK asks the frontend for the namespace first; when that fails (a cluster
   * that is not up yet, a docker compose start order, a network outage) this keeps trying in the
   * background instead of failing the process: the webhook stores updates in the inbox meanwhile,
   * and the dispatcher delivers them once Temporal answers. {@code /observe/health} says DOWN until
   * then.
   */
  public TicketWorker start() {
    if (!tryStart(0)) {
      starter = Thread.ofPlatform().name("worker-start").daemon().start(this::startWhenReachable);
    }
    return this;
  }

  /** Whether the worker polls its task queue. */
  public boolean polling() {
    return factory.isStarted();
  }

  private void startWhenReachable() {
    for (int attempt = 1; !closed; attempt++) {
      try {
        Thread.sleep(REACH.after(attempt));
      } catch (InterruptedException e) {
        return;
      }
      if (tryStart(attempt)) {
        log.info("Temporal answered: the worker polls now (namespace {}, after {} attempts)", namespace, attempt + 1);
        return;
      }
    }
  }

  /** One attempt; a failure is logged in one line (the first, then every tenth). */
  private boolean tryStart(int attempt) {
    try {
      synchronized (factory) {
        if (!closed) {
          factory.start();
        }
      }
      return true;
    } catch (StatusRuntimeException e) {
      if (attempt % 10 == 0) {
        log.warn("Temporal does not answer ({}) for namespace {}; the worker keeps trying, updates wait in the inbox",
            e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()),
            namespace);
      }
      return false;
    }
  }

  /**
   * Stops polling and lets the tasks in flight finish, for {@link #GRACE} at most; the outbox
   * sender stopped before (an activity waiting for it ends at once) and the database closes after.
   * What is still running then is left to end with the process, not interrupted: an interrupt
   * landed in the activities' writes and closed the embedded database under everything else (audit
   * 10, F3). A task left so is retried by Temporal, or redelivered from the inbox, as after a crash.
   */
  @Override
  public void close() {
    closed = true;
    Thread t = starter;
    if (t != null) {
      t.interrupt();
    }
    synchronized (factory) {
      if (!factory.isStarted()) {
        return; // Temporal never answered: nothing polls, and the SDK's shutdown would call it
      }
      factory.shutdown();
    }
    factory.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("worker tasks still running {} s after the stop began: left to end with the process, not"
          + " interrupted; Temporal runs them again after the restart", GRACE.toSeconds());
    }
  }

}
