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
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X-Forwarded-For from trusted proxies only, the unguessable path segment, the backlog cap. */
class WebhookHardeningTest {
  static final String SECRET = "s3cret_Token-1";
  static final String PATH_SECRET = "Zq7_unguessable-Segment-93";
  static final long CHAT = -1001234567890L;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @TempDir Path dir;
  Database db;
  Inbox inbox;
  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  void start(List<String> allowed, List<String> trustedProxies, Optional<String> pathSecret, long maxBacklog) {
    db = Database.embedded(dir);
    inbox = new Inbox(db);
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {chat-id: " + CHAT + "}");
    Ingress ingress = new Ingress(inbox, new UpdateClassifier(config, (c, t) -> Optional.empty()), new SimpleMeterRegistry(), () -> {}, maxBacklog);
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/telegram", new WebhookService(ingress, Optional.of(SECRET),
            new CidrAllowList(allowed), new CidrAllowList(trustedProxies), pathSecret)))
        .build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
    db.close();
  }

  int post(String path, String body, Optional<String> forwardedFor) throws Exception {
    return send(path, body, forwardedFor).statusCode();
  }

  HttpResponse<String> send(String path, String body, Optional<String> forwardedFor) throws Exception {
    return send(path, body, forwardedFor.stream().toList());
  }

  /** @param forwardedFor one X-Forwarded-For field line each, in this order */
  HttpResponse<String> send(String path, String body, List<String> forwardedFor) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .version(HttpClient.Version.HTTP_1_1)
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    forwardedFor.forEach(v -> b.header("X-Forwarded-For", v));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String topic(long updateId, long thread) {
    return UpdateJson.topicCreated(updateId, CHAT, thread, BOB, "Help", 1_700_000_000L);
  }

  @Test
  void forwardedForIsBelievedOnlyFromATrustedProxy() throws Exception {
    // Telegram's network allowed, loopback is a trusted proxy but not itself allowed
    start(List.of("149.154.160.0/20"), List.of("127.0.0.0/8"), Optional.empty(), Long.MAX_VALUE);
    assertThat(post("/telegram/webhook", topic(1, 42), Optional.empty())).as("the proxy itself").isEqualTo(403);
    assertThat(post("/telegram/webhook", topic(2, 42), Optional.of("149.154.167.99"))).isEqualTo(200);
    assertThat(post("/telegram/webhook", topic(3, 42), Optional.of("10.0.0.5"))).isEqualTo(403);
    assertThat(post("/telegram/webhook", topic(4, 42), Optional.of("10.0.0.5, 149.154.167.99")))
        .as("right-most untrusted hop is the client").isEqualTo(200);
    assertThat(post("/telegram/webhook", topic(5, 42), Optional.of("not-an-ip"))).isEqualTo(403);
    assertThat(inbox.lastUpdateId()).isEqualTo(4);
  }

  @Test
  void severalForwardedForLinesAreOneListAndItsRightMostHopCounts() throws Exception {
    // a proxy that adds a line of its own (HAProxy's option forwardfor) instead of extending the client's:
    // RFC 9110 5.3, the lines joined with commas in order; the client's own line names no one
    start(List.of("149.154.160.0/20"), List.of("127.0.0.0/8"), Optional.empty(), Long.MAX_VALUE);
    assertThat(send("/telegram/webhook", topic(1, 42), List.of("149.154.167.99", "6.6.6.6")).statusCode())
        .as("the client's forged line first, the proxy's (the real client) last").isEqualTo(403);
    assertThat(send("/telegram/webhook", topic(2, 42), List.of("6.6.6.6", "149.154.167.99")).statusCode())
        .as("Telegram right-most in the joined list").isEqualTo(200);
    assertThat(send("/telegram/webhook", topic(3, 42), List.of("6.6.6.6", "10.0.0.5, 149.154.167.99")).statusCode())
        .isEqualTo(200);
    assertThat(send("/telegram/webhook", topic(4, 42), List.of("149.154.167.99", "not-an-ip")).statusCode())
        .as("an unreadable hop in any line").isEqualTo(403);
    assertThat(inbox.lastUpdateId()).isEqualTo(3);
    assertThat(inbox.contains(1)).isFalse();
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    start(List.of("149.154.160.0/20"), List.of(), Optional.empty(), Long.MAX_VALUE);
    assertThat(post("/telegram/webhook", topic(1, 42), Optional.of("149.154.167.99"))).isEqualTo(403);
    assertThat(inbox.lastUpdateId()).isZero();
  }

  @Test
  void withAPathSecretOnlyTheSecretPathIsServed() throws Exception {
    start(List.of("127.0.0.0/8"), List.of(), Optional.of(PATH_SECRET), Long.MAX_VALUE);
    assertThat(post("/telegram/webhook", topic(1, 42), Optional.empty())).isEqualTo(404);
    HttpResponse<String> guess = send("/telegram/webhook/" + PATH_SECRET + "x", topic(2, 42), Optional.empty());
    assertThat(guess.statusCode()).isEqualTo(404);
    assertThat(guess.body()).as("the answer to any unknown path: a wrong guess learns nothing")
        .isEqualTo("{\"error\":\"no such endpoint: POST /telegram/webhook/" + PATH_SECRET + "x\"}");
    assertThat(post("/telegram/webhook/" + PATH_SECRET, topic(3, 42), Optional.empty())).isEqualTo(200);
    assertThat(inbox.lastUpdateId()).isEqualTo(3);
  }

  @Test
  void overTheBacklogCapNewUpdatesAre503AndRedeliveriesStill200() throws Exception {
    start(List.of("127.0.0.0/8"), List.of(), Optional.empty(), 2);
    assertThat(post("/telegram/webhook", topic(1, 42), Optional.empty())).isEqualTo(200);
    assertThat(post("/telegram/webhook", topic(2, 43), Optional.empty())).isEqualTo(200);
    assertThat(post("/telegram/webhook", topic(3, 44), Optional.empty())).as("Telegram keeps it").isEqualTo(503);
    assertThat(post("/telegram/webhook", topic(2, 43), Optional.empty())).as("already stored").isEqualTo(200);
    String general = UpdateJson.general(4, CHAT, 500, BOB, "hi", 1_700_000_000L);
    assertThat(post("/telegram/webhook", general, Optional.empty())).as("not a ticket: no backlog").isEqualTo(200);
    inbox.delivered(1);
    assertThat(post("/telegram/webhook", topic(3, 44), Optional.empty())).as("room again").isEqualTo(200);
    assertThat(inbox.pending(10)).extracting(r -> r.updateId()).containsExactly(2L, 3L);
  }
}
