package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.outbox.OutboxSender;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.outbox.RateLimits;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of escalations opens its Level 2 topics through the outbox, within the staff forum's
 * budget (Telegram's 20 messages a minute per group, 1 a second per chat, as the fake enforces for
 * createForumTopic's "topic created" message too), and behind the notices people wait for.
 */
class Level2TopicBurstTest {
  static final long STAFF_FORUM = -1009876543210L;
  static final int ESCALATIONS = 12; // 12 topics + 12 summaries + 2 notices: more than a minute's 20

  @TempDir Path dir;

  @Test
  void aBurstOfEscalationsMeetsNo429AndOtherTicketsNoticesGoFirst() throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t");
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      Outbox outbox = new Outbox(db);
      ForumdeskConfig config = ConfigLoader.fromYaml(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM); // STAFF_FORUM
      TicketActivitiesImpl activities = new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new NewTopics(outbox, NewTopics.ACTIVITY_WAIT), new SimpleMeterRegistry(), CapacityFreed.NOBODY,
          new PrivateNotes(outbox, new StaffPlaces(() -> config)));
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t",
          Duration.ofSeconds(5)), RateLimits.telegram(), new SimpleMeterRegistry(),
          new SupervisorNotices(outbox, STAFF_FORUM, List.of())).start()) {
        Instant t0 = Instant.now();
        List<Future<Long>> topics = new ArrayList<>();
        for (int i = 0; i < ESCALATIONS; i++) {
          String ticket = "ticket--100-" + (200 + i);
          topics.add(workers.submit(() -> openAsTemporalWould(activities, ticket)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> !telegram.calls("createForumTopic").isEmpty());
        // another ticket's notices while the burst is under way: the breach calls the supervisors,
        // the /hold answer is an agent's
        Instant noticesAt = Instant.now();
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage("ticket--100-300:breach", STAFF_FORUM, null,
            "⚠️ No agent has answered within 1 min.", OutboundMessage.URGENT), null, null);
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage("ticket--100-301:reply:e1", STAFF_FORUM, null,
            "⏸ On hold: waiting for bank.", OutboundMessage.NORMAL), null, null);

        List<Long> threads = new ArrayList<>();
        for (Future<Long> f : topics) {
          threads.add(f.get());
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> outbox.backlog() == 0);
        Duration took = Duration.between(t0, Instant.now());

        assertThat(telegram.count429()).as("no call met Telegram's limits").isZero();
        assertThat(threads).doesNotHaveDuplicates().hasSize(ESCALATIONS);
        assertThat(telegram.calls("createForumTopic")).hasSize(ESCALATIONS);
        for (long thread : threads) {
          assertThat(telegram.textsTo(STAFF_FORUM, thread)).as("its summary").hasSize(1);
        }
        Instant lastTopic = telegram.calls("createForumTopic").getLast().at();
        for (String notice : List.of("⚠️ No agent", "⏸ On hold")) {
          Instant at = telegram.sent().stream().filter(c -> c.params().path("text").asText().startsWith(notice))
              .findFirst().orElseThrow().at();
          assertThat(at).as(notice + " before the burst's last topic").isBefore(lastTopic);
          System.out.printf("level 2 burst: '%s' sent %d ms after it was enqueued%n", notice,
              Duration.between(noticesAt, at).toMillis());
          assertThat(Duration.between(noticesAt, at)).as(notice).isLessThan(Duration.ofSeconds(10));
        }
        System.out.printf("level 2 burst: %d topics and summaries in %d ms, %d calls answered 429%n",
            ESCALATIONS, took.toMillis(), telegram.count429());
        assertThat(took).as("the group's 20 a minute held").isGreaterThan(Duration.ofSeconds(60));
      }
    }
  }

  /** The activity as Temporal runs it: retried (here at once) while its topic waits in the outbox. */
  static long openAsTemporalWould(TicketActivitiesImpl activities, String ticket) {
    while (true) {
      try {
        return activities.openLevel2Topic(ticket, STAFF_FORUM, "L2: " + ticket, "summary of " + ticket, ticket);
      } catch (ApplicationFailure f) {
        if (f.isNonRetryable()) {
          throw f;
        }
      }
    }
  }
}
