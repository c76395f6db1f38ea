package dev.forumdesk.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The read model, inbox and outbox database: an embedded H2 file under the data dir by default,
 * PostgreSQL when a JDBC URL is configured. Same Flyway migrations for both.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final HikariDataSource ingressDataSource;
  private final boolean embedded;
  private final Jdbi jdbi;
  private final Jdbi ingressJdbi;

  private Database(HikariDataSource dataSource, HikariDataSource ingressDataSource, boolean embedded) {
    this.dataSource = dataSource;
    this.ingressDataSource = ingressDataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.ingressJdbi = Jdbi.create(ingressDataSource);
    this.embedded = embedded;
  }

  /**
   * H2 with WRITE_DELAY=0 so a commit reaches the file before the webhook answers 200: an
   * acknowledged update survives kill -9 of the JVM (see README, "Embedded store").
   */
  public static Database embedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data dir " + dataDir, e);
    }
    String url =
        "jdbc:h2:file:"
            + dataDir.toAbsolutePath().resolve("forumdesk")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    return open(url, "sa", "", true);
  }

  public static Database postgres(String url, String user, String password) {
    return open(url, user, password, false);
  }

  private static Database open(String url, String user, String password, boolean embedded) {
    HikariDataSource ds = pool(url, user, password, "forumdesk", embedded ? 8 : 16);
    Flyway.configure().dataSource(ds).load().migrate();
    return new Database(ds, pool(url, user, password, "forumdesk-ingress", 4), embedded);
  }

  private static HikariDataSource pool(String url, String user, String password, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    config.setConnectionTimeout(5_000);
    return new HikariDataSource(config);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Connections only the webhook's inbox writes use: when the dispatcher and the activities keep
   * the main pool busy, an acknowledgement must not queue behind them (the ack benchmark showed
   * over 100 webhook threads waiting for one of 8 shared connections).
   */
  public Jdbi ingressJdbi() {
    return ingressJdbi;
  }

  public boolean isEmbedded() {
    return embedded;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** A round trip, for the health check. */
  public boolean ping() {
    try (Connection c = connection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    ingressDataSource.close();
    dataSource.close();
  }
}
