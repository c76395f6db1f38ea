package dev.forumdesk.bench.micro;

import dev.forumdesk.outbox.RateLimits;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The outbox sender's per-row check: token buckets for overall, per-chat and per-group limits.
 * Over 1,024 chats (half groups): after the first seconds nearly every call is a refusal, which is
 * exactly the sender's hot path when a backlog waits for budget.
 */
@State(Scope.Thread)
public class RateLimitsBenchmark {
  private RateLimits limits;
  private final long[] chats = new long[1024];
  private int next;

  @Setup
  public void setUp() {
    limits = RateLimits.telegram();
    for (int i = 0; i < chats.length; i++) {
      chats[i] = i % 2 == 0 ? -1_001_000_000_000L - i : 10_000L + i;
    }
  }

  @Benchmark
  public boolean tryAcquire() {
    return limits.tryAcquire(chats[next++ & 1023], Instant.now());
  }
}
