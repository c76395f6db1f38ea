package dev.forumdesk.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was during the run, and how much of that was this benchmark (with the
 * child JVMs it waited for) versus other processes: the load average alone cannot tell them
 * apart, since the benchmark's own threads count in it too. Linux /proc; "unknown" elsewhere.
 */
public final class CpuShare {
  private final long[] machineStart = machine();
  private final long ownStart = own();
  private final long wallStart = System.nanoTime();

  /** "machine busy 1.6 of 2 cores: this benchmark 1.1, other processes 0.5" */
  public String summary() {
    long[] m = machine();
    long own = own();
    if (m == null || machineStart == null || own < 0 || ownStart < 0) {
      return "unknown";
    }
    double seconds = (System.nanoTime() - wallStart) / 1e9;
    double tick = 100.0; // USER_HZ on Linux
    double busy = (m[0] - machineStart[0]) / tick / seconds;
    double mine = (own - ownStart) / tick / seconds;
    return String.format("machine busy %.2f of %d cores on average: this benchmark (incl. its child JVM) %.2f, other processes %.2f",
        busy, Runtime.getRuntime().availableProcessors(), mine, Math.max(0, busy - mine));
  }

  /** {busy jiffies} from the first line of /proc/stat. */
  private static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return new long[] {busy};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** utime + stime + cutime + cstime of this process, in jiffies. */
  private static long own() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
      return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
