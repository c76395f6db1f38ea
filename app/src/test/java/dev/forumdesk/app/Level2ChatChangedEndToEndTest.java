package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.log.LogCapture;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 9, F3: a restart that removes the staff forum (support.level2-chat-id). A ticket opened
 * before it and escalated after it gets no Level 2 topic in the forum the desk no longer has: the
 * summary goes to each supervisor by DM, as for a new ticket, and /escalate's notice reads "Please
 * take a look." to each of them. The Level 2 topics open tickets still have in the old forum keep
 * working (a reply is audited, /status answered there), and the start says how many there are.
 */
class Level2ChatChangedEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final long OLD_FORUM = SampleDesk.LEVEL2_CHAT;
  static final long SAM = 900001;
  static final long SUE = 900002;
  static final String ESCALATED_BEFORE = "ticket-" + CHAT + "-300";
  static final String OPENED_BEFORE = "ticket-" + CHAT + "-302";
  static final String SUMMARY = "Level 2 escalation of";
  static final String BEFORE = AppFixture.CONFIG + """
      routing:
        enabled: false
      """;
  /** The staff forum removed, a second supervisor added. */
  static final String AFTER = BEFORE.replace("  level2-chat-id: " + OLD_FORUM + "\n", "")
      .replace("supervisors: [" + SAM + "]", "supervisors: [" + SAM + ", " + SUE + "]");

  /** The staff forum moved to another forum, a second supervisor added. */
  static final long NEW_FORUM = -1005555555555L;
  static final String MOVED = BEFORE.replace("  level2-chat-id: " + OLD_FORUM + "\n", "  level2-chat-id: " + NEW_FORUM + "\n")
      .replace("supervisors: [" + SAM + "]", "supervisors: [" + SAM + ", " + SUE + "]");
  static final List<Integer> BURST = List.of(400, 402, 404);

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(ForumdeskApp.class);
  @RegisterExtension final RestartingApp restarting = new RestartingApp();
  AppFixture f;
  long update = 1;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }


  private List<String> textsTo(long chat) {
    return f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == chat)
        .map(c -> c.params().path("text").asText()).toList();
  }

  private List<String> textsIn(long chat, long thread) {
    return f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == chat && c.params().path("message_thread_id").asLong() == thread)
        .map(c -> c.params().path("text").asText()).toList();
  }

  @Test
  void aTicketEscalatedAfterTheStaffForumWentUsesTheDeskAsItIsAndTheOldLevel2TopicsStillWork() throws Exception {
    assertThat(AFTER).doesNotContain("level2-chat-id").contains("supervisors: [" + SAM + ", " + SUE + "]");
    f = new AppFixture(dir, BEFORE, Map.of());
    f.telegram.enforcePerChatSecond(false);
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 300, BOB, "Card declined", now()));
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 302, BOB, "Factura", now()));
    f.awaitTicket(OPENED_BEFORE, x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 300, 301, ALICE, "/escalate the bank's side", now()));
    f.awaitTicket(ESCALATED_BEFORE, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"));
    // the summary, in the Level 2 topic: the escalation's notices may go out there before it
    Awaitility.await("the Level 2 topic's summary").atMost(Duration.ofSeconds(15))
        .until(() -> textsTo(OLD_FORUM).stream().anyMatch(x -> x.startsWith(SUMMARY)));
    long l2 = f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == OLD_FORUM
            && c.params().path("text").asText().startsWith(SUMMARY)).findFirst()
        .orElseThrow().params().path("message_thread_id").asLong();
    f.close();

    f = new AppFixture(dir, AFTER, Map.of());
    f.telegram.enforcePerChatSecond(false);

    f.postUpdate(UpdateJson.text(update++, CHAT, 302, 303, ALICE, "/escalate needs the finance team", now()));
    JsonNode t = f.awaitTicket(OPENED_BEFORE, x -> x.path("level").asInt() == 2
        && x.path("audit").findValuesAsText("event").stream().anyMatch(e -> e.startsWith("LEVEL2_")));
    for (long supervisor : List.of(SAM, SUE)) {
      Awaitility.await("the summary and the notice to " + supervisor).atMost(Duration.ofSeconds(15)).until(() ->
          textsTo(supervisor).stream().anyMatch(x -> x.startsWith("Level 2 escalation of <b>Factura</b>"))
              && textsTo(supervisor).stream().anyMatch(x -> x.contains("Escalated to Level 2: needs the finance team")));
      assertThat(textsTo(supervisor)).filteredOn(x -> x.contains("Escalated to Level 2")).singleElement()
          .as("addressed to its reader").satisfies(x -> assertThat(x).endsWith("Please take a look.")
              .doesNotContain("tg://user?id=" + SAM).doesNotContain("tg://user?id=" + SUE));
    }
    assertThat(f.telegram.calls("createForumTopic")).as("no topic in the forum the desk no longer has").isEmpty();
    assertThat(textsTo(OLD_FORUM)).as("nothing of it in the old forum (part 1's notice may still go out there)")
        .noneMatch(x -> x.contains("Factura") || x.contains("finance team"));
    assertThat(t.path("audit").findValuesAsText("event")).doesNotContain("LEVEL2_TOPIC");
    assertThat(t.path("audit").findValuesAsText("reason")).as("the audit says where the summary went")
        .contains("no Level 2 topic: support.level2-chat-id is now the customers' own forum, which every customer"
            + " reads; the summary was sent to the supervisors by DM instead");

    String reply = f.postUpdate(UpdateJson.text(update++, OLD_FORUM, l2, 5_001, ALICE, "Bank confirms the block",
        now())).body();
    assertThat(reply).doesNotContain("ignored");
    f.awaitTicket(ESCALATED_BEFORE, x -> x.path("audit").findValuesAsText("reason").stream()
        .anyMatch(r -> r.contains("Bank confirms the block")));
    f.postUpdate(UpdateJson.text(update++, OLD_FORUM, l2, 5_002, ALICE, "/status", now()));
    Awaitility.await("/status answered in the old forum's Level 2 topic").atMost(Duration.ofSeconds(15))
        .until(() -> textsIn(OLD_FORUM, l2).stream().anyMatch(x -> x.contains("Status: ESCALATED")));
    assertThat(logs.warnings()).as("the start says which open tickets keep a Level 2 topic elsewhere")
        .anyMatch(m -> m.contains("1 open ticket has its Level 2 topic in another chat than support.level2-chat-id"));
  }

  /**
   * Audit 10, F4: the other way. A ticket opened while the desk had no staff forum, escalated after a
   * restart that added one, opens its Level 2 topic there with the summary, and a reply in it reaches
   * the ticket; no DM summary, and no audit saying the staff forum is the customers' own.
   */
  @Test
  void aTicketOpenedWithoutAStaffForumAndEscalatedAfterARestartThatAddedOneGetsItsTopicThere() throws Exception {
    f = new AppFixture(dir, AFTER, Map.of());
    f.telegram.enforcePerChatSecond(false);
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 302, BOB, "Factura", now()));
    f.awaitTicket(OPENED_BEFORE, x -> !x.path("createdAt").isNull());
    f.close();

    f = new AppFixture(dir, BEFORE, Map.of());
    f.telegram.enforcePerChatSecond(false);
    f.postUpdate(UpdateJson.text(update++, CHAT, 302, 303, ALICE, "/escalate needs the finance team", now()));
    JsonNode t = f.awaitTicket(OPENED_BEFORE, x -> x.path("audit").findValuesAsText("event").stream()
        .anyMatch(e -> e.startsWith("LEVEL2_")));
    assertThat(t.path("audit").findValuesAsText("event")).contains("LEVEL2_TOPIC").doesNotContain("LEVEL2_SUMMARY");
    assertThat(t.path("audit").findValuesAsText("reason")).noneMatch(r -> r.contains("customers' own forum"));
    assertThat(f.telegram.calls("createForumTopic")).singleElement()
        .satisfies(c -> assertThat(c.params().path("chat_id").asLong()).isEqualTo(OLD_FORUM));
    Awaitility.await("the summary in the new Level 2 topic").atMost(Duration.ofSeconds(15))
        .until(() -> textsTo(OLD_FORUM).stream().anyMatch(x -> x.startsWith("Level 2 escalation of <b>Factura</b>")));
    long l2 = f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == OLD_FORUM
            && c.params().path("text").asText().startsWith("Level 2 escalation of")).findFirst().orElseThrow()
        .params().path("message_thread_id").asLong();
    assertThat(l2).as("in a topic, not the General one").isPositive();
    assertThat(textsTo(SAM)).noneMatch(x -> x.startsWith("Level 2 escalation of"));

    f.postUpdate(UpdateJson.text(update++, OLD_FORUM, l2, 5_001, ALICE, "Finance has it", now()));
    f.awaitTicket(OPENED_BEFORE, x -> x.path("audit").findValuesAsText("reason").stream()
        .anyMatch(r -> r.contains("Finance has it")));
  }

  /**
   * Audit 11, F1: a burst of escalations whose Level 2 topics wait in the outbox for the old staff
   * forum when a restart moves it, and the old forum refuses them for good (the bot was removed from
   * it: the usual reason to move a forum). Every ticket gets its topic in the forum of now, whatever
   * the timing (9 of 13 were left with none, and their summary sent nowhere); the start says the
   * topics still queued for the old forum open there.
   */
  @Test
  void level2TopicsQueuedForAnOldForumThatRefusesThemOpenInTheForumOfNow() throws Exception {
    escalatedWhileTheTopicsWait();
    restarting.telegram.removedFrom(OLD_FORUM);
    AppFixture app = restarting.start(dir, MOVED);

    for (int thread : BURST) {
      String id = "ticket-" + CHAT + "-" + thread;
      Awaitility.await(id + "'s Level 2 topic").atMost(Duration.ofSeconds(60))
          .until(() -> app.awaitTicket(id, x -> true).path("audit").findValuesAsText("event").stream()
              .anyMatch(e -> e.startsWith("LEVEL2_")));
      JsonNode t = app.awaitTicket(id, x -> true);
      assertThat(t.path("audit").findValuesAsText("event")).as(id).contains("LEVEL2_TOPIC").doesNotContain("LEVEL2_TOPIC_FAILED");
      assertThat(level2ChatOf(app, id)).as(id + " has its topic in the forum of now").contains(NEW_FORUM);
    }
    assertThat(restarting.telegram.calls("createForumTopic"))
        .filteredOn(c -> c.params().path("chat_id").asLong() == NEW_FORUM).as("one topic each in the forum of now")
        .hasSize(BURST.size()).allMatch(c -> c.status() == 200);
    Awaitility.await("each summary in its topic").atMost(Duration.ofSeconds(30)).until(() -> BURST.stream()
        .allMatch(n -> textsTo(restarting.telegram, NEW_FORUM).stream()
            .anyMatch(x -> x.startsWith("Level 2 escalation of <b>Burst " + n + "</b>"))));
    assertThat(logs.warnings()).as("the start counts the topics still queued for the old forum")
        .anyMatch(m -> m.startsWith(BURST.size() + " Level 2 topics still queued for " + OLD_FORUM)
            && m.contains("will open there"));
  }

  /**
   * The same, and the forum of now refuses the topics too (the bot is no admin there with the right to
   * manage topics): the escalations still reach people. Each summary goes to the supervisors by DM, the
   * audit says so, and each supervisor is told once why no Level 2 topic opens there, not once per ticket.
   */
  @Test
  void level2TopicsTheForumOfNowRefusesTooGoToTheSupervisorsByDmWithOneNotice() throws Exception {
    escalatedWhileTheTopicsWait();
    restarting.telegram.removedFrom(OLD_FORUM);
    restarting.telegram.cannotManageTopicsIn(NEW_FORUM);
    AppFixture app = restarting.start(dir, MOVED);

    for (int thread : BURST) {
      String id = "ticket-" + CHAT + "-" + thread;
      Awaitility.await(id + "'s Level 2 outcome").atMost(Duration.ofSeconds(60))
          .until(() -> app.awaitTicket(id, x -> true).path("audit").findValuesAsText("event").stream()
              .anyMatch(e -> e.startsWith("LEVEL2_")));
      JsonNode t = app.awaitTicket(id, x -> true);
      assertThat(t.path("level").asInt()).isEqualTo(2);
      assertThat(t.path("audit").findValuesAsText("reason")).as(id + ": the audit says what happened")
          .anyMatch(r -> r.startsWith("no Level 2 topic: Telegram refused to open one in the Level 2 forum " + NEW_FORUM)
              && r.contains("not enough rights to create a topic")
              && r.endsWith("the summary was sent to the supervisors by DM instead"));
      assertThat(level2ChatOf(app, id)).isEmpty();
    }
    for (long supervisor : List.of(SAM, SUE)) {
      Awaitility.await("the summaries and the notice to " + supervisor).atMost(Duration.ofSeconds(30)).until(() ->
          BURST.stream().allMatch(n -> textsTo(restarting.telegram, supervisor).stream()
              .anyMatch(x -> x.contains("Burst " + n + "</")))
              && textsTo(restarting.telegram, supervisor).stream().anyMatch(x -> x.contains("No Level 2 topic can be opened")));
      assertThat(textsTo(restarting.telegram, supervisor)).as("one notice for the forum and its cause")
          .filteredOn(x -> x.contains("No Level 2 topic can be opened")).singleElement()
          .satisfies(x -> assertThat(x).contains(String.valueOf(NEW_FORUM), "not enough rights to create a topic",
              "can_manage_topics"));
    }
    Thread.sleep(1500); // a notice per ticket would be out by now
    assertThat(textsTo(restarting.telegram, SAM)).filteredOn(x -> x.contains("No Level 2 topic can be opened")).hasSize(1);
  }

  /**
   * Before a restart: tickets of {@link #BURST} escalated while Telegram answers createForumTopic 500
   * (the staff forum's budget held them in the audit), so their Level 2 topics wait in the outbox for
   * the old forum when the app stops.
   */
  private void escalatedWhileTheTopicsWait() throws Exception {
    AppFixture app = restarting.start(dir, BEFORE);
    restarting.telegram.enforcePerChatSecond(false);
    for (int thread : BURST) {
      app.postUpdate(UpdateJson.topicCreated(update++, CHAT, thread, BOB, "Burst " + thread, now()));
    }
    for (int thread : BURST) {
      app.awaitTicket("ticket-" + CHAT + "-" + thread, x -> !x.path("createdAt").isNull());
    }
    Thread.sleep(1000); // each opening projected
    restarting.telegram.failNext("createForumTopic", 1_000, 500);
    for (int thread : BURST) {
      app.postUpdate(UpdateJson.text(update++, CHAT, thread, thread + 1, ALICE, "/escalate old forum gone", now()));
    }
    Awaitility.await("the Level 2 topics queued for the old forum").atMost(Duration.ofSeconds(15))
        .until(() -> queuedTopics(app, OLD_FORUM) == BURST.size());
    restarting.stop();
    restarting.telegram.failNext("createForumTopic", 0, 500);
  }

  private static int queuedTopics(AppFixture app, long chat) {
    return app.app().database().jdbi().withHandle(h -> h.createQuery("select count(*) from outbox where method ="
        + " 'createForumTopic' and status in ('PENDING', 'SENDING') and chat_id = :chat").bind("chat", chat)
        .mapTo(Integer.class).one());
  }

  private static java.util.Optional<Long> level2ChatOf(AppFixture app, String ticketId) {
    return app.app().database().jdbi().withHandle(h -> h.createQuery(
        "select chat_id from level2_topics where ticket_id = :id").bind("id", ticketId).mapTo(Long.class).findOne());
  }

  private static List<String> textsTo(dev.forumdesk.telegram.FakeTelegram telegram, long chat) {
    return telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == chat)
        .map(c -> c.params().path("text").asText()).toList();
  }
}
