package dev.forumdesk.outbox;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Telegram's published bot limits as token buckets: 30 messages/s overall, 1/s per chat and
 * 20/min per group. Refill is interval-based (not greedy) so that no sliding one-minute window
 * ever sees 21 messages to a group. Used by the single sender thread only.
 */
public final class RateLimits {
  /** Margin against clock skew between us and Telegram's window. */
  private static final Duration MARGIN = Duration.ofMillis(250);

  private final Bucket global;
  private final Map<Long, Bucket> perChat = new ConcurrentHashMap<>();
  private final Map<Long, Bucket> perGroup = new ConcurrentHashMap<>();
  private final Map<Long, Instant> blockedUntil = new ConcurrentHashMap<>();
  private final int groupPerMinute;
  private final int chatPerSecond;

  public RateLimits(int globalPerSecond, int chatPerSecond, int groupPerMinute) {
    this.global = bucket(globalPerSecond, Duration.ofSeconds(1));
    this.chatPerSecond = chatPerSecond;
    this.groupPerMinute = groupPerMinute;
  }

  public static RateLimits telegram() {
    return new RateLimits(30, 1, 20);
  }

  private static Bucket bucket(int count, Duration per) {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(count)
                .refillIntervally(count, per.plus(MARGIN))
                .initialTokens(count)
                .build())
        .build();
  }

  /** Takes one message slot for the chat if every limit allows it now. */
  public boolean tryAcquire(long chatId, Instant now) {
    Instant blocked = blockedUntil.get(chatId);
    if (blocked != null && now.isBefore(blocked)) {
      return false;
    }
    Bucket chat = perChat.computeIfAbsent(chatId, id -> bucket(chatPerSecond, Duration.ofSeconds(1)));
    Bucket group =
        chatId < 0
            ? perGroup.computeIfAbsent(chatId, id -> bucket(groupPerMinute, Duration.ofMinutes(1)))
            : null;
    if (global.getAvailableTokens() < 1
        || chat.getAvailableTokens() < 1
        || (group != null && group.getAvailableTokens() < 1)) {
      return false;
    }
    global.tryConsume(1);
    chat.tryConsume(1);
    if (group != null) {
      group.tryConsume(1);
    }
    return true;
  }

  /** Honours a 429's retry_after for everything to that chat. */
  public void block(long chatId, Instant until) {
    blockedUntil.merge(chatId, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** True when a group has no budget left in its current minute (for coalescing notices). */
  public boolean overBudget(long chatId) {
    Bucket group = perGroup.get(chatId);
    return group != null && group.getAvailableTokens() < 1;
  }
}
