package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed bodies against the real server: never a 5xx, never a ticket, and the
 * server still stores a proper update afterwards.
 */
class WebhookFuzzTest {
  static final String SECRET = "fuzz_Secret-1";
  static final long CHAT = -1001234567890L;
  static Path dir;
  static Database db;
  static Inbox inbox;
  static WebServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final String VALID =
      UpdateJson.topicCreated(77, CHAT, 42, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Refund", 1_700_000_000L);

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("fuzz");
    db = Database.embedded(dir);
    inbox = new Inbox(db);
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {chat-id: " + CHAT + "}");
    Ingress ingress = new Ingress(inbox, new UpdateClassifier(config, (c, t) -> Optional.empty()), new SimpleMeterRegistry(), () -> {}, 10_000);
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/telegram", new WebhookService(ingress, Optional.of(SECRET),
            new CidrAllowList(List.of("127.0.0.0/8")))))
        .build().start();
  }

  @AfterContainer
  static void stop() {
    // the server must have survived everything: a proper update is still stored
    try {
      assertThat(post(VALID)).isEqualTo(200);
      assertThat(inbox.pending(10)).singleElement().satisfies(r -> assertThat(r.updateId()).isEqualTo(77));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      server.stop();
      db.close();
    }
  }

  static int post(String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Property(tries = 150)
  void malformedBodiesAreRefusedCleanly(@ForAll("malformed") String body) throws Exception {
    int status = post(body);
    assertThat(status).as(body).isLessThan(500).isIn(200, 400);
    assertThat(inbox.pending(10)).as("no ticket from " + body).isEmpty();
  }

  @Provide
  Arbitrary<String> malformed() {
    Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(300);
    Arbitrary<String> truncated = Arbitraries.integers().between(0, VALID.length() - 1).map(n -> VALID.substring(0, n));
    Arbitrary<String> wrongTypes = Arbitraries.of(
        "{\"update_id\":\"x\"}", "{\"update_id\":1.5e400}", "{\"update_id\":null,\"message\":{}}",
        "{\"update_id\":9,\"message\":\"text\"}", "{\"update_id\":9,\"message\":{\"chat\":[]}}",
        "{\"update_id\":9,\"message\":{\"message_id\":\"a\",\"chat\":{\"id\":" + CHAT + "}}}",
        "{\"update_id\":9,\"message\":{\"date\":-1,\"chat\":{\"id\":" + CHAT + ",\"is_forum\":\"yes\"}}}",
        "null", "[]", "\"\"", "0", "{}", "{\"update_id\":99999999999999999999999}");
    Arbitrary<String> randomJson = Arbitraries.maps(
            Arbitraries.of("update_id", "message", "chat", "from", "text", "is_topic_message", "x"),
            Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), Arbitraries.strings().alpha().ofMaxLength(8)
                .map(s -> "\"" + s + "\""), Arbitraries.of("{}", "[]", "null", "true")))
        .ofMaxSize(6)
        .map(m -> "{" + String.join(",", m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).toList()) + "}");
    return Arbitraries.oneOf(noise, truncated, wrongTypes, randomJson);
  }
}
