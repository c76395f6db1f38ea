package dev.forumdesk.app;

import dev.forumdesk.store.PostgresServer;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.worker.EmbeddedTemporal;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the worker and webhook roles share when they run apart, as in production: PostgreSQL, one
 * Temporal and the (fake) Telegram. Each role is an {@link AppFixture} of its own.
 */
final class RolesApart implements AutoCloseable {
  final PostgresServer postgres;
  final EmbeddedTemporal temporal;
  final FakeTelegram telegram;
  private final Map<String, String> env;

  private RolesApart(PostgresServer postgres, EmbeddedTemporal temporal) {
    this.postgres = postgres;
    this.temporal = temporal;
    this.telegram = new FakeTelegram(AppFixture.TOKEN);
    this.env = Map.of("FORUMDESK_DB_URL", postgres.jdbcUrl(), "FORUMDESK_DB_USER", postgres.user(),
        "TEMPORAL_ADDRESS", temporal.target());
  }

  static RolesApart start() throws Exception {
    return new RolesApart(PostgresServer.start(), EmbeddedTemporal.start(0));
  }

  /** A role with its own data directory, on the shared database and Temporal. */
  AppFixture role(Path dataDir, String config, ForumdeskApp.Mode mode) throws Exception {
    return new AppFixture(dataDir, config, env, mode, telegram);
  }

  /** Closes the roles given (those started), then what they share. */
  void closeWith(AutoCloseable... roles) throws Exception {
    for (AutoCloseable role : roles) {
      if (role != null) {
        role.close();
      }
    }
    close();
  }

  @Override
  public void close() throws Exception {
    telegram.close();
    temporal.close();
    postgres.close();
  }
}
