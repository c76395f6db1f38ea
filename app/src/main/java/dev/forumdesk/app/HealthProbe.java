package dev.forumdesk.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The container healthcheck of docker-compose.yml: asks this role's own {@code /observe/health} and
 * exits 0 on 200, 1 otherwise, printing one line (what `docker inspect` shows). Only the JDK, so it
 * runs as {@code java -cp /app/forumdesk.jar dev.forumdesk.app.HealthProbe} in the JRE image, which
 * need not have curl.
 */
public final class HealthProbe {
  private HealthProbe() {}

  public static void main(String[] args) {
    System.exit(probe(System.getenv(), System.out));
  }

  /** Reads FORUMDESK_HTTP_HOST (a wildcard address means loopback) and FORUMDESK_HTTP_PORT, as the role does. */
  static int probe(Map<String, String> env, PrintStream out) {
    String host = env.getOrDefault("FORUMDESK_HTTP_HOST", "");
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    String port = env.getOrDefault("FORUMDESK_HTTP_PORT", "");
    URI uri = URI.create("http://" + host + ":" + (port.isBlank() ? "8080" : port.strip()) + "/observe/health");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(8)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      out.println(r.statusCode() + " " + r.body());
      return r.statusCode() == 200 ? 0 : 1;
    } catch (IOException e) {
      out.println(uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println(uri + ": interrupted");
      return 1;
    }
  }
}
