package dev.forumdesk.bench.report;

/** Progress lines while a long benchmark runs, stamped with the time since the run began. */
public final class Progress {
  private static final long START = System.nanoTime();

  private Progress() {}

  public static synchronized void say(String format, Object... args) {
    long s = (System.nanoTime() - START) / 1_000_000_000L;
    System.out.printf("[bench %02d:%02d] %s%n", s / 60, s % 60, String.format(format, args));
    System.out.flush();
  }
}
