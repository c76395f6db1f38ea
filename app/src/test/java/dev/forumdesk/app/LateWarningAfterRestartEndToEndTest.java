package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 12, F5: after a restart, restored tickets' "⏰ First response due soon (80%)" warnings went
 * out 2 minutes after the due, after the tickets were escalated. Here the supervisor's warning DM
 * meets a 429 just before a stop, so it waits in the outbox across the restart, which comes after
 * the due: the ticket's breach notice goes out, the stale warning does not.
 */
class LateWarningAfterRestartEndToEndTest {
  static final long SUPERVISOR = 900001;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  /** The warning at 9.6 s; unassigned (no routing), so it goes to the supervisor by DM. */
  static final String YAML = AppFixture.CONFIG + """
      sla:
        first-response: PT12S
        priorities: {HIGH: {first-response: PT12S}, URGENT: {first-response: PT12S}}
      routing:
        enabled: false
      """;

  @TempDir Path dir;
  @RegisterExtension final RestartingApp app = new RestartingApp();
  final FakeTelegram telegram = app.telegram;

  @Test
  void aWarningStillQueuedAtARestartAfterItsDueIsNotSent() throws Exception {
    AppFixture f = app.start(dir, YAML);
    Instant opened = Instant.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 70, BOB, "Late warning 70", now()));
    f.postUpdate(UpdateJson.text(2, CHAT, 70, 71, BOB, "My card was charged twice", now()));
    f.awaitTicket("ticket-" + CHAT + "-70", x -> !x.path("createdAt").isNull());
    Awaitility.await("the acknowledgement").atMost(Duration.ofSeconds(8))
        .until(() -> !telegram.textsTo(CHAT, 70L).isEmpty());
    telegram.failNext("sendMessage", 1, 429); // the next message, the warning DM: retried in 2 s
    Awaitility.await("the warning's first try").atMost(Duration.ofSeconds(20)).until(() -> telegram.calls("sendMessage")
        .stream().anyMatch(c -> c.status() == 429 && c.params().path("chat_id").asLong() == SUPERVISOR));
    app.stop();
    assertThat(warnings()).as("not sent before the stop").isEmpty();

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), opened.plusSeconds(13)).toMillis())); // past the due
    f = app.start(dir, YAML);
    Awaitility.await("the breach notice").atMost(Duration.ofSeconds(30)).until(() -> telegram.sent().stream()
        .anyMatch(c -> c.params().path("text").asText().contains("No agent has answered")));
    Thread.sleep(2000); // the outbox's other rows have had their turn
    assertThat(warnings()).as("the 80% warning, due before the restart").isEmpty();
  }

  /** The 80% warnings that reached Telegram, anywhere. */
  private java.util.List<String> warnings() {
    return telegram.sent().stream().map(c -> c.params().path("text").asText())
        .filter(t -> t.contains("80% of the time used")).toList();
  }
}
