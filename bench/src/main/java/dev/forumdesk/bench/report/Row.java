package dev.forumdesk.bench.report;

/**
 * One line of the results table: what was measured, the figure, the target, the verdict, and the
 * machine's 1-minute load average when the row was taken (the cores are shared).
 */
public record Row(String figure, String value, String target, String verdict, String load) {
  public Row(String figure, String value, String target, String verdict) {
    this(figure, value, target, verdict, Machine.loadAverage().split(" ")[0]);
  }

  public static Row measured(String figure, String value, String target, boolean met) {
    return new Row(figure, value, target, met ? "PASS" : "MISS");
  }

  /** A figure with no pass/fail target: reported for the record. */
  public static Row report(String figure, String value, String target) {
    return new Row(figure, value, target, "report");
  }

  /** A baseline beside a figure: shown for comparison, never judged. */
  public static Row baseline(String figure, String value) {
    return new Row(figure, value, "—", "baseline");
  }

  public static Row pending(String figure, String target, String why) {
    return new Row(figure, "not measured: " + why, target, "pending");
  }

  public static Row failed(String figure, String target, Throwable e) {
    return new Row(figure, "benchmark failed: " + e, target, "ERROR");
  }

  /** The same row with more said about it. */
  public Row withValue(String newValue) {
    return new Row(figure, newValue, target, verdict, load);
  }

  /** The same measurement under another name (a figure measured in another setting). */
  public Row named(String newFigure) {
    return new Row(newFigure, value, target, verdict, load);
  }
}
