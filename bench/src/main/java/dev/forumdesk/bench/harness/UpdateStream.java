package dev.forumdesk.bench.harness;

import dev.forumdesk.telegram.UpdateJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible stream of realistic forum updates (fixed seed): new topics and customer
 * messages in open topics of the support group. Update ids and message ids only grow, and each
 * stream owns its own id range so several streams never collide in one app.
 */
public final class UpdateStream {
  private static final String[] TITLES = {
    "Refund for order %d", "Login fails on device %d", "Invoice %d is wrong", "App crashes when I open report %d",
    "Question about plan %d", "Payment %d declined", "Ошибка при входе %d", "Cannot reset password (case %d)"
  };
  private static final String[] TEXTS = {
    "Hello, I still have this problem.", "Any news on my request?", "Here is a screenshot of the error.",
    "The charge appeared twice on my card.", "Спасибо, жду ответа.", "It happens every time after the update."
  };

  private final Random random;
  private final double newTopicShare;
  private final List<Long> openThreads = new ArrayList<>();
  private long nextUpdateId;
  private long nextMessageId;

  /**
   * @param idBase first update id and message id of this stream (keep streams 10^7 apart)
   * @param newTopicShare share of updates that open a new topic; the rest are messages
   */
  public UpdateStream(long seed, long idBase, double newTopicShare) {
    this.random = new Random(seed);
    this.newTopicShare = newTopicShare;
    this.nextUpdateId = idBase;
    this.nextMessageId = idBase;
  }

  public synchronized String next() {
    long now = UpdateJson.now();
    UpdateJson.Sender customer = customer();
    if (openThreads.isEmpty() || random.nextDouble() < newTopicShare) {
      return topicCreated(customer, now);
    }
    long thread = openThreads.get(random.nextInt(openThreads.size()));
    return UpdateJson.text(nextUpdateId++, BenchApp.CHAT, thread, nextMessageId++, customer,
        TEXTS[random.nextInt(TEXTS.length)], now);
  }

  /** A new topic; @return its JSON. The thread id is {@link #lastThread()}. */
  public synchronized String newTopic() {
    return topicCreated(customer(), UpdateJson.now());
  }

  public synchronized long lastThread() {
    return openThreads.getLast();
  }

  private String topicCreated(UpdateJson.Sender customer, long now) {
    long thread = nextMessageId++;
    openThreads.add(thread);
    String title = String.format(TITLES[random.nextInt(TITLES.length)], random.nextInt(10_000));
    return UpdateJson.topicCreated(nextUpdateId++, BenchApp.CHAT, thread, customer, title, now);
  }

  private UpdateJson.Sender customer() {
    long id = 5_000 + random.nextInt(2_000);
    return new UpdateJson.Sender(id, "Customer" + id, "c" + id, random.nextBoolean() ? "en" : "ru");
  }

  public static String ticketId(long thread) {
    return "ticket-" + BenchApp.CHAT + "-" + thread;
  }
}
