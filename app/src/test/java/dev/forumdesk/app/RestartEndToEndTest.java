package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of `./forumdesk run` on the same data dir: the embedded Temporal server starts empty,
 * open tickets are restored from the read model and updates whose effect it does not show are
 * delivered again. A refused command has had its effect: the answer in the topic.
 */
class RestartEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender BORIS = new UpdateJson.Sender(1002, "Boris", "boris", "en");
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false   # the supervisor assigns
      """;
  static final String ID = "ticket-" + CHAT + "-300";
  static final String ACTIONS = "/api/tickets/" + ID + "/actions";

  @TempDir Path dir;
  AppFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /**
   * The audit's run: Boris's /hold is refused (Alice has the ticket), then the supervisor gives
   * the ticket to Boris. After a restart the stale /hold was applied: ON_HOLD, SLA paused, hours
   * after the topic was told it was refused.
   */
  @Test
  void aCommandRefusedBeforeARestartIsNotRunAgainAfterIt() throws Exception {
    f = new AppFixture(dir, YAML, Map.of());
    long now = System.currentTimeMillis() / 1000;
    f.postUpdate(UpdateJson.topicCreated(5100, CHAT, 300, BOB, "Printer on fire", now));
    f.awaitTicket(ID, x -> !x.path("createdAt").isNull());
    assertThat(f.post(ACTIONS, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"alice\"}").statusCode())
        .isEqualTo(200);

    f.postUpdate(UpdateJson.text(5101, CHAT, 300, 301, BORIS, "/hold stale command from Boris", now));
    Awaitility.await("the refusal in the topic").atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsIn(300)
        .contains("🚫 Only the assignee (Alice) or a supervisor can put this ticket on hold."));
    assertThat(f.post(ACTIONS, "{\"action\":\"assign\",\"actor\":900001,\"username\":\"boris\"}").statusCode())
        .isEqualTo(200);
    String status = f.awaitTicket(ID, x -> x.path("assignee").path("id").asLong() == 1002).path("status").asText();

    f.close();
    f = new AppFixture(dir, YAML, Map.of());
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(1500); // a hold run again would be projected and posted by now

    JsonNode t = f.awaitTicket(ID, x -> true);
    assertThat(t.path("status").asText()).as("the refused hold changed nothing").isEqualTo(status);
    assertThat(t.path("assignee").path("id").asLong()).isEqualTo(1002);
    assertThat(t.path("sla").path("paused").asBoolean()).isFalse();
    assertThat(t.path("audit").findValuesAsText("event")).doesNotContain("ON_HOLD");
    assertThat(f.telegram.textsIn(300)).noneMatch(x -> x.toLowerCase(java.util.Locale.ROOT).contains("on hold"));
  }
}
