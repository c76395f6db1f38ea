package dev.forumdesk.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
public record Backoff(Duration initial, Duration max) {
  public Duration after(int attempts) {
    long base = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempts, 20));
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }
}
