package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * A test's own calls to the RT of deploy/rt/rt-test-server.sh (REST 2.0 as root), beside the
 * client under test: what a person does there (a reply, a status) and what RT holds.
 */
public final class RtRest {
  private static final HttpClient http = HttpClient.newHttpClient();

  /** deploy/rt/rt-test-server.sh, seen from a module's directory (where Maven runs its tests). */
  private static final Path SCRIPT = Path.of("..", "deploy", "rt", "rt-test-server.sh").toAbsolutePath().normalize();

  private RtRest() {}

  /** Starts an RT test server with its state under {@code dir} on a free loopback port. @return its base URL */
  public static String start(Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder("bash", SCRIPT.toString(), "start", dir.toString(), String.valueOf(port))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(240, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("Request Tracker did not start:\n" + out);
    }
    return "http://127.0.0.1:" + port;
  }

  /** Stops the RT test server {@link #start} started under {@code dir}. */
  public static void stop(Path dir) throws IOException, InterruptedException {
    new ProcessBuilder("bash", SCRIPT.toString(), "stop", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
  }

  /**
   * {@code method} {@code path} (below /REST/2.0) of the RT at {@code base}, with {@code body} as
   * JSON (null: none); fails the test unless RT answers 2xx.
   */
  public static JsonNode call(String base, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/REST/2.0" + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:password".getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return Json.mapper().readTree(r.body());
  }

  /** The text/plain contents of RT ticket {@code external}: its content, then its comments and replies. */
  public static List<String> contents(String base, String external) throws IOException, InterruptedException {
    JsonNode items = call(base, "GET", "/ticket/" + external + "/attachments?fields=Content,ContentType", null).path("items");
    return StreamSupport.stream(items.spliterator(), false)
        .filter(a -> a.path("ContentType").asText().equals("text/plain"))
        .map(a -> a.path("Content").asText()).toList();
  }
}
