package dev.forumdesk.worker;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around the test server's time-lock log (temporal-test-server 1.38.0, the newest release).
 * Its {@code SelfAdvancingTimerImpl} appends an event to a {@code LinkedList} on every lock and
 * unlock of time skipping, two for each workflow task and activity, and removes only the events of
 * timer tasks, each by a scan from the head. The list never shrinks: in a long-running embedded
 * server it grows by about 14 events per ticket, and every timer that fires (each workflow task's
 * timeout among them) scans all events ever logged while holding the lock every server call takes.
 * With 10,000 tickets that scan was 91 % of the process's CPU. The list only feeds diagnostics of
 * unbalanced locks, so we swap in one that keeps nothing.
 */
final class TimeLockLog {
  private static final Logger log = LoggerFactory.getLogger(TimeLockLog.class);

  private TimeLockLog() {}

  /** Makes the server's log keep nothing; logs a warning and leaves it if the server's shape changed. */
  static void trim(TestServicesStarter services) {
    try {
      Object timer = TestServerInternals.timer(services);
      logField(timer).set(timer, new KeepsNothing<>());
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("could not trim the embedded Temporal server's time-lock log ({}); it grows with every workflow"
          + " task, so restart the embedded server now and then or use a Temporal cluster", e.toString());
    }
  }

  /** Events the server's log holds now: 0 once trimmed, 2 or more from its start-up otherwise. */
  static int size(TestServicesStarter services) {
    try {
      Object timer = TestServerInternals.timer(services);
      return ((List<?>) logField(timer).get(timer)).size();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field logField(Object timer) throws ReflectiveOperationException {
    return TestServerInternals.field(timer.getClass(), "lockEvents");
  }

  /** Accepts every event and finds every one it is asked to remove: the server's balance checks stay quiet. */
  private static final class KeepsNothing<E> extends LinkedList<E> {
    @Override
    public boolean add(E e) {
      return true;
    }

    @Override
    public boolean remove(Object o) {
      return true;
    }
  }
}
