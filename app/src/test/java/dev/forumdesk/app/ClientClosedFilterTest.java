package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.forumdesk.log.LogCapture;
import io.helidon.webserver.WebServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The app's logging (logback.xml): a connection its client closes halfway through the request's headers
 * is not a WARN with a stack trace each (audit 21a F3, anyone who reaches the port could fill the log),
 * but one INFO line a minute at most; the server goes on answering.
 */
class ClientClosedFilterTest {
  @RegisterExtension final LogCapture logged = LogCapture.root();
  WebServer server;

  @BeforeEach
  void start() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install(); // as Forumdesk.main: Helidon logs through java.util.logging
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.get("/observe/health", (req, res) -> res.send("UP")))
        .build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  static ClientClosedFilter filter() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList().stream()
        .filter(ClientClosedFilter.class::isInstance).map(ClientClosedFilter.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("ClientClosedFilter is not in logback.xml"));
  }

  @Test
  void connectionsClosedHalfwayThroughTheHeadersAreOneLineWithoutAStackTrace() throws Exception {
    long before = filter().connectionsClosedEarly();
    for (int i = 0; i < 5; i++) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        OutputStream out = s.getOutputStream();
        out.write("GET /observe/health HTTP/1.1\r\nHost: x\r\nX-A: ".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
    Awaitility.await("the server saw the five connections close").atMost(Duration.ofSeconds(30))
        .until(() -> filter().connectionsClosedEarly() - before == 5);

    assertThat(logged.events()).as("no stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(logged.warnings()).isEmpty();
    assertThat(logged.at(Level.INFO)).as("the first said, the next four within the minute counted for the next line")
        .hasSizeLessThanOrEqualTo(1)
        .allSatisfy(line -> assertThat(line).startsWith("a client closed its connection before its request was whole ("));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write("GET /observe/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    }
  }
}
