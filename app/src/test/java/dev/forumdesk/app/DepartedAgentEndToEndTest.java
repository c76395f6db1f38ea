package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent removed from {@code agents} by a hot reload (README "Reloading"): their open ticket goes
 * to the next best agent through the ticket's own /reassign, audited, and the supervisors get one
 * notice in the staff forum naming it.
 */
class DepartedAgentEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG);

  @Test
  void theOpenTicketsOfAnAgentAReloadRemovedGoToTheNextBestAndTheSupervisorsAreToldOnce() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-77";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 77, 78, BOB, "Sync error", "The app shows a sync error", now));
    JsonNode assigned = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("id"));
    long leaver = assigned.path("assignee").path("id").asLong();
    String leaverName = assigned.path("assignee").path("name").asText();

    reload(Arrays.stream(AppFixture.CONFIG.split("\n", -1)).filter(line -> !line.contains("{id: " + leaver + ","))
        .collect(Collectors.joining("\n")));

    JsonNode moved = f.awaitTicket(id, x -> x.path("assignee").path("id").asLong() != leaver);
    assertThat(moved.path("assignee").path("id").asLong()).as("the other configured agent").isIn(1001L, 1002L);
    List<String> reasons = moved.path("audit").findValuesAsText("reason");
    assertThat(moved.path("audit").findValuesAsText("event")).contains("REASSIGNED");
    assertThat(reasons).anyMatch(r -> r.startsWith("the assignee is no longer on the team;")
        && r.endsWith("reassigned to next best " + moved.path("assignee").path("name").asText() + " (by Forumdesk)"));

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.telegram.sent().stream().anyMatch(c ->
        c.params().path("chat_id").asLong() == SampleDesk.LEVEL2_CHAT
            && c.params().path("text").asText().contains(leaverName + " is no longer in <code>agents</code>")));
    List<String> notices = f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == SampleDesk.LEVEL2_CHAT)
        .map(c -> c.params().path("text").asText())
        .filter(t -> t.contains("is no longer in <code>agents</code>"))
        .toList();
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0)).contains("Sync error").contains("Reassigned to next best");
  }

  /**
   * A lead lists what an agent left after a reload removed them, by the username they last had: a
   * reload that renamed them first is what the desk keeps.
   */
  @Test
  void aLeadListsByUsernameWhatAnAgentARemovedLeft() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-79";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 79, 80, BOB, "Refund", "Where is my refund?", now));
    long leaver = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("id")).path("assignee").path("id").asLong();
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"resolve\",\"actor\":" + leaver + "}")
        .statusCode()).isEqualTo(200);
    f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"));

    String renamed = reload(AppFixture.CONFIG.replace("username: " + (leaver == 1001 ? "alice" : "boris"),
        "username: Leaver_" + leaver));
    reload(Arrays.stream(renamed.split("\n", -1)).filter(line -> !line.contains("{id: " + leaver + ","))
        .collect(Collectors.joining("\n")));
    assertThat(f.json("/api/agents").findValuesAsText("id")).doesNotContain(String.valueOf(leaver));

    HttpResponse<String> left = f.get("/api/tickets?assignee=@leaver_" + leaver);
    assertThat(left.statusCode()).as(left.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(left.body())).extracting(t -> t.path("id").asText()).containsExactly(id);
  }

  /** FORUMDESK_CONFIG rewritten to {@code yaml}, and read again. */
  private String reload(String yaml) throws Exception {
    Path config = f.configFile();
    Files.writeString(config, yaml);
    Files.setLastModifiedTime(config, FileTime.from(Instant.now().plusSeconds(5)));
    Thread.sleep(2_100); // LiveConfig looks at the file at most every 2 s
    f.get("/api/agents"); // a read of the config: the reload happens at the next one
    return yaml;
  }
}
