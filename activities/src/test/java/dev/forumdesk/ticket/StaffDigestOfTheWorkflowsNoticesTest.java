package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 9's burst (F4): 16 topics, every agent at cap, so the supervisor gets each ticket's private
 * notices. The notices here are the workflow's own texts (Notices, Level2Summary), sent by the
 * directMessage activity as the ticket's DirectMessage effect asks, through the outbox's sender to
 * fake Telegram: a lone notice goes at once as written, the rest of a burst as one digest per kind
 * that names each ticket once.
 */
class StaffDigestOfTheWorkflowsNoticesTest {
  static final long CHAT = StaffNoticesInTheTopicTest.CHAT;
  static final Person SAM = StaffNoticesInTheTopicTest.SAM;
  static final int BURST = 16;
  static final Instant OPENED = Instant.parse("2026-12-04T14:39:00Z");

  @TempDir Path dir;

  static String ticket(int topic) {
    return "ticket-" + CHAT + "-" + topic;
  }

  static String link(int topic) {
    return new ForumTopic(CHAT, topic).link("Question " + topic);
  }

  /**
   * The supervisor's DMs of {@code notice} for topics 201… (the first alone, then the burst) through
   * the activity, and what Sam got by the time the outbox is empty.
   */
  private List<String> toSam(String yaml, String cause, IntFunction<String> notice) throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, yaml);
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
          RateLimits.telegram(), new SimpleMeterRegistry(), new SupervisorNotices(outbox, -1, List.of(SAM))).start()) {
        directMessage(activities, 201, cause, notice);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.textsTo(SAM.id(), null).size() == 1);
        Thread.sleep(1_500); // a burst after the lone one, not due with it (Digests.TOGETHER: 1 s)
        for (int t = 202; t <= 200 + BURST; t++) {
          directMessage(activities, t, cause, notice);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.backlog() == 0);
        for (int t = 201; t <= 200 + BURST; t++) {
          assertThat(outbox.status(ticket(t) + ":" + cause + ":dm:" + SAM.id())).contains("SENT");
        }
        assertThat(telegram.count429()).isZero();
        return telegram.textsTo(SAM.id(), null);
      }
    }
  }

  /** As Ticket.directMessage writes the DM and its fallback. */
  private static void directMessage(TicketActivitiesImpl activities, int topic, String cause, IntFunction<String> notice) {
    String html = notice.apply(topic);
    activities.directMessage(ticket(topic),
        new OutboundMessage(ticket(topic) + ":" + cause + ":dm:" + SAM.id(), SAM.id(), null, html, OutboundMessage.URGENT),
        new OutboundMessage(ticket(topic) + ":" + cause + ":fallback:" + SAM.id(), CHAT, (long) topic,
            SAM.mention() + " " + html, OutboundMessage.URGENT));
  }

  /** Each ticket from topic {@code from} on is named once (by its link) in what Sam got. */
  private static void eachTicketNamedOnce(List<String> texts, int from) {
    for (int t = from; t <= 200 + BURST; t++) {
      String named = link(t);
      assertThat(texts.stream().mapToLong(s -> s.split(Pattern.quote(named), -1).length - 1).sum())
          .as("ticket %d named once", t).isEqualTo(1);
    }
  }

  @Test
  void theStaleRemindersOfABurstComeAsTheFirstAndOneDigest() throws Exception {
    IntFunction<String> stale = t -> Notices.customerWaiting(link(t), Duration.ofMinutes(5), OPENED, ZoneOffset.UTC);
    List<String> texts = toSam(StaffNoticesInTheTopicTest.ONE_FORUM, "stale:2026-12-04T14:44:00Z", stale);

    assertThat(texts).hasSize(2);
    assertThat(texts.getFirst()).as("a lone reminder, exactly as written").isEqualTo(stale.apply(201))
        .isEqualTo("💤 " + link(201) + " has had no message for 5 min: the customer has been waiting for a reply"
            + " since 4 Dec 14:39 UTC.");
    assertThat(texts.get(1)).startsWith("💤 No message for 5 min; the customer has been waiting for a reply:\n"
        + (BURST - 1) + " tickets:\n• " + link(202) + ": since 4 Dec 14:39 UTC\n• " + link(203) + ": since 4 Dec 14:39 UTC\n");
    eachTicketNamedOnce(texts, 201);
  }

  @Test
  void theResolutionNotesOfABurstComeAsTheFirstAndOneDigest() throws Exception {
    IntFunction<String> late = t -> Notices.resolutionBreached(link(t), Duration.ofMinutes(4));
    List<String> texts = toSam(StaffNoticesInTheTopicTest.ONE_FORUM, "resolution-breach:2026-12-04T14:43:00Z", late);

    assertThat(texts).containsExactly(late.apply(201), "⏰ Not resolved within 4 min, the resolution time:\n"
        + (BURST - 1) + " tickets:\n• " + String.join("\n• ",
            java.util.stream.IntStream.rangeClosed(202, 200 + BURST).mapToObj(StaffDigestOfTheWorkflowsNoticesTest::link)
                .toList()));
  }

  /**
   * Group mode without a staff forum: no Level 2 topic opens in the customers' forum, so each chain
   * escalation's summary goes to the supervisors by DM (Ticket.summaryToStaffInstead), beside the
   * chain's own digest. A burst's summaries come as one digest: the reason once, then each ticket's
   * linked title, its customer and the start of their first message (cut, never inside an entity).
   */
  @Test
  void theLevel2SummariesDmdInABurstComeAsTheFirstAndOneDigestWithTheReasonOnce() throws Exception {
    String reason = "still no first response 1 min after the escalation";
    String longMessage = "My invoice <INV-7> & the refund: " + "x".repeat(200);
    IntFunction<String> summary = t -> Level2Summary.of("Question " + t, new ForumTopic(CHAT, t).url(), reason,
        new Person(5000 + t, "Customer " + t, null), t == 203 ? longMessage : t == 204 ? null : "Help with " + t);
    List<String> texts = toSam(StaffNoticesInTheTopicTest.ONE_FORUM, "level2-summary", summary);

    assertThat(texts).hasSize(2);
    assertThat(texts.getFirst()).as("a lone summary, exactly as written").isEqualTo(summary.apply(201));
    String digest = texts.get(1);
    assertThat(digest).startsWith("⬆️ Moved to Level 2, reason: " + reason + "\n" + (BURST - 1) + " tickets:\n• "
        + link(202) + ", customer Customer 202: Help with 202\n• "
        + link(203) + ", customer Customer 203: My invoice &lt;INV-7&gt; &amp; the refund: xxx")
        .contains("\n• " + link(204) + ", customer Customer 204\n• " + link(205) + ", customer Customer 205: Help with 205")
        .endsWith("\n• " + link(200 + BURST) + ", customer Customer " + (200 + BURST) + ": Help with " + (200 + BURST));
    String line203 = digest.lines().filter(l -> l.contains(link(203))).findFirst().orElseThrow();
    assertThat(line203).endsWith("x…").hasSizeLessThan(link(203).length() + 140);
    assertThat(digest.split(Pattern.quote(reason), -1)).as("the reason once").hasSize(2);
    eachTicketNamedOnce(texts, 202); // the lone summary names its ticket by title and address
  }

  /**
   * Audit 10, F8: without a staff forum a chain burst gave each supervisor two digests naming the
   * same tickets, "🚨 Still unanswered 1 min after the escalation: moved to Level 2. …" and "⬆️ Moved
   * to Level 2, reason: still no first response 1 min after the escalation", 4 DMs for 8 tickets.
   * Each escalation's effects as the workflow carries them out (the Level 2 summary, which goes by
   * DM since no topic opens, then the chain's notice for the topic): the summaries say it all, so
   * Sam gets the lone first and one digest, each ticket named once with its first message.
   */
  @Test
  void aChainBurstWithoutAStaffForumGivesEachSupervisorOneLevel2DigestNotTwo() throws Exception {
    int burst = 8;
    String reason = "still no first response 1 min after the escalation";
    String chain = Notices.chainEscalated(List.of(SAM), Duration.ofMinutes(1));
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, StaffNoticesInTheTopicTest.ONE_FORUM);
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
          RateLimits.telegram(), new SimpleMeterRegistry(), new SupervisorNotices(outbox, -1, List.of(SAM))).start()) {
        for (int topic = 201; topic <= 200 + burst; topic++) {
          int t = topic;
          String summary = Level2Summary.of("Question " + t, new ForumTopic(CHAT, t).url(), reason,
              new Person(5000 + t, "Customer " + t, null), "Help with " + t);
          assertThatThrownBy(() -> activities.openLevel2Topic(ticket(t), CHAT, "L2: Question " + t, summary, ticket(t)))
              .as("no Level 2 topic where customers read").isInstanceOf(io.temporal.failure.ApplicationFailure.class);
          activities.post(new OutboundMessage(ticket(t) + ":escalation-chain", CHAT, (long) t, chain, OutboundMessage.URGENT));
          if (t == 201) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.backlog() == 0);
            Thread.sleep(1_500); // the burst after the lone one, not due with it (Digests.TOGETHER: 1 s)
          }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.backlog() == 0);
        List<String> texts = telegram.textsTo(SAM.id(), null);

        assertThat(texts).as("the lone first summary and one digest").hasSize(2);
        assertThat(texts.getFirst()).startsWith("Level 2 escalation of <b>Question 201</b>").contains("Help with 201");
        assertThat(texts.get(1)).startsWith("⬆️ Moved to Level 2, reason: " + reason + "\n" + (burst - 1) + " tickets:\n• "
            + link(202) + ", customer Customer 202: Help with 202");
        assertThat(String.join("\n", texts)).doesNotContain("Still unanswered");
        for (int t = 202; t <= 200 + burst; t++) {
          String named = link(t);
          assertThat(texts.stream().mapToLong(x -> x.split(Pattern.quote(named), -1).length - 1).sum())
              .as("ticket %d named once", t).isEqualTo(1);
        }
      }
    }
  }
}
