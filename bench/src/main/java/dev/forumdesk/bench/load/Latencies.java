package dev.forumdesk.bench.load;

import java.util.Arrays;

/** Recorded latencies in nanoseconds; percentiles by nearest rank on the sorted samples. */
public final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  public synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  public synchronized int count() {
    return size;
  }

  /** @param p in (0, 100]; nearest-rank percentile, 0 when empty */
  public synchronized long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  public double percentileMillis(double p) {
    return percentile(p) / 1e6;
  }

  public synchronized long max() {
    return size == 0 ? 0 : Arrays.stream(samples, 0, size).max().getAsLong();
  }

  /** "p50 1.2 ms, p99 8.4 ms (n=2000)" */
  public String summary() {
    return String.format("p50 %s, p99 %s (n=%d)", Millis.format(percentile(50)), Millis.format(percentile(99)), count());
  }
}
