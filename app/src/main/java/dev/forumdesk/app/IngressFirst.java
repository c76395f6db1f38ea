package dev.forumdesk.app;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's acknowledgement before everything else, when one JVM runs it all ({@code dev},
 * {@code run} without a role): the embedded Temporal server, the worker, the dispatcher and the
 * outbox share the cores with the webhook, and Telegram waits for its answer while the rest can
 * queue in the inbox. Every thread off the ack path gets a higher Linux nice value, so under load
 * the scheduler gives the webhook's threads the core first.
 *
 * <p>Measured on two cores at 200 updates/s (BENCHMARKS.md): the rest of the JVM needs more CPU
 * than there is, and without this the ack's p50 was 0.1-0.8 s, waiting for a core; with it
 * p50 14 ms. The processing rate itself does not change: the same work runs, later.
 *
 * <p>Linux gives each thread its own nice value and a new thread inherits its creator's, so a
 * sweep every few seconds lowers the threads it has not seen yet. Raising a thread back (one on the
 * ack path that a background thread created) needs CAP_SYS_NICE; without it that thread stays
 * where it is. Elsewhere than Linux, or without libc through JNA, this does nothing and says so.
 */
public final class IngressFirst implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngressFirst.class);
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final int PRIO_PROCESS = 0;
  /**
   * Most new threads need no sweep: a background thread's children inherit its nice. With 10,000
   * open tickets (thousands of workflow threads coming and going) a sweep every second cost 16 %
   * of a core; every 5 s, reading one file per new thread, it is a small fraction of that.
   */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  /** libc's setpriority(2): on Linux, {@code who} is a thread id. */
  interface CLibrary extends Library {
    int setpriority(int which, int who, int prio);
  }

  private final CLibrary libc;
  private final int nice;
  private final Set<Integer> seen = new HashSet<>();
  private final Thread sweeper;
  private volatile boolean running = true;
  private int lowered;
  private int raised;

  private IngressFirst(CLibrary libc, int nice) {
    this.libc = libc;
    this.nice = nice;
    this.sweeper = Thread.ofPlatform().name("ingress-first").daemon().start(this::run);
  }

  /**
   * @param nice the nice value of the threads off the ack path, 1-19; 0 turns this off
   * @return the running sweeper, or empty when off or not possible here
   */
  public static Optional<IngressFirst> start(int nice) {
    if (nice <= 0) {
      return Optional.empty();
    }
    if (!Files.isDirectory(TASKS)) {
      log.info("ingress.background-nice: no /proc/self/task (not Linux); the webhook shares the CPU evenly");
      return Optional.empty();
    }
    try {
      return Optional.of(new IngressFirst(Native.load("c", CLibrary.class), nice));
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      log.info("ingress.background-nice: libc not reachable through JNA ({}); the webhook shares the CPU evenly", e.toString());
      return Optional.empty();
    }
  }

  /**
   * Whether a thread serves the webhook's ack or the JVM itself, by its OS name (the Java name cut
   * to 15 characters): the carriers of virtual threads (Helidon runs each request on one), Helidon's
   * listeners, the inbox writer whose group commit the ack waits for, and the JVM's own threads
   * (GC and safepoints stop every thread; a slow one stops the ack too).
   */
  static boolean onTheAckPath(String name) {
    return name.startsWith("ForkJoinPool-") // the default scheduler of virtual threads
        || name.startsWith("VirtualThread-") // its unparker
        || name.startsWith("server-@") // Helidon's listeners
        || name.equals("inbox-writer") || name.startsWith("inbox-appends") // the inbox's group commit
        || name.startsWith("VM ") || name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("Signal Dispatch")
        || name.startsWith("Z") // ZGC's concurrent threads (ZDriverMinor, ZWorkerYoung#0, ...): a late cycle stalls allocation
        || name.startsWith("Reference Handl") || name.startsWith("Finalizer") || name.startsWith("Service Thread")
        || name.startsWith("Monitor Deflati");
  }

  private void run() {
    while (running) {
      try {
        sweep();
        Thread.sleep(SWEEP_EVERY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("ingress-first sweep failed; trying again", e);
      }
    }
  }

  /** One pass over the threads not seen before. @return how many it changed */
  int sweep() {
    Set<Integer> now = tids();
    seen.retainAll(now); // a tid used again later is a new thread
    int changed = 0;
    for (int tid : now) {
      if (!seen.add(tid)) {
        continue;
      }
      Optional<ThreadStat> stat = stat(tid);
      if (stat.isEmpty()) {
        continue; // ended meanwhile
      }
      int wanted = onTheAckPath(stat.get().name()) ? 0 : nice;
      if (stat.get().nice() == wanted) {
        continue;
      }
      if (libc.setpriority(PRIO_PROCESS, tid, wanted) == 0) {
        changed++;
        if (wanted > 0) {
          lowered++;
        } else {
          raised++;
        }
      } else if (wanted == 0) {
        log.debug("thread {} ({}) stays at nice {}: raising it needs CAP_SYS_NICE", tid, stat.get().name(), stat.get().nice());
      }
    }
    return changed;
  }

  /** Threads lowered and raised so far. */
  public int[] counts() {
    return new int[] {lowered, raised};
  }

  private static Set<Integer> tids() {
    Set<Integer> tids = new HashSet<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(t -> {
        try {
          tids.add(Integer.parseInt(t.getFileName().toString()));
        } catch (NumberFormatException e) {
          // not a thread
        }
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return tids;
  }

  /** A thread's OS name and nice value, both from /proc/self/task/{tid}/stat (one read). */
  static Optional<ThreadStat> stat(int tid) {
    return ThreadStat.of(TASKS.resolve(Integer.toString(tid)).resolve("stat"));
  }

  /** The thread's nice value, or MIN_VALUE when it is gone. */
  static int niceOf(int tid) {
    return stat(tid).map(ThreadStat::nice).orElse(Integer.MIN_VALUE);
  }

  @Override
  public void close() {
    running = false;
    sweeper.interrupt();
  }
}
