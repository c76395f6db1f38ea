package dev.forumdesk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A test case's own database, of either kind, in a place no other case uses: a new data directory
 * for the embedded H2 (and its SQLite inbox), a new database on a throwaway PostgreSQL server
 * ({@link PostgresServer}). {@link OnBothDatabases} gives a parameterised test one of each, so the
 * same case runs on both stores. Nothing is made until the case asks for it, so a case run on H2
 * alone starts no server. Closed with its case (JUnit closes an argument that is {@link
 * AutoCloseable}): the H2 directory is deleted; the server, one for the whole test run, is stopped
 * at the end of it.
 */
public final class FreshDatabase implements AutoCloseable {
  /** The two stores Forumdesk runs on. */
  public enum Kind {
    H2,
    POSTGRESQL
  }

  /**
   * Runs a {@link ParameterizedTest} once on each {@link Kind}, each case given a {@link
   * FreshDatabase} of its own, named by its kind ("h2", "postgresql").
   */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @ArgumentsSource(BothKinds.class)
  public @interface OnBothDatabases {}

  /** The cases of {@link OnBothDatabases}; the PostgreSQL server is started once, at the first case that needs it. */
  static final class BothKinds implements ArgumentsProvider {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshDatabase.class);

    /** The run's server, in the root context's store, which stops it when the run ends. */
    private record Server(PostgresServer postgres) implements ExtensionContext.Store.CloseableResource {
      @Override
      public void close() throws Exception {
        postgres.close();
      }
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
      ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
      Supplier<PostgresServer> server = () -> store.getOrComputeIfAbsent(Server.class, k -> {
        try {
          return new Server(PostgresServer.start());
        } catch (Exception e) {
          throw new IllegalStateException("cannot start PostgreSQL for " + context.getDisplayName(), e);
        }
      }, Server.class).postgres();
      return Stream.of(Kind.values()).map(kind -> Arguments.of(new FreshDatabase(kind, server)));
    }
  }

  private final Kind kind;
  private final Supplier<PostgresServer> server;
  private Path dataDir;
  private String url;

  FreshDatabase(Kind kind, Supplier<PostgresServer> server) {
    this.kind = kind;
    this.server = server;
  }

  public Kind kind() {
    return kind;
  }

  /** The embedded H2's data directory (H2 only): where {@link Database#embedded} keeps its files. */
  public Path dataDir() {
    if (kind != Kind.H2) {
      throw new IllegalStateException("a PostgreSQL database has no data directory");
    }
    if (dataDir == null) {
      try {
        dataDir = Files.createTempDirectory("forumdesk-h2");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dataDir;
  }

  /** The JDBC URL of the main store, empty until migrated ({@link #migratedTo}, {@link #open}). */
  public String url() {
    if (url == null) {
      url = kind == Kind.H2 ? Database.h2Url(dataDir()) : server.get().newDatabase("fresh");
    }
    return url;
  }

  public String user() {
    return kind == Kind.H2 ? "sa" : server.get().user();
  }

  /**
   * Migrates the main store up to {@code version} only: the database an earlier version left, for
   * an upgrade test to fill and then {@link #open}.
   */
  public FreshDatabase migratedTo(String version) {
    Flyway.configure().dataSource(url(), user(), "").target(version).load().migrate();
    return this;
  }

  /**
   * The JDBC URL of the inbox: the embedded store's own SQLite file ({@link Database#embedded}), the
   * main database's table on PostgreSQL.
   */
  public String inboxUrl() {
    return kind == Kind.H2 ? "jdbc:sqlite:" + dataDir().toAbsolutePath().resolve("inbox.db") : url();
  }

  /**
   * Migrates the inbox up to {@code version} only (the embedded store's SQLite file, db/inbox): the
   * inbox an earlier version left. On PostgreSQL the inbox is a table of the main store, migrated with it.
   */
  public FreshDatabase inboxMigratedTo(String version) {
    if (kind == Kind.H2) {
      Flyway.configure().dataSource(inboxUrl(), "", "").locations("classpath:db/inbox")
          .table("inbox_schema_history").target(version).load().migrate();
    }
    return this;
  }

  /** This version's store on it, migrated the rest of the way; the caller closes it. */
  public Database open() {
    return kind == Kind.H2 ? Database.embedded(dataDir()) : Database.postgres(url(), user(), "");
  }

  /** Deletes the H2 data directory; a PostgreSQL database goes with its server. */
  @Override
  public void close() throws IOException {
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The case's name: "h2" or "postgresql". */
  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
