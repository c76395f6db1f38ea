package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the production shape is checked statically: the services, their
 * ports and the environment that wires Forumdesk to Temporal and PostgreSQL.
 */
class DockerComposeTest {
  private static final Path ROOT = Path.of("..");
  private final JsonNode compose;

  DockerComposeTest() throws Exception {
    // SnakeYAML resolves the "<<:" merge keys compose uses (Jackson's YAML reader does not)
    Object tree = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    compose = new ObjectMapper().valueToTree(tree);
  }

  private JsonNode service(String name) {
    JsonNode s = compose.path("services").path(name);
    assertThat(s.isMissingNode()).as("service " + name).isFalse();
    return s;
  }

  @Test
  void hasTheProductionServices() {
    List<String> names = new ArrayList<>();
    compose.path("services").fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("postgresql", "temporal", "temporal-admin-tools", "temporal-ui", "worker", "webhook");
  }

  @Test
  void temporalRunsOnPostgresqlAndTheUiPointsAtIt() {
    JsonNode temporal = service("temporal");
    assertThat(temporal.path("image").asText()).startsWith("temporalio/auto-setup");
    assertThat(temporal.path("environment").path("DB").asText()).startsWith("postgres");
    assertThat(temporal.path("environment").path("POSTGRES_SEEDS").asText()).isEqualTo("postgresql");
    assertThat(temporal.path("ports").toString()).contains("7233:7233");
    JsonNode ui = service("temporal-ui");
    assertThat(ui.path("environment").path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
    assertThat(ui.path("ports").toString()).contains(":8080");
  }

  @Test
  void searchAttributesForTicketsAreCreatedAtStart() {
    String command = service("temporal-admin-tools").path("command").toString();
    assertThat(command).contains("search-attribute create")
        .contains("TicketStatus", "TicketAssignee", "TicketQueue", "TicketPriority");
    // the names the workflow upserts
    assertThat(command).contains("TicketLevel", "TicketCustomer");
  }

  @Test
  void workerAndWebhookAreBuiltHereAndWiredToTemporalAndPostgresql() throws Exception {
    for (String role : List.of("worker", "webhook")) {
      JsonNode s = service(role);
      assertThat(s.path("build").asText()).isEqualTo(".");
      assertThat(s.path("command").get(0).asText()).isEqualTo(role);
      JsonNode env = s.path("environment");
      assertThat(env.path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
      assertThat(env.path("FORUMDESK_DB_URL").asText()).startsWith("jdbc:postgresql://postgresql:5432/");
      assertThat(env.path("FORUMDESK_CONFIG").asText()).isNotEmpty();
      assertThat(env.has("TELEGRAM_BOT_TOKEN")).isTrue();
    }
    assertThat(service("webhook").path("ports").toString()).contains("8080:8080");
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("dev.forumdesk.app.Forumdesk");
    assertThat(ROOT.resolve("deploy/postgres-init.sh")).exists();
    assertThat(ROOT.resolve("deploy/forumdesk.yaml")).exists();
  }
}
