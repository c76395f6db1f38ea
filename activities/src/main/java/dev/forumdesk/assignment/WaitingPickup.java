package dev.forumdesk.assignment;

import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the waiting line on its own thread whenever capacity may have freed, so the activity that
 * freed it (a projection, a command) does not wait for the assignments. Causes that arrive while a
 * round runs are served together in the next one.
 */
public final class WaitingPickup implements CapacityFreed, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WaitingPickup.class);
  /** Causes are only for people reading the audit: a burst of resolves is not listed in full. */
  private static final int MAX_CAUSES = 3;

  private final Assigner assigner;
  private final Set<String> causes = new LinkedHashSet<>();
  private int moreCauses;
  private Thread thread;
  private boolean closed;

  public WaitingPickup(Assigner assigner) {
    this.assigner = assigner;
  }

  public WaitingPickup start() {
    thread = Thread.ofVirtual().name("waiting-pickup").start(this::run);
    return this;
  }

  @Override
  public synchronized void freed(String cause) {
    if (causes.size() < MAX_CAUSES) {
      causes.add(cause);
    } else {
      moreCauses++;
    }
    notifyAll();
  }

  private void run() {
    while (true) {
      String cause;
      synchronized (this) {
        while (causes.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        cause = String.join(", ", causes) + (moreCauses > 0 ? " and " + moreCauses + " more" : "");
        causes.clear();
        moreCauses = 0;
      }
      try {
        var served = assigner.serveLine(cause);
        if (!served.isEmpty()) {
          log.info("capacity freed ({}): {} waiting tickets assigned", cause, served.size());
        }
      } catch (RuntimeException e) {
        // the tickets keep their retry timers; the next freed slot tries again
        log.warn("serving the waiting line failed ({}): {}", cause, e.toString());
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
