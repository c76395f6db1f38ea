package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class StartFailureTest {
  @Test
  void aTakenPortSaysWhichVariableMovesIt() {
    var e = new UncheckedIOException("cannot start embedded Temporal on port 7233",
        new java.io.IOException("bind failed", new BindException("Address already in use")));
    assertThat(StartFailure.describe(e)).isEqualTo("cannot start embedded Temporal on port 7233: Address already in use"
        + " (another process holds the port: set FORUMDESK_HTTP_PORT, or FORUMDESK_TEMPORAL_PORT for the embedded Temporal)");
  }

  @Test
  void anUnreachableDatabaseNamesItsVariablesInOneLine() {
    var e = new RuntimeException("Failed to initialize pool: FATAL: role \"forumdesk\" does not exist",
        new SQLException("FATAL: role \"forumdesk\" does not exist\n  Detail: ..."));
    assertThat(StartFailure.describe(e))
        .doesNotContain("\n")
        .startsWith("Failed to initialize pool: FATAL: role \"forumdesk\" does not exist")
        .endsWith("(check FORUMDESK_DB_URL, FORUMDESK_DB_USER and FORUMDESK_DB_PASSWORD)");
  }

  @TempDir Path dir;

  private static String failureOf(Path dataDir) {
    try (Database db = Database.embedded(dataDir)) {
      throw new AssertionError("opened " + dataDir);
    } catch (RuntimeException e) {
      return StartFailure.describe(e);
    }
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedSaysWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThat(failureOf(file.resolve("data")))
        .isEqualTo("cannot create data directory " + file.resolve("data") + ": Not a directory");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aDataDirectoryUnderProcSaysWhy() {
    assertThat(failureOf(Path.of("/proc/forumdesk")))
        .isEqualTo("cannot create data directory /proc/forumdesk: no such file or directory");
  }

  @Test
  void aDataDirectoryAnotherForumdeskHoldsSaysSoAndNotToCheckThePostgresSettings() throws Exception {
    Path data = dir.resolve("data");
    Database.embedded(data).close();
    // what a second process's H2 finds: the first one's lock on the database file
    try (FileChannel channel = FileChannel.open(data.resolve("forumdesk.mv.db"), StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assertThat(failureOf(data))
          .startsWith("data directory " + data.toAbsolutePath() + " is in use by another Forumdesk: ")
          .containsIgnoringCase("lock")
          .endsWith("(stop that one, or set FORUMDESK_DATA_DIR to another directory)")
          .doesNotContain("FORUMDESK_DB_URL")
          .doesNotContain("\n");
    }
  }
}
