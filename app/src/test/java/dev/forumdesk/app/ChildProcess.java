package dev.forumdesk.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * `Forumdesk run` as a real child JVM from the built jar and its libs, as ./forumdesk starts it,
 * so a test can SIGKILL it (Process.destroyForcibly) and start it again on the same data dir.
 */
final class ChildProcess implements AutoCloseable {
  final Process process;
  final int httpPort;
  final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private ChildProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  static ChildProcess start(Map<String, String> env, Path log) throws IOException {
    Path jar = Path.of("target/app-0.1.0-SNAPSHOT.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the app jar first (mvn install): " + jar.toAbsolutePath());
    }
    int httpPort = freePort();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", jar + java.io.File.pathSeparator + "target/lib/*",
        "dev.forumdesk.app.Forumdesk", "run");
    pb.environment().clear(); // nothing from the test JVM's environment (TEMPORAL_ADDRESS, say)
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    pb.environment().put("FORUMDESK_HTTP_PORT", String.valueOf(httpPort));
    pb.environment().put("FORUMDESK_TEMPORAL_PORT", String.valueOf(freePort()));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ChildProcess(pb.start(), httpPort, log);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Waits until the HTTP server answers; @return how long it took. */
  Duration awaitUp(Duration atMost, String apiToken) throws Exception {
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(atMost) < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("child exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/tickets?limit=1"))
            .header("Authorization", "Bearer " + apiToken).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return Duration.between(start, Instant.now());
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("child not up within " + atMost + "; see " + log);
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
