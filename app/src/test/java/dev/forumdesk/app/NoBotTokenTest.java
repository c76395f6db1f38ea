package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.Settings;
import dev.forumdesk.json.Json;
import dev.forumdesk.log.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` without TELEGRAM_BOT_TOKEN (CONTRACT: absent = demo mode) still starts, so the API can be
 * used and tested; but a forgotten token must not look like a working desk: one WARN at start says
 * that no update is received and nothing sent, and the health's telegram check shows it (DEGRADED),
 * while the overall status stays UP, as CONTRACT's health is about the desk's own parts.
 */
class NoBotTokenTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture logged = LogCapture.root();
  private final HttpClient http = HttpClient.newHttpClient();

  private ForumdeskApp start(ForumdeskApp.Mode mode) throws Exception {
    Path config = dir.resolve("forumdesk.yaml");
    Files.writeString(config, AppFixture.CONFIG);
    Map<String, String> env = new HashMap<>(Map.of("FORUMDESK_HTTP_PORT", "0", "FORUMDESK_API_TOKEN",
        AppFixture.API_TOKEN, "FORUMDESK_DATA_DIR", dir.resolve("data").toString()));
    if (mode == ForumdeskApp.Mode.RUN) {
      env.put("FORUMDESK_CONFIG", config.toString());
    }
    return ForumdeskApp.start(Settings.fromEnv(env), mode, 0);
  }

  private HttpResponse<String> health(ForumdeskApp app) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/observe/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runWithoutABotTokenWarnsOnceThatNothingIsReceivedOrSentAndHealthShowsIt() throws Exception {
    try (ForumdeskApp app = start(ForumdeskApp.Mode.RUN)) {
      List<String> told = logged.warnings().stream().filter(w -> w.contains("TELEGRAM_BOT_TOKEN")).toList();
      assertThat(told).hasSize(1);
      assertThat(told.get(0)).startsWith("no TELEGRAM_BOT_TOKEN: ")
          .contains("no update is received from Telegram and nothing is sent")
          .contains("TELEGRAM_WEBHOOK_SECRET");

      HttpResponse<String> h = health(app);
      JsonNode body = Json.mapper().readTree(h.body());
      assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
      assertThat(body.path("status").asText()).isEqualTo("UP");
      JsonNode telegram = body.path("checks").path("telegram");
      assertThat(telegram.path("status").asText()).as(h.body()).isEqualTo("DEGRADED");
      assertThat(telegram.path("mode").asText()).isEqualTo("no bot token");
      assertThat(telegram.path("receiving").asBoolean(true)).isFalse();
      assertThat(telegram.path("sending").asBoolean(true)).isFalse();

      HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
          + "/api/tickets")).header("Authorization", "Bearer " + AppFixture.API_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).as("the API works").isEqualTo(200);
    }
  }

  @Test
  void devWithoutABotTokenIsTheDemoAsBefore() throws Exception {
    try (ForumdeskApp app = start(ForumdeskApp.Mode.DEV)) {
      assertThat(logged.warnings()).noneMatch(w -> w.contains("TELEGRAM_BOT_TOKEN"));
      JsonNode telegram = Json.mapper().readTree(health(app).body()).path("checks").path("telegram");
      assertThat(telegram.path("status").asText()).isEqualTo("UP");
      assertThat(telegram.path("mode").asText()).isEqualTo("demo");
    }
  }
}
