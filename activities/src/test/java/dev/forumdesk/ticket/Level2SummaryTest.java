package dev.forumdesk.ticket;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.FakeTelegram;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Level 2 topic's summary, as the openLevel2Topic activity posts it: in group mode with no staff
 * forum the Level 2 topic is a topic of the forum the customers read, so the escalation's reason (an
 * agent's words, SLA words) stays out of it; elsewhere the summary is posted as the workflow wrote it.
 */
class Level2SummaryTest {
  static final long CHAT = StaffNoticesInTheTopicTest.CHAT;
  static final long STAFF = StaffNoticesInTheTopicTest.STAFF;
  static final String TICKET = StaffNoticesInTheTopicTest.TICKET;
  static final String REASON = "customer is a known chargeback risk, see CRM";
  static final String SUMMARY = Level2Summary.of("Refund for order 7", "https://t.me/c/1234567890/42", REASON,
      new Person(5001, "Bob", "bob"), "I was charged twice");

  @TempDir Path dir;

  /** The summary the activity queued when opening the Level 2 topic in {@code level2Chat}. */
  OutboxRow summary(String yaml, long level2Chat, String html) throws Exception {
    return summary(yaml, level2Chat, html, false);
  }

  /**
   * @param openedBefore the run's topic was opened in {@code level2Chat} before (by a version that
   *     opened Level 2 topics in the customers' forum): the activity is a retry of that escalation
   */
  OutboxRow summary(String yaml, long level2Chat, String html, boolean openedBefore) throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, yaml);
      if (openedBefore) {
        new Level2Topics(db).save(TICKET, TICKET, level2Chat, 4_242);
      }
      long thread = activities.openLevel2Topic(TICKET, level2Chat, "L2: Refund for order 7", html, TICKET);
      List<OutboxRow> rows = outbox.queue(20);
      assertThat(rows).singleElement().satisfies(r -> {
        assertThat(r.chatId()).isEqualTo(level2Chat);
        assertThat(r.threadId()).isEqualTo(thread);
      });
      return rows.getFirst();
    }
  }

  /**
   * Group mode with no staff forum now (a restart removed it: audit 9, F3), asked by a ticket that
   * started with one, or by a run older than lifecycle rules 5: no topic where every customer reads;
   * the summary, reason included, goes to each supervisor by DM, and the failure says so for the audit.
   */
  @Test
  void groupModeWithoutAStaffForumOpensNoTopicAndTheSupervisorsGetTheSummaryByDm() throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, StaffNoticesInTheTopicTest.ONE_FORUM);
      assertThatThrownBy(() -> activities.openLevel2Topic(TICKET, STAFF, "L2: Refund for order 7", SUMMARY, TICKET))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo(TicketActivitiesImpl.NO_LEVEL2_FORUM);
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getOriginalMessage()).endsWith("the summary was sent to the supervisors by DM instead");
          });
      assertThat(outbox.queue(20)).singleElement().satisfies(r -> {
        assertThat(r.chatId()).isEqualTo(StaffNoticesInTheTopicTest.SAM.id());
        assertThat(text(r)).isEqualTo(SUMMARY);
      });
      assertThat(telegram.calls("createForumTopic")).isEmpty();
      assertThat(new Level2Topics(db).topicOf(TICKET)).isEmpty();
    }
  }

  /** The topic one of those opened in the customers' forum before: its summary keeps the reason out. */
  @Test
  void aTopicOpenedInTheCustomersForumBeforeGetsItsSummaryWithoutTheReason() throws Exception {
    for (String yaml : List.of(StaffNoticesInTheTopicTest.ONE_FORUM, StaffNoticesInTheTopicTest.NOBODY)) {
      assertThat(text(summary(yaml, CHAT, SUMMARY, true))).as(yaml)
          .isEqualTo("Level 2 escalation of <b>Refund for order 7</b> (https://t.me/c/1234567890/42)\n"
              + "Customer: Bob\n"
              + "First message: I was charged twice")
          .doesNotContain("chargeback", "Reason");
    }
  }

  @Test
  void theEscalationChainsSlaWordsAndAMultiLineReasonStayOutToo() throws Exception {
    String chain = Level2Summary.of("Refund", "https://t.me/c/1234567890/42",
        "still no first response 30 min after the escalation", new Person(5001, "Bob", "bob"), null);
    assertThat(text(summary(StaffNoticesInTheTopicTest.ONE_FORUM, CHAT, chain, true)))
        .isEqualTo("Level 2 escalation of <b>Refund</b> (https://t.me/c/1234567890/42)\nCustomer: Bob\n");
    String lines = Level2Summary.of("Refund", "https://t.me/c/1234567890/42",
        "angry\nFirst message: fake\nsecret: VIP discount", new Person(5001, "Bob", "bob"), "hello");
    assertThat(text(summary(StaffNoticesInTheTopicTest.ONE_FORUM, CHAT, lines, true)))
        .isEqualTo("Level 2 escalation of <b>Refund</b> (https://t.me/c/1234567890/42)\nCustomer: Bob\n"
            + "First message: hello");
  }

  /**
   * The activity adds the first message the workflow did not have when it wrote the summary (audit 12,
   * F1): escaped, after a reason of several lines (one of them like a first message's), and once.
   */
  @Test
  void theFirstMessageTheWorkflowDidNotHaveIsAddedOnce() {
    String reason = "angry\nFirst message: fake";
    Person bob = new Person(5001, "Bob", "bob");
    String without = Level2Summary.of("Refund", "https://t.me/c/1234567890/42", reason, bob, null);
    String with = Level2Summary.withFirstMessage(without, "charged <twice>");
    assertThat(with).isEqualTo(Level2Summary.of("Refund", "https://t.me/c/1234567890/42", reason, bob, "charged <twice>"));
    assertThat(Level2Summary.mayLackFirstMessage(with)).isFalse();
    assertThat(Level2Summary.withFirstMessage(with, "charged <twice>")).isEqualTo(with);
    assertThat(Level2Summary.withFirstMessage(SUMMARY, "something else")).isEqualTo(SUMMARY);
    String endsWithABreak = Level2Summary.of("Refund", "https://t.me/c/1234567890/42", REASON, bob, "charged\n");
    assertThat(Level2Summary.withFirstMessage(endsWithABreak, "charged\n")).isEqualTo(endsWithABreak);
    assertThat(Level2Summary.forCustomers(with))
        .isEqualTo("Level 2 escalation of <b>Refund</b> (https://t.me/c/1234567890/42)\nCustomer: Bob\n"
            + "First message: charged &lt;twice&gt;");
  }

  /** A restart that moved the staff forum: a ticket that started with the old one opens its topic in the new. */
  @Test
  void theTopicOpensInTheStaffForumOfNowNotTheOneTheTicketStartedWith() throws Exception {
    long now = -1005555555555L;
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, telegram,
          StaffNoticesInTheTopicTest.WITH_STAFF_FORUM.replace(String.valueOf(STAFF), String.valueOf(now)));
      long thread = activities.openLevel2Topic(TICKET, STAFF, "L2: Refund for order 7", SUMMARY, TICKET);
      assertThat(telegram.calls("createForumTopic")).singleElement()
          .satisfies(c -> assertThat(c.params().path("chat_id").asLong()).isEqualTo(now));
      assertThat(new Level2Topics(db).ticketOf(now, thread)).contains(TICKET);
      assertThat(outbox.queue(20)).singleElement().satisfies(r -> {
        assertThat(r.chatId()).isEqualTo(now);
        assertThat(text(r)).isEqualTo(SUMMARY);
      });
    }
  }

  /**
   * Audit 10, F1: the escalation's topic was queued for the staff forum of then and still waited for
   * its budget at a restart that moved the staff forum, or removed it. The row opens the topic where it
   * was queued, and the ticket has it there (the Level 2 topics, the summary): not the old forum's
   * thread number paired with the new forum, where it names no topic, while the real one is ignored.
   */
  @Test
  void aTopicQueuedBeforeARestartThatMovedTheStaffForumIsTheTicketsWhereItOpened() throws Exception {
    long now = -1005555555555L;
    for (String yaml : List.of(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM.replace(String.valueOf(STAFF),
        String.valueOf(now)), StaffNoticesInTheTopicTest.ONE_FORUM)) {
      try (Database db = Database.embedded(Files.createTempDirectory(dir, "db"));
          FakeTelegram telegram = new FakeTelegram("1:t")) {
        Outbox outbox = new Outbox(db);
        // before the restart: queued for the staff forum of then, no sender has taken it yet
        assertThat(new dev.forumdesk.outbox.NewTopics(outbox, java.time.Duration.ZERO)
            .open(TICKET + ":l2-topic", STAFF, "L2: Refund for order 7"))
            .isInstanceOf(dev.forumdesk.outbox.NewTopics.Result.Waiting.class);
        TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, yaml);

        long thread = activities.openLevel2Topic(TICKET, STAFF, "L2: Refund for order 7", SUMMARY, TICKET);
        assertThat(telegram.calls("createForumTopic")).as(yaml).singleElement()
            .satisfies(c -> assertThat(c.params().path("chat_id").asLong()).isEqualTo(STAFF));
        assertThat(new Level2Topics(db).topicOf(TICKET)).as(yaml).contains(new ForumTopic(STAFF, thread));
        assertThat(new Level2Topics(db).ticketOf(STAFF, thread)).as("a reply in it reaches the ticket").contains(TICKET);
        assertThat(outbox.queue(20)).as(yaml).singleElement().satisfies(r -> {
          assertThat(r.chatId()).as("the summary goes into the topic, in its forum").isEqualTo(STAFF);
          assertThat(r.threadId()).isEqualTo(thread);
          assertThat(text(r)).isEqualTo(SUMMARY);
        });
      }
    }
  }

  /**
   * Audit 11, F1: the topic was queued for the staff forum of then before a restart that moved it,
   * and the old forum refuses it for good (the bot was removed there: the usual reason to move a
   * forum). The escalation opens its topic in the forum of now, whether the refusal came before the
   * activity asked for the topic or while it waited for it: 9 of 13 such tickets were left at Level 2
   * with no topic and no summary anywhere (LEVEL2_TOPIC_FAILED), 4 opened in the new forum.
   */
  @Test
  void aTopicTheOldForumRefusesForGoodOpensInTheForumOfNowWhateverTheTiming() throws Exception {
    long now = -1005555555555L;
    String yaml = StaffNoticesInTheTopicTest.WITH_STAFF_FORUM.replace(String.valueOf(STAFF), String.valueOf(now));
    for (boolean whileItWaits : List.of(true, false)) {
      try (Database db = Database.embedded(Files.createTempDirectory(dir, "db"));
          FakeTelegram telegram = new FakeTelegram("1:t")) {
        Outbox outbox = new Outbox(db);
        telegram.removedFrom(STAFF);
        assertThat(new dev.forumdesk.outbox.NewTopics(outbox, java.time.Duration.ZERO)
            .open(TICKET + ":l2-topic", STAFF, "L2: Refund for order 7"))
            .isInstanceOf(dev.forumdesk.outbox.NewTopics.Result.Waiting.class);
        TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, yaml);
        java.util.function.LongSupplier ask =
            () -> retried(() -> activities.openLevel2Topic(TICKET, STAFF, "L2: Refund for order 7", SUMMARY, TICKET));
        long thread;
        if (whileItWaits) {
          var asked = java.util.concurrent.CompletableFuture.supplyAsync(ask::getAsLong);
          Thread.sleep(300); // the activity waits for the row's outcome when the old forum refuses it
          TicketActivitiesIdempotencyTest.sendTopicsAtOnce(db, telegram);
          thread = asked.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } else {
          TicketActivitiesIdempotencyTest.sendTopicsAtOnce(db, telegram);
          org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
              .until(() -> outbox.status(TICKET + ":l2-topic").equals(java.util.Optional.of("FAILED")));
          thread = ask.getAsLong();
        }
        assertThat(telegram.calls("createForumTopic")).as("refused in the old forum, opened in the new")
            .extracting(c -> c.params().path("chat_id").asLong(), FakeTelegram.Call::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(STAFF, 403), org.assertj.core.groups.Tuple.tuple(now, 200));
        assertThat(new Level2Topics(db).topicOf(TICKET)).as("while it waits: " + whileItWaits)
            .contains(new ForumTopic(now, thread));
        assertThat(outbox.queue(20)).singleElement().satisfies(r -> {
          assertThat(r.chatId()).as("the summary in the topic, in the forum of now").isEqualTo(now);
          assertThat(r.threadId()).isEqualTo(thread);
          assertThat(text(r)).isEqualTo(SUMMARY);
        });
      }
    }
  }

  /**
   * Audit 12, F4: a kill -9 while createForumTopic was under way. Telegram may have opened the topic,
   * but its thread id never came back, so the restored ticket asks for one again (no topic at all would
   * be worse) and a second topic of the same name opens. The staff read in the one used that an earlier,
   * empty one may exist; the interrupted row no longer says it is "not repeated".
   */
  @Test
  void aTopicWhoseCallAKillInterruptedIsOpenedAgainAndTheStaffAreToldAnEarlierOneMayExist() throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      String key = TICKET + Level2Topics.OUTBOX_KEY;
      // before the kill: the row was taken and its call was under way
      new dev.forumdesk.outbox.NewTopics(outbox, java.time.Duration.ZERO).open(key, STAFF, "L2: Refund for order 7");
      outbox.attempting(outbox.queue(20));
      assertThat(outbox.recoverInterrupted(dev.forumdesk.outbox.OutboxSender.IDEMPOTENT_METHODS))
          .isEqualTo(new Outbox.Interrupted(1, 1));
      assertThat(outbox.outcome(key)).hasValueSatisfying(o -> assertThat(o.error())
          .as("the row's reason, read by whoever looks at UNKNOWN rows")
          .doesNotContain("not repeated").contains("may have opened the topic", "asks for it again"));

      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      Level2TopicOpened opened = retriedFor(() ->
          activities.openLevel2TopicDetailed(TICKET, STAFF, "L2: Refund for order 7", SUMMARY, TICKET));
      long thread = opened.threadId();
      assertThat(opened).as("what the workflow's audit says (lifecycle rules 8)")
          .isEqualTo(new Level2TopicOpened(STAFF, thread, STAFF, true));
      assertThat(telegram.calls("createForumTopic")).as("opened again").hasSize(1);
      assertThat(outbox.outcome(key)).hasValueSatisfying(o -> assertThat(o.error())
          .contains("asked again as " + key + ":again-1"));
      assertThat(outbox.queue(20)).singleElement().satisfies(r -> {
        assertThat(r.threadId()).isEqualTo(thread);
        assertThat(text(r)).startsWith(SUMMARY).endsWith("\n\nℹ️ A restart interrupted the call that opened this"
            + " topic before: an earlier topic “L2: Refund for order 7” may exist in this forum, empty. This one is"
            + " the ticket's.");
      });
    }
  }

  /**
   * The staff forum of now refuses the topic for good too (the bot is no admin there with the right
   * to manage topics): the escalation still reaches people. The summary goes to the supervisors by
   * DM, as without a staff forum; the failure says so for the ticket's audit; and the supervisors are
   * told once, for that forum and cause, not once per ticket, why no Level 2 topic opens there.
   */
  @Test
  void aTopicTheForumOfNowRefusesSendsTheSummaryToTheSupervisorsByDmAndTellsThemOnce() throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      telegram.cannotManageTopicsIn(STAFF);
      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      String other = TICKET.replace("-42", "-44");
      for (String ticket : List.of(TICKET, other)) {
        assertThatThrownBy(() -> retried(() -> activities.openLevel2Topic(ticket, STAFF, "L2: Refund", SUMMARY, ticket)))
            .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isNotEqualTo(TicketActivitiesImpl.NO_LEVEL2_FORUM);
              assertThat(f.getOriginalMessage())
                  .startsWith("no Level 2 topic: Telegram refused to open one in the Level 2 forum " + STAFF)
                  .contains("not enough rights to create a topic", "can_manage_topics")
                  .endsWith("the summary was sent to the supervisors by DM instead");
            });
        assertThat(new Level2Topics(db).topicOf(ticket)).isEmpty();
      }
      List<OutboxRow> toSam = outbox.queue(20).stream()
          .filter(r -> r.chatId() == StaffNoticesInTheTopicTest.SAM.id()).toList();
      assertThat(toSam).filteredOn(r -> text(r).equals(SUMMARY)).as("each ticket's summary")
          .extracting(OutboxRow::key)
          .containsExactlyInAnyOrder(TICKET + ":l2-summary:dm:900001", other + ":l2-summary:dm:900001");
      assertThat(toSam).filteredOn(r -> !text(r).equals(SUMMARY)).as("one notice for the forum and cause")
          .singleElement().satisfies(r -> assertThat(text(r))
              .contains("Level 2 topic", String.valueOf(STAFF), "not enough rights to create a topic",
                  "can_manage_topics", "by DM"));
      assertThat(outbox.queue(20)).as("nothing else: no summary in a topic").hasSize(3);
    }
  }

  /** As {@link #retried}, for an answer that is not a number. */
  static <T> T retriedFor(java.util.function.Supplier<T> activity) {
    java.util.concurrent.atomic.AtomicReference<T> answer = new java.util.concurrent.atomic.AtomicReference<>();
    retried(() -> {
      answer.set(activity.get());
      return 0;
    });
    return answer.get();
  }

  /**
   * Lifecycle rules 8: the activity tells the workflow whether its summary carries the customer's first
   * message. A title-only topic past routing.first-message-wait: it goes without, and says so (the
   * workflow posts the message when it comes); a run whose message is in the read model: with it; a
   * summary the workflow wrote with it: with it; no earlier try was interrupted.
   */
  @Test
  void theActivityTellsWhetherItsSummaryCarriesTheFirstMessage() throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesIdempotencyTest.sendTopicsAtOnce(db, telegram);
      dev.forumdesk.config.ForumdeskConfig config =
          dev.forumdesk.config.ConfigLoader.fromYaml(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      dev.forumdesk.store.TicketStore tickets = new dev.forumdesk.store.TicketStore(db);
      TicketActivitiesImpl activities = new TicketActivitiesImpl(tickets, outbox, new Level2Topics(db),
          new dev.forumdesk.outbox.NewTopics(outbox, java.time.Duration.ofSeconds(12)),
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), dev.forumdesk.assignment.CapacityFreed.NOBODY,
          new dev.forumdesk.outbox.PrivateNotes(outbox, new dev.forumdesk.outbox.StaffPlaces(() -> config)),
          dev.forumdesk.assignment.FirstAnswer.NOBODY,
          new FirstMessageFromReadModel(tickets, new dev.forumdesk.store.Inbox(db), () -> java.time.Duration.ofSeconds(10),
              java.time.Clock.systemUTC()));
      String without = Level2Summary.of("Refund for order 7", "https://t.me/c/1234567890/42", REASON,
          new Person(5001, "Bob", "bob"), null);
      dev.forumdesk.store.TestTickets.project(db, TICKET, Status.ESCALATED, "Refund for order 7", null); // long ago

      Level2TopicOpened went = retriedFor(() ->
          activities.openLevel2TopicDetailed(TICKET, STAFF, "L2: Refund for order 7", without, TICKET));
      assertThat(went.summaryHasFirstMessage()).isFalse();
      assertThat(went.earlierTopicIn()).isNull();
      assertThat(went.chatId()).isEqualTo(STAFF);
      assertThat(outbox.queue(20)).filteredOn(r -> r.key().equals(TICKET + ":l2-summary")).singleElement()
          .satisfies(r -> assertThat(text(r)).isEqualTo(without));

      dev.forumdesk.store.TestTickets.project(db, TICKET, Status.ESCALATED, "Refund for order 7", "charged twice");
      assertThat(retriedFor(() -> activities.openLevel2TopicDetailed(TICKET, STAFF, "L2: Refund for order 7", without,
          TICKET))).as("asked again, its summary queued before without the message: still without")
          .isEqualTo(went);
      String run = TICKET + ":after:r1";
      assertThat(retriedFor(() -> activities.openLevel2TopicDetailed(TICKET, STAFF, "L2: Refund", without, run))
          .summaryHasFirstMessage()).as("completed from the read model").isTrue();
      assertThat(outbox.queue(20)).filteredOn(r -> r.key().equals(run + ":l2-summary")).singleElement()
          .satisfies(r -> assertThat(text(r)).endsWith("First message: charged twice"));
      assertThat(retriedFor(() -> activities.openLevel2TopicDetailed(TICKET, STAFF, "L2: Refund", SUMMARY,
          TICKET + ":after:r2")).summaryHasFirstMessage()).as("written with it").isTrue();
    }
  }

  /** The activity's answer, asked again after each failure it asks a retry for, as Temporal does. */
  static long retried(java.util.function.LongSupplier activity) {
    for (int tries = 1; ; tries++) {
      try {
        return activity.getAsLong();
      } catch (ApplicationFailure f) {
        if (f.isNonRetryable() || tries == 5) {
          throw f;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(200).toNanos());
      }
    }
  }

  @Test
  void aStaffForumOrRelayModeGetsTheWholeSummary() throws Exception {
    assertThat(text(summary(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM, STAFF, SUMMARY))).isEqualTo(SUMMARY);
    assertThat(text(summary("support: {mode: relay, chat-id: -1001234567890}\n", CHAT, SUMMARY)))
        .as("relay: the forum is the agents' own").isEqualTo(SUMMARY);
  }
}
