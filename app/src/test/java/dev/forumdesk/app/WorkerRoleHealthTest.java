package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker role sends the bot's messages and receives nothing: its health's telegram check
 * judges sending (Telegram's Bot API answers our token), not the webhook registration, which is the
 * webhook role's job. README asks to start the worker first, and it was DOWN (503) until the webhook
 * role's setWebhook got through, ~40 s (audit 18a F3).
 */
class WorkerRoleHealthTest {
  @TempDir Path dir;

  @Test
  void theWorkerRoleStartedFirstIsUpWhileNoWebhookIsSet() throws Exception {
    RolesApart apart = RolesApart.start();
    AppFixture worker = null;
    try {
      worker = apart.role(dir.resolve("worker"), AppFixture.ALICE_ONLY, ForumdeskApp.Mode.WORKER);
      var r = worker.get("/observe/health");
      JsonNode telegram = Json.mapper().readTree(r.body()).path("checks").path("telegram");
      assertThat(apart.telegram.webhookUrl()).as("no webhook role yet").isEmpty();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(telegram.path("status").asText()).isEqualTo("UP");
      assertThat(telegram.path("sending").asBoolean()).isTrue();
      assertThat(telegram.path("webhook").asText()).isEqualTo("not set in Telegram (the webhook role sets it)");

    } finally {
      apart.closeWith(worker);
    }
  }
}
