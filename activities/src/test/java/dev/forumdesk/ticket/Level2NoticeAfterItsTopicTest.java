package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.outbox.OutboxSender;
import dev.forumdesk.outbox.RateLimits;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of /escalate in group mode: each ticket's "⬆️ Escalated to Level 2" notice goes to the
 * staff forum's General topic, where its Level 2 topic opens too, in the same group's budget
 * (Telegram's 20 messages a minute, 1 a second; the fake enforces them). The notices, NORMAL
 * answers, went before the topics (NewTopics.PRIORITY), so Level 2 read of escalations whose topics
 * did not exist yet, for a minute or more in a burst of 20. Each notice now goes after its topic and
 * the topic's summary.
 */
class Level2NoticeAfterItsTopicTest {
  static final long SUPPORT = -1001234567890L;
  static final long STAFF_FORUM = -1009876543210L;
  static final int ESCALATIONS = 4;

  @TempDir Path dir;

  @Test
  void eachEscalatedNoticeGoesAfterItsTopicAndItsSummaryInTheStaffForum() throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t");
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      Outbox outbox = new Outbox(db);
      Burst burst = Burst.queued(activities(db, outbox), workers, outbox, 200);

      try (OutboxSender sender = sender(outbox, telegram)) {
        List<Long> threads = burst.level2Threads();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.backlog() == 0);

        assertThat(telegram.count429()).as("no call met Telegram's limits").isZero();
        List<FakeTelegram.Call> inForum = inStaffForum(telegram);
        for (int i = 0; i < ESCALATIONS; i++) {
          noticeAfterItsTopicAndSummary(inForum, burst.tickets().get(i), 200 + i, threads.get(i));
        }
        System.out.printf("level 2 notices: the staff forum's calls in order: %s%n",
            inForum.stream().map(c -> c.method().equals("createForumTopic") ? "topic"
                : c.params().has("message_thread_id") ? "summary" : "notice").toList());
      }
    }
  }

  /**
   * Audit 14, F1 and F2: an urgent breach of another ticket queued behind the burst lent its turn to
   * every notice waiting in the staff forum's General topic, so all of them went first, before the
   * topics they point to, and the breach after them. In the General topic an urgent message now
   * takes only its own ticket's older messages ahead: the breach goes first, each notice still after
   * its topic and its summary.
   */
  @Test
  void aBreachQueuedBehindTheBurstGoesFirstAndLiftsNoOtherTicketsNotice() throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t");
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = activities(db, outbox);
      Burst burst = Burst.queued(activities, workers, outbox, 300);
      String unanswered = "ticket-" + SUPPORT + "-399";
      activities.post(new OutboundMessage(unanswered + ":first-response-breach", SUPPORT, 399L,
          StaffNoticesInTheTopicTest.BREACH, OutboundMessage.URGENT));

      try (OutboxSender sender = sender(outbox, telegram)) {
        List<Long> threads = burst.level2Threads();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.backlog() == 0);

        List<FakeTelegram.Call> inForum = inStaffForum(telegram);
        int breach = indexOf(inForum, c -> c.method().equals("sendMessage")
            && c.params().path("text").asText().contains("/1234567890/399\"")
            && c.params().path("text").asText().contains("No agent has answered"));
        for (int i = 0; i < ESCALATIONS; i++) {
          String ticket = burst.tickets().get(i);
          int notice = noticeAfterItsTopicAndSummary(inForum, ticket, 300 + i, threads.get(i));
          assertThat(breach).as("the urgent breach before " + ticket + "'s notice").isLessThan(notice);
        }
        assertThat(breach).as("the breach is the forum's first call").isZero();
      }
    }
  }

  /**
   * The burst, queued as the tickets' workflows queue it: each ticket's /escalate answer, then its
   * Level 2 topic (asked for as Temporal would, until it opens), all of them queued on return.
   */
  private record Burst(List<String> tickets, List<Future<Long>> topics) {
    static Burst queued(TicketActivitiesImpl activities, ExecutorService workers, Outbox outbox, long firstThread) {
      List<String> tickets = new ArrayList<>();
      List<Future<Long>> topics = new ArrayList<>();
      for (int i = 0; i < ESCALATIONS; i++) {
        long thread = firstThread + i;
        String ticket = "ticket-" + SUPPORT + "-" + thread;
        tickets.add(ticket);
        activities.post(new OutboundMessage(ticket + ":reply:e" + i, SUPPORT, thread,
            StaffNoticesInTheTopicTest.ESCALATED, OutboundMessage.NORMAL));
        topics.add(workers.submit(() -> Level2TopicBurstTest.openAsTemporalWould(activities, ticket)));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.queue(100).stream()
          .filter(r -> r.method().equals("createForumTopic")).count() == ESCALATIONS);
      return new Burst(tickets, topics);
    }

    /** Each ticket's Level 2 topic, once it opened. */
    List<Long> level2Threads() throws Exception {
      List<Long> threads = new ArrayList<>();
      for (Future<Long> f : topics) {
        threads.add(f.get());
      }
      return threads;
    }
  }

  private static TicketActivitiesImpl activities(Database db, Outbox outbox) {
    return TicketActivitiesIdempotencyTest.activities(db, outbox, StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
  }

  /** The outbox's sender at Telegram's limits, to the fake. */
  private static OutboxSender sender(Outbox outbox, FakeTelegram telegram) {
    return new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
        RateLimits.telegram(), new SimpleMeterRegistry(), new SupervisorNotices(outbox, STAFF_FORUM, List.of())).start();
  }

  private static List<FakeTelegram.Call> inStaffForum(FakeTelegram telegram) {
    return telegram.calls().stream().filter(c -> c.params().path("chat_id").asLong() == STAFF_FORUM).toList();
  }

  /**
   * Asserts that the ticket's "⬆️ Escalated to Level 2" notice in the staff forum's General topic came
   * after its Level 2 topic and that topic's summary. @return the notice's place among the forum's calls
   */
  private static int noticeAfterItsTopicAndSummary(List<FakeTelegram.Call> inForum, String ticket, long thread,
      long l2Thread) {
    String link = "/1234567890/" + thread + "\"";
    int topic = indexOf(inForum, c -> c.method().equals("createForumTopic")
        && c.params().path("name").asText().equals("L2: " + ticket));
    int summary = indexOf(inForum, c -> c.method().equals("sendMessage")
        && c.params().path("message_thread_id").asLong() == l2Thread);
    int notice = indexOf(inForum, c -> c.method().equals("sendMessage") && !c.params().has("message_thread_id")
        && c.params().path("text").asText().contains(link)
        && c.params().path("text").asText().contains("⬆️ Escalated to Level 2"));
    assertThat(notice).as(ticket + "'s notice after its topic").isGreaterThan(topic);
    assertThat(notice).as(ticket + "'s notice after its topic's summary").isGreaterThan(summary);
    return notice;
  }

  private static int indexOf(List<FakeTelegram.Call> calls, Predicate<FakeTelegram.Call> which) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).status() == 200 && which.test(calls.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such call among " + calls.size());
  }
}
