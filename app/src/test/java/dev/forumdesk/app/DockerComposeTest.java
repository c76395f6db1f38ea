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
    JsonNode ui = service("temporal-ui");
    assertThat(ui.path("environment").path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
    assertThat(ui.path("ports").toString()).contains(":8080");
  }

  /**
   * Temporal's frontend and its Web UI have no login: anyone reaching them could terminate tickets
   * or read every customer's messages. Published on the host's loopback only (Docker's own iptables
   * rules would bypass a host firewall for 0.0.0.0); the roles reach temporal:7233 on the network.
   */
  @Test
  void temporalAndItsWebUiArePublishedOnTheHostsLoopbackOnly() {
    for (String name : List.of("temporal", "temporal-ui")) {
      JsonNode ports = service(name).path("ports");
      assertThat(ports.size()).as(name + " ports").isPositive();
      ports.forEach(p -> assertThat(p.asText()).as(name + " publishes " + p).startsWith("127.0.0.1:"));
    }
    assertThat(service("temporal").path("ports").toString()).contains("127.0.0.1:7233:7233");
    assertThat(service("temporal-ui").path("ports").toString()).contains("127.0.0.1:8233:8080");
    assertThat(service("temporal-ui").path("environment").has("TEMPORAL_CORS_ORIGINS"))
        .as("no CORS origin for a page nothing serves").isFalse();
  }

  /** A forgotten bot token stops `docker compose up` with a message, not a desk that never talks to Telegram. */
  @Test
  void theBotTokenAndWebhookSecretAreRequired() {
    for (String role : List.of("worker", "webhook")) {
      JsonNode env = service(role).path("environment");
      for (String name : List.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "FORUMDESK_API_TOKEN")) {
        assertThat(env.path(name).asText()).as(role + " " + name).matches("\\$\\{" + name + ":\\?set " + name + "\\b.*}");
      }
    }
  }

  /** One image, built once, runs both roles (compose skips the pull of an image another service builds). */
  @Test
  void theImageIsBuiltOnceForBothRoles() {
    List<String> building = new ArrayList<>();
    compose.path("services").fields().forEachRemaining(e -> {
      if (e.getValue().has("build")) {
        building.add(e.getKey());
      }
    });
    assertThat(building).containsExactly("worker");
    String image = service("worker").path("image").asText();
    assertThat(image).isNotEmpty();
    assertThat(service("webhook").path("image").asText()).isEqualTo(image);
  }

  /**
   * `docker compose ps` tells a healthy role from a running one: each asks its own /observe/health
   * with the probe in the image (the JRE image need not have curl), on the port the role serves.
   */
  @Test
  void bothRolesHaveAHealthcheckOnTheirOwnPortWithAProbeTheImageHas() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    for (String role : List.of("worker", "webhook")) {
      JsonNode s = service(role);
      List<String> test = new ArrayList<>();
      s.path("healthcheck").path("test").forEach(t -> test.add(t.asText()));
      assertThat(test).as(role).startsWith("CMD", "java").contains(HealthProbe.class.getName());
      assertThat(String.join(" ", test)).contains("/app/forumdesk.jar");
      assertThat(dockerfile).contains("/app/forumdesk.jar");
      assertThat(s.path("environment").path("FORUMDESK_HTTP_PORT").asText()).as("the port the probe asks").isNotEmpty();
      assertThat(s.path("healthcheck").path("start_period").asText()).as(role + " start_period").isNotEmpty();
    }
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
      assertThat(s.path("command").get(0).asText()).isEqualTo(role);
      JsonNode env = s.path("environment");
      assertThat(env.path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
      assertThat(env.path("FORUMDESK_DB_URL").asText()).startsWith("jdbc:postgresql://postgresql:5432/");
      assertThat(env.path("FORUMDESK_CONFIG").asText()).isNotEmpty();
      assertThat(env.has("TELEGRAM_BOT_TOKEN")).isTrue();
    }
    assertThat(service("worker").path("build").asText()).isEqualTo(".");
    assertThat(service("webhook").path("ports").toString()).contains("8080:8080");
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("dev.forumdesk.app.Forumdesk");
    assertThat(ROOT.resolve("deploy/postgres-init.sh")).exists();
    assertThat(ROOT.resolve("deploy/forumdesk.yaml")).exists();
  }
}
