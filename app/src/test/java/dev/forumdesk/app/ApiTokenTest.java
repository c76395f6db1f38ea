package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FORUMDESK_API_TOKEN: without one, the token generated at the first start is kept (owner-only) in
 * the data directory and is the same after a restart, printed in full only the first time in run
 * mode; a short one set is taken with a WARN.
 */
class ApiTokenTest {
  @TempDir Path dir;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ApiToken.class);
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  PrintStream stdout;

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
    stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void release() {
    System.setOut(stdout);
    logger.detachAppender(logged);
  }

  Settings env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("FORUMDESK_DATA_DIR", dir.resolve("data").toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return Settings.fromEnv(env);
  }

  String printed() {
    String text = out.toString(StandardCharsets.UTF_8);
    out.reset();
    return text;
  }

  @Test
  void aGeneratedTokenIsKeptOwnerOnlyAndTheSameAfterARestartPrintedInFullOnlyTheFirstTime() throws Exception {
    ApiToken.Chosen first = ApiToken.choose(env(), true);
    ApiToken.announce(first, ForumdeskApp.Mode.RUN);
    String token = first.settings().apiToken();
    Path file = dir.resolve("data").resolve("api-token");
    assertThat(first.generatedNow()).isTrue();
    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(printed()).contains(token).contains(file.toString());

    ApiToken.Chosen restart = ApiToken.choose(env("FORUMDESK_API_TOKEN", ""), true);
    ApiToken.announce(restart, ForumdeskApp.Mode.RUN);
    assertThat(restart.settings().apiToken()).as("the same token after a restart").isEqualTo(token);
    assertThat(restart.generatedNow()).isFalse();
    assertThat(printed()).as("not printed again").doesNotContain(token);
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains(file.toString()).doesNotContain(token));

    ApiToken.announce(ApiToken.choose(env(), false), ForumdeskApp.Mode.DEV);
    assertThat(printed()).as("dev, a local first look, prints it at every start").contains(token);
  }

  @Test
  void aKeptFileWithWiderPermissionsIsNarrowedAgain() throws Exception {
    Path file = Files.createDirectories(dir.resolve("data")).resolve("api-token");
    Files.writeString(file, "a-token-someone-copied-in\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(ApiToken.choose(env(), true).settings().apiToken()).isEqualTo("a-token-someone-copied-in");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aShortTokenIsTakenWithAWarnInRunModeOnly() {
    ApiToken.Chosen chosen = ApiToken.choose(env("FORUMDESK_API_TOKEN", "a"), true);
    assertThat(chosen.settings().apiToken()).as("taken, not refused").isEqualTo("a");
    assertThat(logged.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).startsWith("FORUMDESK_API_TOKEN is 1 characters, shorter than 16");
    });
    logged.list.clear();
    ApiToken.choose(env("FORUMDESK_API_TOKEN", "a"), false);
    ApiToken.choose(env("FORUMDESK_API_TOKEN", "0123456789abcdef"), true);
    assertThat(logged.list).as("dev, or 16 characters").isEmpty();
    assertThat(Files.exists(dir.resolve("data").resolve("api-token"))).as("a set token is not stored").isFalse();
  }

  @Test
  void aDataDirectoryThatCannotKeepItGivesThisRunsTokenAndAWarn() throws Exception {
    Files.writeString(dir.resolve("data"), "a file where the directory should be");
    ApiToken.Chosen chosen = ApiToken.choose(env(), true);
    ApiToken.announce(chosen, ForumdeskApp.Mode.RUN);
    assertThat(chosen.keptIn()).isEmpty();
    assertThat(printed()).contains("API token for this run").contains(chosen.settings().apiToken());
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).startsWith("cannot keep the generated API token in"));
    assertThat(List.of(chosen.settings().apiTokenGenerated())).containsExactly(true);
  }
}
