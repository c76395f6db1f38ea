package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.forumdesk.log.LogCapture;
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
 * SIGTERM while activities write (audit 10, F3): a burst of escalations whose Level 2 topics wait
 * for the staff forum's budget (one topic a second), the app stopped as the first ones open, then
 * started again on the same data against the same Telegram. The stop interrupted the activities
 * mid-write: H2 closed under them and under the outbox sender, the SENT mark of a topic Telegram
 * had opened was lost, and the restarted app opened the same Level 2 topic again, with hundreds of
 * stack-trace lines at the stop.
 */
class ShutdownEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final long STAFF_FORUM = SampleDesk.LEVEL2_CHAT;
  static final int TICKETS = 8;
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false
      """;

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.root();
  @RegisterExtension final RestartingApp app = new RestartingApp();
  final FakeTelegram telegram = app.telegram;
  AppFixture f;


  private List<String> topicsOpened() {
    return telegram.calls("createForumTopic").stream().filter(c -> c.status() == 200)
        .map(c -> c.params().path("name").asText()).toList();
  }

  @Test
  void aStopWhileLevel2TopicsOpenSendsNothingTwiceAfterTheRestartAndLogsNoStackTrace() throws Exception {
    assertThat(YAML).contains("level2-chat-id: " + STAFF_FORUM);
    f = app.start(dir, YAML);
    long update = 1;
    for (int i = 0; i < TICKETS; i++) {
      long thread = 400 + 2 * i;
      f.postUpdate(UpdateJson.topicCreated(update++, CHAT, thread, BOB, "Restart " + thread, now()));
      f.postUpdate(UpdateJson.text(update++, CHAT, thread, thread + 1, BOB, "Help with " + thread, now()));
    }
    for (int i = 0; i < TICKETS; i++) {
      f.awaitTicket("ticket-" + CHAT + "-" + (400 + 2 * i), x -> !x.path("createdAt").isNull());
    }
    for (int i = 0; i < TICKETS; i++) {
      long thread = 400 + 2 * i;
      f.postUpdate(UpdateJson.text(update++, CHAT, thread, thread + 1, ALICE, "/escalate the bank's side", now()));
    }
    Awaitility.await("the first Level 2 topics").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> topicsOpened().size() >= 2);

    int before = logs.events().size();
    long start = System.nanoTime();
    app.stop();
    Duration stopped = Duration.ofNanos(System.nanoTime() - start);
    List<ILoggingEvent> atStop = logs.events().subList(before, logs.events().size());
    assertThat(atStop).as("the stop's log").noneSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR))
        .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull());
    assertThat(stopped).as("within docker stop's 10 s").isLessThan(Duration.ofSeconds(10));
    int openedBeforeTheStop = topicsOpened().size();
    assertThat(openedBeforeTheStop).isLessThan(TICKETS); // the stop came while topics waited

    f = app.start(dir, YAML);
    // the staff forum's budget (20 calls a minute) holds the rest of the topics and summaries a while
    Awaitility.await("every ticket's Level 2 topic").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          for (int i = 0; i < TICKETS; i++) {
            var t = f.json("/api/tickets/ticket-" + CHAT + "-" + (400 + 2 * i));
            if (t.path("level").asInt() != 2 || !t.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC")) {
              return false;
            }
          }
          return true;
        });
    Awaitility.await("every Level 2 summary").atMost(Duration.ofSeconds(60)).until(() -> telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == STAFF_FORUM
            && c.params().path("text").asText().startsWith("Level 2 escalation of"))
        .count() >= TICKETS);

    assertThat(topicsOpened()).as("one Level 2 topic per ticket").hasSize(TICKETS).doesNotHaveDuplicates();
    assertThat(telegram.sent().stream().map(c -> c.params().path("chat_id").asLong() + "/"
            + c.params().path("message_thread_id").asLong() + ": " + c.params().path("text").asText()).toList())
        .as("nothing sent twice").doesNotHaveDuplicates();
  }
}
