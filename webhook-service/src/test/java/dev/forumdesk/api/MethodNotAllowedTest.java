package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.CidrAllowList;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.ingress.WebhookService;
import dev.forumdesk.observe.ObserveService;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

/** A known path asked with a method it does not have is 405 with Allow; an unknown path stays 404. */
class MethodNotAllowedTest {
  static final String SECRET = "s3cret_Token-1";
  static final String PATH_SECRET = "Zq7_unguessable-Segment-93";
  static final long CHAT = -1001234567890L;

  @TempDir Path dir;
  Database db;
  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  void start(Optional<String> pathSecret) {
    db = Database.embedded(dir);
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {chat-id: " + CHAT + "}");
    Ingress ingress = new Ingress(new Inbox(db), new UpdateClassifier(config, (c, t) -> Optional.empty()),
        new SimpleMeterRegistry(), () -> {});
    CidrAllowList loopback = new CidrAllowList(List.of("127.0.0.0/8", "::1/128"));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register(MethodNotAllowed.around(rules -> rules
            .register("/telegram", new WebhookService(ingress, Optional.of(SECRET), loopback,
                new CidrAllowList(List.of()), pathSecret))
            .register("/observe", new ObserveService(List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
            .register("/", new DashboardService())))
            .any(JsonResponses::noSuchEndpoint)) // as ForumdeskApp
        .build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
    db.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongMethodOnAKnownPathIs405WithAllow() throws Exception {
    start(Optional.empty());
    for (String method : List.of("PUT", "GET", "DELETE", "PATCH")) {
      HttpResponse<String> r = send(method, "/telegram/webhook");
      assertThat(r.statusCode()).as(method + " /telegram/webhook").isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(method).contains("POST");
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(r.body()).as(method).isEqualTo("{\"error\":\"" + method + " not allowed here; allowed: POST\"}");
    }
    HttpResponse<String> health = send("POST", "/observe/health");
    assertThat(health.statusCode()).isEqualTo(405);
    assertThat(health.headers().firstValue("Allow")).contains("GET");
    assertThat(send("DELETE", "/").statusCode()).as("the dashboard").isEqualTo(405);
  }

  @Test
  void theRightMethodStillReachesItsRoute() throws Exception {
    start(Optional.empty());
    assertThat(send("POST", "/telegram/webhook").statusCode()).as("a body that is no Update").isEqualTo(400);
    assertThat(send("GET", "/observe/health").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsStay404WhateverTheMethod() throws Exception {
    start(Optional.empty());
    for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
      assertThat(send(method, "/telegram/webhooks").statusCode()).as(method).isEqualTo(404);
      assertThat(send(method, "/nowhere").statusCode()).as(method).isEqualTo(404);
      assertThat(send(method, "/observe/health/deep").statusCode()).as(method).isEqualTo(404);
    }
  }

  @Test
  void withAPathSecretTheBarePathIsStill404AndEverySegmentAlike() throws Exception {
    start(Optional.of(PATH_SECRET));
    assertThat(send("PUT", "/telegram/webhook").statusCode()).isEqualTo(404);
    // a wrong guess and the right one answer a wrong method alike: the segment leaks nothing
    assertThat(send("PUT", "/telegram/webhook/guess").statusCode()).isEqualTo(405);
    assertThat(send("PUT", "/telegram/webhook/" + PATH_SECRET).statusCode()).isEqualTo(405);
  }

  /**
   * Audit 21a F3: a path whose %XX decode to what no URI holds (a backslash, a space) is unknown like any
   * other, 404 with the usual body; it was a 500 with a 40-line stack trace in the log, for anyone.
   */
  @Test
  void aPathDecodingToABackslashOrASpaceIs404() throws Exception {
    start(Optional.empty());
    for (String path : List.of("/..%5c", "/.%5c", "/%2e%2e%5c", "/a/..%5cb", "/%2e%2e%20x", "/..%5c..%5cetc%5cpasswd",
        "/telegram/..%5cwebhook", "/observe/%2e%2e%5chealth", "/api/..%5c")) {
      for (String method : List.of("GET", "POST")) {
        HttpResponse<String> r = send(method, path);
        assertThat(r.statusCode()).as(method + " " + path).isEqualTo(404);
        assertThat(r.body()).as(method + " " + path).startsWith("{\"error\":\"no such endpoint: " + method + " /");
      }
    }
    assertThat(send("GET", "/observe/health").statusCode()).as("still serving").isEqualTo(200);
  }
}
