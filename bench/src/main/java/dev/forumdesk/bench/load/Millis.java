package dev.forumdesk.bench.load;

/** Human formatting of nanosecond durations. */
public final class Millis {
  private Millis() {}

  public static String format(long nanos) {
    double ms = nanos / 1e6;
    if (ms >= 10_000) {
      return String.format("%.1f s", ms / 1000);
    }
    return ms >= 100 ? String.format("%.0f ms", ms) : String.format("%.1f ms", ms);
  }
}
