package dev.forumdesk.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model, inbox and outbox database: embedded H2 files under the data dir by default,
 * PostgreSQL when a JDBC URL is configured. Same Flyway migrations for both.
 *
 * <p>The inbox has its own connections and its own writers ({@link #inboxWrites()}); in
 * the embedded store it is also its own SQLite file. H2 serializes the commits of a file and
 * each costs a chunk write: at 200 updates/s an H2 group commit took 15.7 ms on average, and the
 * webhook's acknowledgement waited behind them (see BENCHMARKS.md).
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int READERS = 4;
  /** The embedded H2 database's name under the data dir: its file is {@code forumdesk.mv.db}. */
  private static final String H2_NAME = "forumdesk";
  /**
   * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook closed the database beside the app's, while the
   * worker and the outbox still ran, and a SIGTERM under load logged hundreds of "Database is
   * already closed" traces; the app closes it last, after everything that uses it.
   */
  private static final String H2_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  /**
   * The embedded inbox: SQLite in WAL mode with {@code synchronous=FULL}, so a commit is fsynced
   * before the webhook answers (it survives kill -9 and a power cut); writers take the lock at
   * BEGIN and wait for each other instead of failing.
   */
  private static final String SQLITE_OPTIONS =
      "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&transaction_mode=IMMEDIATE";

  private final HikariDataSource dataSource;
  private final HikariDataSource inboxDataSource;
  private final HikariDataSource readDataSource;
  private final HikariDataSource inboxWriterDataSource;
  private final boolean embedded;
  private final Jdbi jdbi;
  private final Jdbi readJdbi;
  private final Jdbi inboxJdbi;
  /** The inbox writers' connections, under {@link #inboxWrites} and {@link #inboxMarks}. */
  private final Jdbi inboxWriterJdbi;
  private final GroupCommit inboxWrites;
  private final GroupCommit inboxMarks;
  private final DatabaseCheck check;

  /**
   * @param inboxWriters the inbox writers' own connections: an ack's commit never waits for one
   *     that a reader (dispatcher, API previews, health, metrics) holds. With the shared four, and
   *     the API's previews reading the inbox beside 200 updates/s, the other traffic's ack had a p50
   *     of 1.0-4.6 s in two runs of the visible figure; with its own, 0.25-0.67 s (BENCHMARKS.md).
   */
  private Database(HikariDataSource dataSource, HikariDataSource readDataSource, HikariDataSource inboxDataSource,
      HikariDataSource inboxWriters, boolean embedded, Optional<DatabaseCheck.Direct> direct) {
    this.check = new DatabaseCheck(dataSource, direct, java.time.Clock.systemUTC());
    this.dataSource = dataSource;
    this.readDataSource = readDataSource;
    this.inboxDataSource = inboxDataSource;
    this.inboxWriterDataSource = inboxWriters;
    this.jdbi = Jdbi.create(dataSource);
    this.readJdbi = Jdbi.create(readDataSource);
    this.inboxJdbi = Jdbi.create(inboxDataSource);
    this.inboxWriterJdbi = Jdbi.create(inboxWriters);
    this.embedded = embedded;
    if (embedded) {
      // SQLite has one write lock per file: two writers would wait for each other in its busy
      // handler, which sleeps in steps of up to 100 ms; one writer commits appends and marks together
      this.inboxWrites = new GroupCommit(inboxWriterJdbi, "inbox");
      this.inboxMarks = inboxWrites;
    } else {
      this.inboxWrites = new GroupCommit(inboxWriterJdbi, "inbox-appends");
      this.inboxMarks = new GroupCommit(inboxWriterJdbi, "inbox-marks");
    }
  }

  /**
   * H2 with WRITE_DELAY=0 for the read model, outbox and roster, so a commit reaches the file
   * before it returns, and a file a kill -9 left open is opened at its newest chunk (H2 itself
   * could open it at an older one: {@link H2CrashRecovery}); SQLite for the inbox (see README,
   * "Embedded store").
   */
  public static Database embedded(Path dataDir) {
    try {
      DataDirectory.ownerOnly(dataDir); // 0700 on POSIX: the inbox holds every customer message
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir + ": " + reason(e), e);
    }
    Path dir = dataDir.toAbsolutePath();
    HikariDataSource main;
    try {
      H2CrashRecovery.findLastCommits(dir.resolve(H2_NAME + ".mv.db"));
      main = pool(h2Url(dir), "sa", "", "forumdesk", 8);
    } catch (RuntimeException e) {
      throw DataDirInUse.isLockedFile(e) ? new DataDirInUse(dir, e) : e;
    }
    Flyway.configure().dataSource(main).load().migrate();
    String inboxUrl = "jdbc:sqlite:" + dir.resolve("inbox.db") + SQLITE_OPTIONS;
    HikariDataSource inbox = pool(inboxUrl, "", "", "forumdesk-inbox", 4);
    Flyway.configure().dataSource(inbox).locations("classpath:db/inbox").table("inbox_schema_history").load().migrate();
    // created by H2 and SQLite as the umask says: 0600 (SQLite gives its -wal and -shm the database file's)
    DataDirectory.filesOwnerOnly(dir, H2_NAME + ".", "inbox.db");
    Database db = new Database(main, pool(h2Url(dir), "sa", "",
        "forumdesk-reads", READERS), inbox, pool(inboxUrl, "", "", "forumdesk-inbox-writer", 1), true, Optional.empty());
    db.moveInboxRowsOfAnEarlierVersion();
    RelayRowsOfEarlierVersions.settleIfAsked(db.jdbi, db.inboxJdbi);
    return db;
  }

  /**
   * The JDBC URL of the embedded read model, outbox and roster under {@code dataDir} (user sa, no
   * password). Through H2's {@code async:} file system (an AsynchronousFileChannel, the same file):
   * on the plain path a thread interrupted during a read or write (a stopping worker's activity)
   * closed H2's FileChannel, and with it the database for every other thread, losing the commits
   * not yet in the file (audit 10, F3; InterruptedWriterTest).
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:async:" + dataDir.toAbsolutePath().resolve(H2_NAME) + H2_OPTIONS;
  }

  /**
   * Why a directory could not be made: Java's file exceptions carry the path as their message and
   * the reason, if at all, apart; some (no such file, access denied) only in their type.
   */
  private static String reason(IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException n when n.getReason() == null -> "no such file or directory";
      case java.nio.file.AccessDeniedException a when a.getReason() == null -> "permission denied";
      case java.nio.file.FileAlreadyExistsException f when f.getReason() == null -> "a file of that name is in the way";
      case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
      default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    };
  }

  /**
   * Whether {@code e} came from the embedded store's files: an H2 or SQLite error anywhere in its
   * causes (a damaged file, a full disk, a file another process holds). What to check then is the
   * data directory, not the PostgreSQL settings that every other database error is about.
   */
  public static boolean isEmbeddedStoreError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.h2.jdbc.JdbcException || t instanceof org.h2.mvstore.MVStoreException
          || t instanceof org.sqlite.SQLiteException) {
        return true;
      }
    }
    return false;
  }

  public static Database postgres(String url, String user, String password) {
    HikariDataSource main = pool(url, user, password, "forumdesk", 16);
    Flyway.configure().dataSource(main).load().migrate();
    Database db = new Database(main, pool(url, user, password, "forumdesk-reads", READERS),
        pool(url, user, password, "forumdesk-inbox", 6), pool(url, user, password, "forumdesk-inbox-writers", 2), false,
        Optional.of(() -> direct(url, user, password)));
    RelayRowsOfEarlierVersions.settleIfAsked(db.jdbi, db.inboxJdbi);
    return db;
  }

  /**
   * One connection outside the pools, for {@link DatabaseCheck}: given up after 1 s when nothing
   * answers the connect, 2 s for the login and each read, so that the check ends within health's 3 s.
   */
  private static Connection direct(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "1");
    p.setProperty("loginTimeout", "2");
    p.setProperty("socketTimeout", "2");
    return DriverManager.getConnection(url, p);
  }

  /** An inbox row as an earlier version left it in the main file (public: Jdbi binds its accessors). */
  public record EarlierInboxRow(long updateId, String ticketId, String kind, String payload, int attempts,
      Instant receivedAt, Instant nextAttemptAt, String status) {}

  /**
   * Data dirs written before the inbox had its own file keep their rows in the main file's inbox
   * table: move what is there, so nothing an earlier version acknowledged is lost.
   */
  private void moveInboxRowsOfAnEarlierVersion() {
    List<EarlierInboxRow> rows = jdbi.withHandle(h -> h.createQuery(
            "select update_id, ticket_id, kind, payload, attempts, received_at, next_attempt_at, status from inbox"
                + " order by update_id")
        .map((rs, ctx) -> new EarlierInboxRow(rs.getLong("update_id"), rs.getString("ticket_id"), rs.getString("kind"),
            rs.getString("payload"), rs.getInt("attempts"), rs.getTimestamp("received_at").toInstant(),
            rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("status")))
        .list());
    if (rows.isEmpty()) {
      return;
    }
    inboxJdbi.useTransaction(h -> {
      for (EarlierInboxRow row : rows) {
        h.createUpdate("insert into inbox (update_id, received_at, ticket_id, kind, payload, status, attempts,"
                + " next_attempt_at) values (:updateId, :receivedAt, :ticketId, :kind, :payload, :status, :attempts,"
                + " :nextAttemptAt) on conflict do nothing")
            .bindMethods(row)
            .execute();
      }
    });
    jdbi.useHandle(h -> h.execute("delete from inbox"));
    log.info("moved {} inbox rows of an earlier version into the inbox's own file", rows.size());
  }

  private static HikariDataSource pool(String url, String user, String password, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    config.setConnectionTimeout(5_000);
    if (url.startsWith("jdbc:h2:")) {
      config.setExceptionOverrideClassName(H2Closed.class.getName());
    }
    return new HikariDataSource(config);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The read model, outbox and roster. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * The same database through connections of the API's own ({@value #READERS}): under load the
   * worker's projections and assignments hold all of {@link #jdbi()}'s, and a dashboard's read
   * waited behind them for a connection.
   */
  public Jdbi readJdbi() {
    return readJdbi;
  }

  /** Reads of the inbox; its writes go through {@link #inboxWrites()}. */
  public Jdbi inboxJdbi() {
    return inboxJdbi;
  }

  /**
   * The writer of new inbox rows, batched into group commits: the only thing an acknowledgement
   * waits for, so it does nothing else.
   */
  public GroupCommit inboxWrites() {
    return inboxWrites;
  }

  /**
   * Tests: {@code statement} is told the SQL of every statement the inbox's writers run from now on
   * ({@link #inboxWrites}, {@link #inboxMarks}), before it runs.
   */
  void watchInboxWrites(Consumer<String> statement) {
    inboxWriterJdbi.setSqlLogger(new SqlLogger() {
      @Override
      public void logBeforeExecution(StatementContext context) {
        statement.accept(context.getRenderedSql());
      }
    });
  }

  /**
   * The writer of the inbox's delivery marks (delivered, retry, applied, requeue), batched too; in
   * the embedded store the same writer as {@link #inboxWrites()}.
   */
  public GroupCommit inboxMarks() {
    return inboxMarks;
  }

  /** Whether the database answers now and if not why, within about 2 s ({@link DatabaseCheck}). */
  public DatabaseCheck check() {
    return check;
  }

  public boolean isEmbedded() {
    return embedded;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * A round trip, for the health check. A statement, not just {@code isValid}: an H2 whose database
   * closed after a failed write kept answering {@code isValid} on some connections, and the check
   * said UP while every query failed. The failure also evicts the dead connection ({@link H2Closed}).
   */
  public boolean ping() {
    try (Connection c = connection(); var st = c.createStatement()) {
      st.setQueryTimeout(2);
      return st.execute("select 1");
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    inboxWrites.close();
    if (inboxMarks != inboxWrites) {
      inboxMarks.close();
    }
    inboxWriterDataSource.close();
    inboxDataSource.close();
    readDataSource.close();
    dataSource.close();
  }
}
