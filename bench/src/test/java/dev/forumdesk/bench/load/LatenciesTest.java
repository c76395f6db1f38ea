package dev.forumdesk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentiles() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) {
      l.add(i * 1_000_000L);
    }
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentile(50)).isEqualTo(50_000_000L);
    assertThat(l.percentile(99)).isEqualTo(99_000_000L);
    assertThat(l.percentile(100)).isEqualTo(100_000_000L);
    assertThat(l.percentileMillis(1)).isEqualTo(1.0);
    assertThat(l.max()).isEqualTo(100_000_000L);
  }

  @Test
  void emptyIsZeroAndGrowsPastItsFirstArray() {
    Latencies l = new Latencies();
    assertThat(l.percentile(99)).isZero();
    for (int i = 0; i < 5_000; i++) {
      l.add(7);
    }
    assertThat(l.percentile(99)).isEqualTo(7);
    assertThat(l.summary()).contains("n=5000");
  }
}
