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

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(ForumdeskApp.class);
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
}
