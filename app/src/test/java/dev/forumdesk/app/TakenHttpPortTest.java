package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.config.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A taken HTTP port fails the start in one line, as a taken Temporal port does, and stops what had started. */
class TakenHttpPortTest {
  @TempDir Path dir;

  @Test
  void theStartFailsNamingThePortAndWhatStartedBeforeIsStopped() throws Exception {
    int temporalPort = ChildProcess.freePort();
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
    }
    // the embedded Temporal that had started is stopped: its port is free again
    try (ServerSocket again = new ServerSocket(temporalPort, 50, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(temporalPort);
    }
  }
}
