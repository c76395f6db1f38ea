package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.log.LogCapture;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hot reload of FORUMDESK_CONFIG in the running app (README "Configuration"): an added agent is
 * staff at once (their message in a topic is the first response), a new sla.first-response applies
 * to the tickets opened after it, and a changed support.mode is named in a WARN and stays as it was.
 */
class ConfigReloadEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender CARMEN = new UpdateJson.Sender(1003, "Carmen", "carmen", "en");

  @RegisterExtension final LogCapture logs = LogCapture.of(LiveConfig.class);
  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG);

  @Test
  void aReloadAddsAnAgentTightensTheSlaOfNewTicketsAndNamesTheModeChangeThatWaitsForARestart() throws Exception {
    Path config = f.configFile();
    Files.writeString(config, AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n")
        + "  - {id: 1003, name: Carmen, username: carmen, team: general, languages: [en], max-open: 8}\n"
        + "sla: {first-response: PT7M}\n");
    Files.setLastModifiedTime(config, FileTime.from(Instant.now().plusSeconds(5)));
    Thread.sleep(2_100); // LiveConfig looks at the file at most every 2 s

    long now = UpdateJson.now();
    String id = "ticket--1001234567890-77";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 77, 78, BOB, "Hello", "Where is my parcel?", now));
    JsonNode t = f.awaitTicket(id, x -> !x.path("createdAt").isNull());
    assertThat(Instant.parse(t.path("sla").path("firstResponseDue").asText()))
        .as("the reloaded sla.first-response for a ticket opened after the reload")
        .isEqualTo(Instant.parse(t.path("createdAt").asText()).plus(Duration.ofMinutes(7)));
    assertThat(logs.warnings()).containsExactly("FORUMDESK_CONFIG " + config
        + ": support.mode changed group → relay: takes effect after a restart");

    f.postUpdate(UpdateJson.textInTopic(2, CHAT, 77, 79, CARMEN, "Hello", "Let me look", now + 1));
    JsonNode answered = f.awaitTicket(id, x -> x.hasNonNull("firstResponseAt"));
    assertThat(answered.path("firstResponseAt").asText()).as("Carmen, added by the reload, answered as staff")
        .isNotEmpty();
  }
}
