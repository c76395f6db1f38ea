package dev.forumdesk.bench.baseline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The naive design, for comparison only: no outbox scheduler. Each ticket sends its
 * acknowledgement at once from its own thread (as an activity calling Telegram directly would)
 * and, on 429, sleeps retry_after and tries again. Runs against its own {@link FakeTelegram}.
 */
public final class NaiveSender {
  /** @param seconds first send → last successful send; sent how many arrived before the bound */
  public record Result(double seconds, int sent, long rejected429) {}

  private NaiveSender() {}

  public static Result burst(String token, long chatId, int n, Duration bound) {
    try (FakeTelegram telegram = new FakeTelegram(token)) {
      TelegramClient client = new TelegramClient(telegram.url(), token, Duration.ofSeconds(10));
      Instant deadline = Instant.now().plus(bound);
      AtomicInteger sent = new AtomicInteger();
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long thread = 100 + i;
        threads.add(Thread.ofVirtual().start(() -> {
          ObjectNode params = Json.mapper().createObjectNode()
              .put("chat_id", chatId).put("message_thread_id", thread)
              .put("text", "Thanks, we got your request. Ticket " + thread + " is in the queue.");
          while (Instant.now().isBefore(deadline)) {
            SendOutcome outcome = client.call("sendMessage", params);
            if (outcome instanceof SendOutcome.Sent) {
              sent.incrementAndGet();
              return;
            }
            long wait = outcome instanceof SendOutcome.RetryAfter r ? r.seconds() * 1000L : 1000;
            try {
              Thread.sleep(wait);
            } catch (InterruptedException e) {
              return;
            }
          }
        }));
      }
      for (Thread t : threads) {
        try {
          t.join(bound.plusSeconds(15).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Instant last = telegram.sent().stream().map(FakeTelegram.Call::at).max(Instant::compareTo).orElse(Instant.now());
      Instant first = telegram.calls().stream().map(FakeTelegram.Call::at).min(Instant::compareTo).orElse(last);
      double seconds = Math.max(0, (last.toEpochMilli() - first.toEpochMilli()) / 1000.0);
      return new Result(seconds, sent.get(), telegram.count429());
    }
  }
}
