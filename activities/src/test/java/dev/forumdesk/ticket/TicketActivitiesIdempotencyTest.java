package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retried activity (same ticket id + event key) never queues a second bot message. */
class TicketActivitiesIdempotencyTest {
  @TempDir Path dir;

  @Test
  void aRetriedPostEnqueuesOnce() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      AtomicInteger wakes = new AtomicInteger();
      Outbox outbox = new Outbox(db);
      outbox.onEnqueued(chat -> wakes.incrementAndGet());
      TicketActivitiesImpl activities = new TicketActivitiesImpl(new TicketStore(db), outbox,
          new Level2Topics(db), new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
          new SimpleMeterRegistry(), dev.forumdesk.assignment.CapacityFreed.NOBODY,
          new dev.forumdesk.outbox.PrivateNotes(outbox, new dev.forumdesk.outbox.StaffPlaces(
              () -> dev.forumdesk.config.ConfigLoader.fromYaml("{}"))));
      OutboundMessage ack = new OutboundMessage("ticket--100-42:ack", -100, 42L, "Thanks", OutboundMessage.LOW);
      for (int attempt = 0; attempt < 5; attempt++) {
        activities.post(ack);
      }
      long rows = db.jdbi().withHandle(h -> h.createQuery("select count(*) from outbox").mapTo(Long.class).one());
      assertThat(rows).isEqualTo(1);
      assertThat(wakes.get()).as("the sender is woken for the new row only").isEqualTo(1);
      assertThat(telegram.calls()).as("the activity only enqueues; the sender calls Telegram").isEmpty();
    }
  }
}
