package dev.forumdesk.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One Linux thread as {@code /proc/.../task/{tid}/stat} describes it: its OS name (the Java name
 * cut to 15 characters), its nice value and the CPU it used so far.
 *
 * @param cpuTicks user + system time in clock ticks (USER_HZ, 100 per second on Linux)
 */
public record ThreadStat(String name, int nice, long cpuTicks) {
  /** Nanoseconds per clock tick: USER_HZ is 100 on Linux. */
  public static final long NANOS_PER_TICK = 10_000_000L;

  /** @return the thread behind a stat file, or empty when it ended or this is not Linux */
  public static Optional<ThreadStat> of(Path statFile) {
    try {
      String stat = Files.readString(statFile);
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')'); // the name itself may contain ')'
      String[] f = stat.substring(close + 2).split(" ");
      return Optional.of(new ThreadStat(stat.substring(open + 1, close), Integer.parseInt(f[16]),
          Long.parseLong(f[11]) + Long.parseLong(f[12])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The calling thread. */
  public static Optional<ThreadStat> self() {
    return of(Path.of("/proc/thread-self/stat"));
  }
}
