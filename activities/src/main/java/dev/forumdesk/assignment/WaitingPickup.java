package dev.forumdesk.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the waiting line on its own thread whenever capacity may have freed, so the activity that
 * freed it (a projection, a command) does not wait for the assignments. Causes that arrive while a
 * round runs are served together in the next one.
 *
 * <p>Every {@link #SWEEP_EVERY} without a cause it also sweeps: serves the line (a freed slot whose
 * cause was lost) and tells again tickets the line assigned whose workflow has not recorded it (a
 * failed tell). One query a minute here replaces a retry timer in each waiting ticket: with 10,000
 * waiting, those timers kept both cores busy (open-tickets benchmark).
 */
public final class WaitingPickup implements CapacityFreed, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WaitingPickup.class);
  /** Its work while the database is unavailable: a line per outage, not a WARN each (audit 21b F5). */
  private final dev.forumdesk.store.DatabaseOutageLog databaseDown = new dev.forumdesk.store.DatabaseOutageLog(log,
      "the waiting line", "waiting tickets wait for an agent");
  /** Causes are only for people reading the audit: a burst of resolves is not listed in full. */
  private static final int MAX_CAUSES = 3;

  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  /** A ticket assigned this recently may be recording it right now: no need to tell it again. */
  static final Duration TELL_GRACE = Duration.ofMinutes(1);

  private final Assigner assigner;
  /** null: never sweeps ({@link #whenTold}). */
  private final Duration sweepEvery;
  private final Set<String> causes = new LinkedHashSet<>();
  private int moreCauses;
  private Thread thread;
  private boolean closed;

  public WaitingPickup(Assigner assigner) {
    this(assigner, SWEEP_EVERY);
  }

  WaitingPickup(Assigner assigner, Duration sweepEvery) {
    this.assigner = assigner;
    this.sweepEvery = sweepEvery;
  }

  /**
   * A pickup that serves the line only when told and never sweeps: for a process apart from the
   * worker, whose own pickup sweeps (the webhook role, where /away and /back typed outside a ticket
   * arrive). The line is in the database, and assignments lock its agent rows, so a pickup in
   * another process serves it as safely as the worker's.
   */
  public static WaitingPickup whenTold(Assigner assigner) {
    return new WaitingPickup(assigner, null);
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
      boolean sweep;
      synchronized (this) {
        long deadline = sweepEvery == null ? 0 : System.nanoTime() + sweepEvery.toNanos();
        while (causes.isEmpty() && !closed && (sweepEvery == null || System.nanoTime() < deadline)) {
          try {
            wait(sweepEvery == null ? 0 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        sweep = causes.isEmpty();
        cause = String.join(", ", causes) + (moreCauses > 0 ? " and " + moreCauses + " more" : "");
        causes.clear();
        moreCauses = 0;
      }
      if (sweep) {
        sweep();
      } else {
        serve(cause);
      }
    }
  }

  private void sweep() {
    try {
      int released = assigner.releaseFinished();
      databaseDown.succeeded();
      if (released > 0) {
        log.info("{} assignments of finished tickets still counted towards a load (a resolve raced them); released",
            released);
      }
    } catch (RuntimeException e) {
      if (!databaseDown.failed(e)) {
        log.warn("releasing finished tickets' assignments failed: {}", e.toString());
      }
    }
    serve("periodic check");
    try {
      List<String> told = assigner.retellUntold(Instant.now().minus(TELL_GRACE));
      databaseDown.succeeded();
      if (!told.isEmpty()) {
        log.info("told {} assigned tickets again whose workflows had not recorded it, first {}", told.size(),
            told.subList(0, Math.min(5, told.size())));
      }
    } catch (RuntimeException e) {
      if (!databaseDown.failed(e)) {
        log.warn("the waiting line's sweep failed: {}", e.toString());
      }
    }
  }

  private void serve(String cause) {
    try {
      var served = assigner.serveLine(cause);
      databaseDown.succeeded();
      if (!served.isEmpty()) {
        log.info("capacity freed ({}): {} waiting tickets assigned", cause, served.size());
      }
    } catch (RuntimeException e) {
      // the next freed slot or sweep tries again
      if (!databaseDown.failed(e)) {
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
