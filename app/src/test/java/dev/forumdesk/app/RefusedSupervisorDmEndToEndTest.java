package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A supervisor's refused DM in group mode, through the real webhook, Temporal and fake Telegram. The
 * first response is 15 s here, not LifecycleEndToEndTest's 2 s: a warning whose due has passed when
 * its turn comes is not sent (LateWarnings), and 2 s left the refused DM's fallback no time.
 */
class RefusedSupervisorDmEndToEndTest {
  static final UpdateJson.Sender BOB = LifecycleEndToEndTest.BOB;
  static final String YAML = AppFixture.CONFIG + """
      sla:
        first-response: PT15S
      routing:
        enabled: false   # an unassigned ticket: its warning goes to the supervisors
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;

  /**
   * Group mode: the customer reads the topic, so a private note the supervisor cannot receive goes
   * to the staff forum (the Level 2 group, another forum here), mentioning them, and not to the topic.
   */
  @Test
  void aDmTheSupervisorCannotReceiveGoesToTheStaffForumNotTheCustomersTopicAndIsAudited() throws Exception {
    f.telegram.neverStartedTheBot(900001);
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 45, BOB, "Warn the supervisor", now()));
    // the 80% warning (at 12 s) goes to the supervisor privately (no assignee): refused, so it goes to the staff forum
    Awaitility.await("the warning's DM").atMost(Duration.ofSeconds(30)).until(() -> f.telegram.calls("sendMessage").stream()
        .anyMatch(c -> c.status() == 403 && c.params().path("chat_id").asLong() == 900001));
    JsonNode t = f.awaitTicket("ticket--1001234567890-45",
        x -> x.path("audit").findValuesAsText("event").contains("NOTIFICATION_FALLBACK"));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.sent().stream()
        .anyMatch(c -> c.params().path("chat_id").asLong() == LifecycleEndToEndTest.STAFF_FORUM && !c.params().has("message_thread_id")
            && c.params().path("text").asText().startsWith("<a href=\"tg://user?id=900001\">")
            && c.params().path("text").asText().contains("first response due")));
    assertThat(f.telegram.textsIn(45)).as("the customer's topic").noneMatch(x -> x.contains("first response due"));
    assertThat(t.path("audit").toString()).contains("Forbidden")
        // named as the ticket knows them (a supervisor who is not an agent has no other name)
        .contains("DM to Supervisor 900001 refused")
        .contains("posted in the staff forum instead");
    assertThat(t.path("audit").findValuesAsText("at")).as("milliseconds at most, never nanoseconds")
        .allMatch(at -> !at.matches(".*\\.\\d{4,}Z"));
  }
}
