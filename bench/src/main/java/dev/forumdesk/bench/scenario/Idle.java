package dev.forumdesk.bench.scenario;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, heap after GC and process CPU: the small measuring tools the scenarios share. */
public final class Idle {
  private Idle() {}

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Polls until the condition holds. @return nanos waited, or -1 when the bound passed first */
  public static long await(BooleanSupplier condition, Duration bound, Duration poll) {
    long t0 = System.nanoTime();
    long deadline = t0 + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return System.nanoTime() - t0;
      }
      sleep(poll);
    }
    return condition.getAsBoolean() ? System.nanoTime() - t0 : -1;
  }

  /** Used heap after full collections, in bytes. */
  public static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      sleep(Duration.ofMillis(200));
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** CPU this whole JVM used over the window, as a percentage of one core. */
  public static double processCpuPercent(Duration window) {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    sleep(window);
    long cpu = os.getProcessCpuTime() - cpu0;
    return 100.0 * cpu / (System.nanoTime() - t0);
  }

  public static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / (1024.0 * 1024));
  }
}
