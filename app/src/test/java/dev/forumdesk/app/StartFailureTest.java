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

  /**
   * A host that does not resolve is a typo, said once before anything starts; gRPC retried it every
   * few seconds with a stack trace while the start said "Forumdesk is up". (A cluster that is merely
   * down resolves: the start goes on and updates wait in the inbox, IngressFirstTest.)
   */
  @Test
  void aTemporalHostThatDoesNotResolveIsAConfigErrorNamingTheVariable() {
    var settings = dev.forumdesk.config.Settings.fromEnv(java.util.Map.of("FORUMDESK_DATA_DIR", dir.resolve("data").toString(),
        "FORUMDESK_HTTP_PORT", "0", "TEMPORAL_ADDRESS", "notahost.invalid", "FORUMDESK_API_TOKEN", AppFixture.API_TOKEN));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForumdeskApp.start(settings, ForumdeskApp.Mode.RUN, 0))
        .isInstanceOf(dev.forumdesk.config.ConfigException.class)
        .hasMessage("TEMPORAL_ADDRESS: the host notahost.invalid does not resolve (a typo? a cluster that is only"
            + " down resolves, and then updates wait in the inbox)");
    assertThat(dir.resolve("data")).as("checked before anything starts").doesNotExist();
  }

  /**
   * A role without the shared database would run on its own embedded store while the other role
   * uses PostgreSQL: a split brain that answers every update 200 and shows tickets that never move
   * (audit 18a F2). Refused in one line before anything starts, as a role without TEMPORAL_ADDRESS.
   */
  @Test
  void aRoleWithoutTheSharedDatabaseIsAConfigErrorBeforeAnythingStarts() {
    for (var mode : java.util.List.of(ForumdeskApp.Mode.WORKER, ForumdeskApp.Mode.WEBHOOK)) {
      String role = mode.name().toLowerCase();
      var settings = dev.forumdesk.config.Settings.fromEnv(java.util.Map.of("FORUMDESK_DATA_DIR",
          dir.resolve(role).toString(), "FORUMDESK_HTTP_PORT", "0", "TEMPORAL_ADDRESS", "127.0.0.1:7233",
          "FORUMDESK_API_TOKEN", AppFixture.API_TOKEN));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForumdeskApp.start(settings, mode, 0))
          .isInstanceOf(dev.forumdesk.config.ConfigException.class)
          .hasMessage("the " + role + " role needs FORUMDESK_DB_URL (the PostgreSQL both roles share; on an embedded"
              + " store of its own it would not see what the other role does)");
      assertThat(dir.resolve(role)).as("checked before anything starts").doesNotExist();

      var neither = dev.forumdesk.config.Settings.fromEnv(java.util.Map.of("FORUMDESK_DATA_DIR",
          dir.resolve(role).toString(), "FORUMDESK_HTTP_PORT", "0", "FORUMDESK_API_TOKEN", AppFixture.API_TOKEN));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForumdeskApp.start(neither, mode, 0))
          .isInstanceOf(dev.forumdesk.config.ConfigException.class)
          .hasMessage("the " + role + " role needs TEMPORAL_ADDRESS (a Temporal cluster) and FORUMDESK_DB_URL (the"
              + " PostgreSQL both roles share)");
      assertThat(dir.resolve(role)).doesNotExist();
    }
  }

  /**
   * The README's RT example without its scheme: a configuration error (exit 2) naming the key, before
   * anything starts; it was OkHttp's words with the value cut, ~12 s in, exit 1, after a stack trace.
   */
  @Test
  void aHelpDeskUrlWithoutItsSchemeIsAConfigErrorNamingTheKeyBeforeAnythingStarts() throws Exception {
    Path config = dir.resolve("forumdesk.yaml");
    Files.writeString(config, AppFixture.CONFIG + "help-desk: {kind: request-tracker, url: 'rt.example.com'}\n");
    var settings = dev.forumdesk.config.Settings.fromEnv(java.util.Map.of("FORUMDESK_DATA_DIR", dir.resolve("data").toString(),
        "FORUMDESK_HTTP_PORT", "0", "FORUMDESK_CONFIG", config.toString(), "FORUMDESK_HELPDESK_TOKEN", "tok",
        "FORUMDESK_API_TOKEN", AppFixture.API_TOKEN));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForumdeskApp.start(settings, ForumdeskApp.Mode.RUN, 0))
        .isInstanceOf(dev.forumdesk.config.ConfigException.class)
        .hasMessage("help-desk.url: 'rt.example.com' is not an http(s) URL such as https://rt.example.com");
    assertThat(dir.resolve("data")).as("checked before anything starts").doesNotExist();
  }

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

  /** The embedded store's hint: about its files, never the PostgreSQL variables, which it does not use. */
  private static final String EMBEDDED_HINT = "(the embedded store under FORUMDESK_DATA_DIR: check that the directory is"
      + " writable, its disk not full, no other process holds its files and they are not damaged)";

  @Test
  void aDamagedEmbeddedDatabaseFileGetsTheEmbeddedStoresHintNotThePostgresOne() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.write(data.resolve("forumdesk.mv.db"), new byte[64 * 1024]); // zeros: no H2 file
    assertThat(failureOf(data))
        .doesNotContain("FORUMDESK_DB_URL")
        .doesNotContain("\n")
        .endsWith(EMBEDDED_HINT);
  }

  @Test
  void aDamagedEmbeddedInboxFileGetsTheEmbeddedStoresHint() throws Exception {
    Path data = dir.resolve("data");
    Database.embedded(data).close();
    Files.writeString(data.resolve("inbox.db"), "this is not a database file, not even close to one. ".repeat(100));
    assertThat(failureOf(data))
        .doesNotContain("FORUMDESK_DB_URL")
        .doesNotContain("\n")
        .endsWith(EMBEDDED_HINT);
  }

  @Test
  void aPostgresqlThatRefusesTheConnectionNamesTheDatabaseVariables() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (Database db = Database.postgres("jdbc:postgresql://127.0.0.1:" + closed + "/forumdesk", "forumdesk", "")) {
      throw new AssertionError("connected to a closed port");
    } catch (RuntimeException e) {
      assertThat(StartFailure.describe(e))
          .doesNotContain("\n")
          .contains("refused")
          .endsWith("(check FORUMDESK_DB_URL, FORUMDESK_DB_USER and FORUMDESK_DB_PASSWORD)");
    }
  }
}
