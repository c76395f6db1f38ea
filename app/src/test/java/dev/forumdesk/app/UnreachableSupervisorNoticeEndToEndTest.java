package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 10, F6: without a staff forum the notice "📵 Forumdesk cannot write to Sue privately" went
 * to every supervisor by DM, Sue included: refused again, those were the outbox's only failures and
 * tripped the alert README recommends on forumdesk_outbox_failed. It goes to the others only, and
 * once per person across restarts.
 */
class UnreachableSupervisorNoticeEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final long SAM = 900001;
  static final long SUE = 900002;
  static final String YAML = (AppFixture.CONFIG + """
      routing:
        enabled: false
      """).replace("  level2-chat-id: " + SampleDesk.LEVEL2_CHAT + "\n", "")
      .replace("supervisors: [" + SAM + "]", "supervisors: [" + SAM + ", " + SUE + "]");

  @TempDir Path dir;
  @RegisterExtension final RestartingApp app = new RestartingApp();
  final FakeTelegram telegram = app.telegram;
  AppFixture f;
  long update = 1;


  private List<FakeTelegram.Call> unreachableNotices() {
    return telegram.calls("sendMessage").stream()
        .filter(c -> c.params().path("text").asText().startsWith("📵 Forumdesk cannot write to")).toList();
  }

  private void escalate(long thread) throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, thread, BOB, "Question " + thread, now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, thread + 1, BOB, "Help with " + thread, now()));
    f.awaitTicket("ticket-" + CHAT + "-" + thread, x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, thread + 1, ALICE, "/escalate the bank's side", now()));
    Awaitility.await("Sue's refused DM of " + thread).atMost(Duration.ofSeconds(20)).until(() ->
        telegram.calls("sendMessage").stream().anyMatch(c -> c.params().path("chat_id").asLong() == SUE
            && c.params().path("text").asText().contains("Question " + thread) && c.status() == 403));
  }

  @Test
  void theNoticeThatSueCannotBeWrittenToGoesToTheOtherSupervisorsOnceAcrossRestarts() throws Exception {
    assertThat(YAML).doesNotContain("level2-chat-id").contains("supervisors: [" + SAM + ", " + SUE + "]");
    telegram.neverStartedTheBot(SUE);
    f = app.start(dir, YAML);
    escalate(300);
    Awaitility.await("the notice to Sam").atMost(Duration.ofSeconds(15)).until(() -> !unreachableNotices().isEmpty());
    Thread.sleep(1_500); // a notice to Sue herself would follow at once
    assertThat(unreachableNotices()).singleElement()
        .satisfies(c -> assertThat(c.params().path("chat_id").asLong()).isEqualTo(SAM));
    assertThat(f.json("/observe/health").toString()).contains("\"failed\":0");
    app.stop();

    f = app.start(dir, YAML);
    escalate(302);
    Thread.sleep(1_500);
    assertThat(unreachableNotices()).as("told once, not at every restart").hasSize(1);
  }

  /**
   * Audit 16, F1: a DM refused for another reason than a private chat closed to the bot (a 400,
   * "message is too long" then, here bad markup) was taken for a supervisor who never started the
   * bot: the others were told "📵 Forumdesk cannot write to Sue privately", the health listed her,
   * the audit said nothing reaches her until she starts a private chat, which she has. Only a 403
   * means that.
   */
  @Test
  void aDmRefusedWithA400IsThatMessagesNotTheSupervisorsPrivateChat() throws Exception {
    telegram.refuses(SUE, 400, "Bad Request: can't parse entities: unsupported start tag");
    f = app.start(dir, YAML);
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 400, BOB, "Question 400", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 400, 401, BOB, "Help with 400", now()));
    f.awaitTicket("ticket-" + CHAT + "-400", x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 400, 402, ALICE, "/escalate the bank's side", now()));
    Awaitility.await("Sue's refused DM").atMost(Duration.ofSeconds(20)).until(() ->
        telegram.calls("sendMessage").stream().anyMatch(c -> c.params().path("chat_id").asLong() == SUE
            && c.params().path("text").asText().contains("Question 400") && c.status() == 400));
    var ticket = f.awaitTicket("ticket-" + CHAT + "-400",
        x -> x.path("audit").findValuesAsText("event").contains("NOTIFICATION_FALLBACK"));
    assertThat(ticket.path("audit").findValuesAsText("reason")).filteredOn(r -> r.contains("can't parse entities"))
        .isNotEmpty().noneMatch(r -> r.contains("until they start a private chat"));
    // a notice to Sam would be queued before the audit's note (RefusedDelivery): sent once the outbox is empty
    Awaitility.await("the outbox sent all").atMost(Duration.ofSeconds(30)).until(() ->
        f.json("/observe/health").path("checks").path("outbox").path("backlog").asLong() == 0);
    assertThat(unreachableNotices()).as("Sue has a private chat with the bot").isEmpty();
    assertThat(f.json("/observe/health").path("checks").path("privateChats").path("unreachable").toString())
        .doesNotContain("900002");
  }
}
