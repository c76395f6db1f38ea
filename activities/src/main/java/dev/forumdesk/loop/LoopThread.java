package dev.forumdesk.loop;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a component that loops until it is closed (the outbox sender, the
 * inbox's dispatcher and group-commit writer, the help-desk sync): the loop runs while {@link
 * #running()}; {@link #close()} ends it, wakes it from a park and waits for its pass to finish.
 */
public final class LoopThread implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoopThread.class);
  /** How long a close waits for the pass under way (a Telegram call, a commit) before it gives up. */
  static final Duration STOP_WITHIN = Duration.ofSeconds(5);

  private final Thread thread;
  private volatile boolean running = true;

  /** @param loop runs on a daemon platform thread of this name, checking {@link #running()} */
  public LoopThread(String name, Runnable loop) {
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(loop);
  }

  public LoopThread start() {
    thread.start();
    return this;
  }

  /** False once closed: the loop stops at its next check. */
  public boolean running() {
    return running;
  }

  /** Ends the loop's park ({@link LockSupport#parkNanos}) now: there is work. */
  public void wake() {
    LockSupport.unpark(thread);
  }

  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(STOP_WITHIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (thread.isAlive()) {
      log.warn("{} did not stop within {} s; left to end with the process", thread.getName(), STOP_WITHIN.toSeconds());
    }
  }
}
