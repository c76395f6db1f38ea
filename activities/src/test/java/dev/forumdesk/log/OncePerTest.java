package dev.forumdesk.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.shift.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OncePerTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final OncePer oncePerMinute = new OncePer(Duration.ofMinutes(1), clock);
  private final List<String> lines = new ArrayList<>();

  @Test
  void theActionRunsAtMostOncePerInterval() {
    oncePerMinute.run(() -> lines.add("first"));
    clock.advance(Duration.ofSeconds(59));
    oncePerMinute.run(() -> lines.add("too soon"));
    clock.advance(Duration.ofSeconds(1));
    oncePerMinute.run(() -> lines.add("a minute later"));
    assertThat(lines).containsExactly("first", "a minute later");
  }

  @Test
  void aMarkTakesTheIntervalsTurnSoTheNextRunWaitsAWholeInterval() {
    oncePerMinute.mark();
    clock.advance(Duration.ofSeconds(30));
    oncePerMinute.run(() -> lines.add("too soon"));
    oncePerMinute.mark(); // within the interval: changes nothing
    clock.advance(Duration.ofSeconds(30));
    oncePerMinute.run(() -> lines.add("a minute after the mark"));
    assertThat(lines).containsExactly("a minute after the mark");
  }
}
