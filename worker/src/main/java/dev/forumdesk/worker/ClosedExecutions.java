package dev.forumdesk.worker;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention for the embedded server. Temporal's test server (temporal-test-server 1.38.0) keeps
 * every execution it ever ran, closed ones included, with its whole history, in memory, and has no
 * retention and no DeleteWorkflowExecution: in a long-running {@code ./forumdesk run} every
 * resolved and closed ticket (and every run a continue-as-new left behind) stayed in the heap until
 * the next restart. A Temporal cluster drops closed executions after its namespace's retention;
 * this does the same here, by reflection like {@link TimeLockLog}: an execution seen closed for
 * {@code retention} is removed from the server's maps. Nothing of Forumdesk reads a closed
 * execution (the read model keeps every ticket), and a new signalWithStart on the same workflow id
 * starts a new run as it would after a cluster's retention. Each sweep also takes the cancelled
 * tasks out of the server's timer queue, which otherwise hold their execution until their due time.
 *
 * <p>Locks: the server's mutable states take its service lock, so the sweep never holds that lock
 * while it asks a state anything: it copies the executions under the lock and decides outside it.
 * It removes under the service lock, and the histories under the store's lock inside it (the store
 * never calls back into the service); the timer queue under the timer's lock alone.
 */
final class ClosedExecutions {
  private static final Logger log = LoggerFactory.getLogger(ClosedExecutions.class);

  private final Duration retention;
  private final Clock clock;
  private final Lock serviceLock;
  private final Map<Object, Object> executions;
  private final Map<Object, Object> executionsByWorkflowId;
  private final Map<Object, Object> executionsByChain;
  private final Lock storeLock;
  private final Map<Object, Object> histories;
  private final Method isTerminalState;
  private final Lock timerLock;
  private final Collection<Object> timerTasks;
  private final Method isCanceled;
  private final Map<Object, Instant> seenClosed = new HashMap<>();

  private ClosedExecutions(TestServicesStarter services, Duration retention, Clock clock) throws ReflectiveOperationException {
    this.retention = retention;
    this.clock = clock;
    Object service = TestServerInternals.workflowService(services);
    this.serviceLock = (Lock) TestServerInternals.get(service, "lock");
    this.executions = map(service, "executions");
    this.executionsByWorkflowId = map(service, "executionsByWorkflowId");
    this.executionsByChain = map(service, "executionsByFirstExecutionRunId");
    Object store = TestServerInternals.workflowStore(services);
    this.storeLock = (Lock) TestServerInternals.get(store, "lock");
    this.histories = map(store, "histories");
    // fail now, not at the first sweep, if a state no longer answers isTerminalState()
    this.isTerminalState =
        Class.forName("io.temporal.internal.testservice.TestWorkflowMutableState").getMethod("isTerminalState");
    this.isTerminalState.setAccessible(true);
    Object timer = TestServerInternals.timer(services);
    this.timerLock = (Lock) TestServerInternals.get(timer, "lock");
    @SuppressWarnings("unchecked")
    Collection<Object> tasks = (Collection<Object>) TestServerInternals.get(timer, "tasks");
    this.timerTasks = tasks;
    this.isCanceled = Class.forName(timer.getClass().getName() + "$TimerTask").getDeclaredMethod("isCanceled");
    this.isCanceled.setAccessible(true);
  }

  /**
   * @return the sweeper, or empty (with a warning) when the server's shape changed and its closed
   *     executions stay in memory as before
   */
  static Optional<ClosedExecutions> of(TestServicesStarter services, Duration retention, Clock clock) {
    try {
      return Optional.of(new ClosedExecutions(services, retention, clock));
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("the embedded Temporal server's closed executions cannot be dropped ({}); they stay in memory"
          + " until a restart, so restart now and then or use a Temporal cluster", e.toString());
      return Optional.empty();
    }
  }

  /**
   * Drops what has been closed for the retention or longer.
   *
   * @return executions dropped now
   */
  synchronized int sweep() {
    Instant now = clock.instant();
    Map<Object, Object> current = copy(serviceLock, executions);
    List<Object> expired = new ArrayList<>();
    Set<Object> expiredStates = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<Object, Object> e : current.entrySet()) {
      if (!isTerminal(e.getValue())) {
        continue;
      }
      Instant closedSince = seenClosed.computeIfAbsent(e.getKey(), k -> now);
      if (!closedSince.plus(retention).isAfter(now)) {
        expired.add(e.getKey());
        expiredStates.add(e.getValue());
      }
    }
    seenClosed.keySet().retainAll(current.keySet());
    purgeCancelledTimers();
    if (expired.isEmpty()) {
      return 0;
    }
    serviceLock.lock();
    try {
      // a workflow id or chain that started a new run points at that run, which stays
      executionsByWorkflowId.values().removeIf(expiredStates::contains);
      executionsByChain.values().removeIf(expiredStates::contains);
      expired.forEach(executions::remove);
      storeLock.lock();
      try {
        expired.forEach(histories::remove);
      } finally {
        storeLock.unlock();
      }
    } finally {
      serviceLock.unlock();
    }
    expired.forEach(seenClosed::remove);
    return expired.size();
  }

  /**
   * The server's timer queue keeps a cancelled task (a deadline the ticket met, a timer of a run
   * that closed) until its due time, and with it the execution's state: with SLA deadlines of a
   * day, a closed ticket stayed in memory a day past its retention. A cancelled task does nothing
   * when due, so it leaves the queue now.
   */
  private void purgeCancelledTimers() {
    timerLock.lock();
    try {
      timerTasks.removeIf(this::isCanceled);
    } finally {
      timerLock.unlock();
    }
  }

  /** Tasks in the server's timer queue, cancelled ones included. */
  int timerTasksQueued() {
    return size(timerLock, timerTasks::size);
  }

  private boolean isCanceled(Object task) {
    try {
      return (Boolean) isCanceled.invoke(task);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Executions the server holds now, open and closed. */
  int held() {
    return size(serviceLock, executions::size);
  }

  /** Histories the server's store holds now. */
  int histories() {
    return size(storeLock, histories::size);
  }

  Duration retention() {
    return retention;
  }

  private boolean isTerminal(Object state) {
    try {
      return (Boolean) isTerminalState.invoke(state);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<Object, Object> copy(Lock lock, Map<Object, Object> map) {
    lock.lock();
    try {
      return new HashMap<>(map);
    } finally {
      lock.unlock();
    }
  }

  private static int size(Lock lock, IntSupplier size) {
    lock.lock();
    try {
      return size.getAsInt();
    } finally {
      lock.unlock();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object owner, String name) throws ReflectiveOperationException {
    return (Map<Object, Object>) TestServerInternals.get(owner, name);
  }
}
