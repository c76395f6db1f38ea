package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.store.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/postgres-init.sh, which the postgres image runs once, on the first start of its volume,
 * run here against a real PostgreSQL shaped like that start (the superuser over the socket, passwords
 * checked over TCP): a password with quotes and shell characters must not break it, since a failed
 * init leaves a volume the stack cannot start on.
 */
class PostgresInitScriptTest {
  private static final Path SCRIPT = Path.of("..", "deploy", "postgres-init.sh");
  @TempDir Path dir;

  private static String runScript(PostgresServer pg, Map<String, String> extraEnv) throws Exception {
    ProcessBuilder b = new ProcessBuilder("/bin/sh", SCRIPT.toString()).redirectErrorStream(true);
    Map<String, String> env = b.environment();
    env.remove("FORUMDESK_DB_PASSWORD");
    env.put("POSTGRES_USER", "temporal");
    env.put("PGHOST", pg.socketDir().toString());
    env.put("PGPORT", String.valueOf(pg.port()));
    env.put("PGDATABASE", "postgres"); // the image's database is POSTGRES_DB, the superuser's name
    env.putAll(extraEnv);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static Connection connect(PostgresServer pg, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/forumdesk", "forumdesk", password);
  }

  @Test
  void aPasswordWithQuotesAndShellCharactersIsTheForumdeskRolesPasswordAsWritten() throws Exception {
    String password = "it's \"a\" pa$$word; $(touch " + dir.resolve("ran") + ") `id` \\ :'pw'";
    try (PostgresServer pg = PostgresServer.startWithPasswords("temporal")) {
      runScript(pg, Map.of("FORUMDESK_DB_PASSWORD", password));
      try (Connection c = connect(pg, password)) {
        assertThat(c.getMetaData().getUserName()).isEqualTo("forumdesk");
        try (var rs = c.createStatement().executeQuery(
            "select pg_get_userbyid(datdba) from pg_database where datname = current_database()")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).as("owner of the forumdesk database").isEqualTo("forumdesk");
        }
      }
      assertThatThrownBy(() -> connect(pg, "forumdesk").close()).as("the password is checked")
          .isInstanceOf(SQLException.class);
    }
    assertThat(dir.resolve("ran")).as("nothing in the password was run by the shell").doesNotExist();
  }

  @Test
  void withoutAPasswordTheRoleGetsTheComposeDefault() throws Exception {
    try (PostgresServer pg = PostgresServer.startWithPasswords("temporal")) {
      runScript(pg, new HashMap<>());
      try (Connection c = connect(pg, "forumdesk")) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
  }
}
