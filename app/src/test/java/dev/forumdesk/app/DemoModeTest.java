package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.Settings;
import dev.forumdesk.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./forumdesk dev} without a bot token: what README promises a first look shows. */
class DemoModeTest {
  @TempDir Path dir;

  @Test
  void threeSampleTopicsInEnglishRussianAndSpanishAndAnAgentAnswersOne() throws Exception {
    String token = "demo-api-token";
    try (ForumdeskApp app = ForumdeskApp.start(Settings.fromEnv(Map.of(
        "FORUMDESK_DATA_DIR", dir.resolve("data").toString(), "FORUMDESK_API_TOKEN", token,
        "FORUMDESK_HTTP_PORT", "0", "FORUMDESK_TEMPORAL_PORT", "0")), ForumdeskApp.Mode.DEV, 0)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/tickets"))
          .header("Authorization", "Bearer " + token).build();
      List<String> seen = new ArrayList<>();
      Awaitility.await("three routed sample tickets").atMost(Duration.ofSeconds(60)).until(() -> {
        JsonNode tickets = Json.mapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
        seen.clear();
        tickets.forEach(t -> seen.add(t.path("language").asText() + " " + t.path("status").asText()));
        // a topic's language may first come from its title alone, then from its first message
        return seen.size() == 3 && seen.containsAll(List.of("en IN_PROGRESS", "ru NEW", "es NEW"));
      });
      // nothing the demo fed is dated in the future (the agent's answer was dated a minute ahead)
      java.time.Instant now = java.time.Instant.now();
      for (JsonNode t : Json.mapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body())) {
        for (String field : List.of("createdAt", "lastActivityAt", "firstResponseAt")) {
          if (!t.path(field).isNull() && !t.path(field).isMissingNode()) {
            assertThat(java.time.Instant.parse(t.path(field).asText())).as(t.path("id").asText() + " " + field)
                .isBeforeOrEqualTo(now);
          }
        }
      }
      assertThat(seen).containsExactlyInAnyOrder("en IN_PROGRESS", "ru NEW", "es NEW");
    }
  }
}
