package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose healthcheck's probe: exit 0 only when the role's own /observe/health answers 200, and
 * one line saying what it got (docker inspect shows it).
 */
class HealthProbeTest {
  @TempDir Path dir;
  final ByteArrayOutputStream said = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);

  @Test
  void aRunningDeskIsHealthy() throws Exception {
    try (AppFixture f = new AppFixture(dir)) {
      int rc = HealthProbe.probe(Map.of("FORUMDESK_HTTP_HOST", "0.0.0.0", "FORUMDESK_HTTP_PORT",
          String.valueOf(f.app().port())), out);
      assertThat(rc).as(said.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(said.toString(StandardCharsets.UTF_8)).startsWith("200 ").contains("\"status\":\"UP\"");
    }
  }

  @Test
  void aDeskThatSaysDownIsUnhealthy() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/observe/health", x -> {
      byte[] body = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(503, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    try {
      assertThat(HealthProbe.probe(Map.of("FORUMDESK_HTTP_PORT", String.valueOf(server.getAddress().getPort())), out))
          .isEqualTo(1);
      assertThat(said.toString(StandardCharsets.UTF_8)).isEqualTo("503 {\"status\":\"DOWN\"}\n");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nothingListeningIsUnhealthyInOneLine() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(HealthProbe.probe(Map.of("FORUMDESK_HTTP_PORT", String.valueOf(closed)), out)).isEqualTo(1);
    assertThat(said.toString(StandardCharsets.UTF_8))
        .startsWith("http://127.0.0.1:" + closed + "/observe/health: ").endsWith("\n").hasLineCount(1);
  }
}
