package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.config.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** A taken HTTP port fails the start in one line, as a taken Temporal port does, and leaves nothing running. */
class TakenHttpPortTest {
  @TempDir Path dir;

  /**
   * Also the only word about it: Helidon logged the bind failure with a forty-line stack trace
   * before our line (through JUL, which the app sends to its log as {@link Forumdesk#main} does).
   */
  @Test
  void theStartFailsNamingThePortAndWhatStartedBeforeIsStopped() throws Exception {
    int temporalPort = ChildProcess.freePort();
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logged.start();
    root.addAppender(logged);
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Settings settings = Settings.fromEnv(Map.of("FORUMDESK_DATA_DIR", dir.resolve("data").toString(),
          "FORUMDESK_HTTP_PORT", String.valueOf(port), "FORUMDESK_API_TOKEN", AppFixture.API_TOKEN));

      assertThatThrownBy(() -> ForumdeskApp.start(settings, ForumdeskApp.Mode.RUN, temporalPort))
          .isInstanceOf(RuntimeException.class)
          .satisfies(e -> assertThat(StartFailure.describe(e))
              .doesNotContain("\n")
              .startsWith("cannot start the HTTP server on 127.0.0.1:" + port + ": ")
              .contains("Address already in use")
              .endsWith("(another process holds the port: set FORUMDESK_HTTP_PORT, or FORUMDESK_TEMPORAL_PORT for the"
                  + " embedded Temporal)"));
    } finally {
      root.detachAppender(logged);
    }
    synchronized (logged) {
      assertThat(logged.list).as("what was logged besides our line")
          .noneMatch(e -> e.getLoggerName().startsWith("io.helidon") && e.getLevel().isGreaterOrEqual(Level.WARN))
          .noneMatch(e -> e.getThrowableProxy() != null);
    }
    // nothing is left running: the embedded Temporal's port is free
    try (ServerSocket again = new ServerSocket(temporalPort, 50, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(temporalPort);
    }
  }
}
