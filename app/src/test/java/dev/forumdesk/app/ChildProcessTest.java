package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.telegram.FakeTelegram;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness of the kill -9 tests: a child whose port another process took between the pick and
 * its bind is started again on fresh ports, instead of failing the test it serves (the
 * CrashRecoveryTest flake: "child exited with 1" at start under load, with its log gone).
 */
class ChildProcessTest {
  @TempDir Path dir;

  @Test
  void aChildThatLostItsHttpPortAtStartIsStartedAgainOnAFreshOne() throws Exception {
    Files.writeString(dir.resolve("forumdesk.yaml"), AppFixture.CONFIG);
    Path log = dir.resolve("child.log");
    try (FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN);
        ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, telegram.url(), AppFixture.SECRET,
          "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("forumdesk.yaml"), dir.resolve("data"));
      try (ChildProcess child = ChildProcess.start(env, log, taken.getLocalPort())) {
        child.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);

        assertThat(child.base()).isNotEqualTo("http://127.0.0.1:" + taken.getLocalPort());
        assertThat(Files.readString(log).lines().filter(l -> l.startsWith("forumdesk: cannot start:")))
            .as("the first start's one line, and no other failed start").singleElement().asString()
            .startsWith("forumdesk: cannot start: cannot start the HTTP server on 127.0.0.1:" + taken.getLocalPort() + ": ")
            .contains("(another process holds the port");
      }
    }
  }

  /** Any other exit at start fails the test with the child's own words: its log is gone with the @TempDir. */
  @Test
  void anyOtherExitAtStartFailsWithTheEndOfTheChildsLog() throws Exception {
    Path log = dir.resolve("child.log");
    Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, "http://127.0.0.1:9",
        AppFixture.SECRET, "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("missing.yaml"),
        dir.resolve("data"));
    try (ChildProcess child = ChildProcess.start(env, log)) {
      assertThatThrownBy(() -> child.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("child exited with 2 (start 1 of at most 3); its log ends:\n")
          .hasMessageContaining("forumdesk: configuration error:")
          .hasMessageContaining("missing.yaml");
    }
  }
}
