package dev.forumdesk.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's package (initdb + pg_ctl) on a loopback port, for
 * tests of the production store. As root it runs the server as the postgres user, which
 * PostgreSQL insists on. .ci/run installs the package.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean asRoot;
  /** pg_ctl's {@code -o}: the port, socket directory, listen address and fsync, for a start again too. */
  private String options = "";

  private PostgresServer(Path bin, Path data, int port, boolean asRoot) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asRoot = asRoot;
  }

  /**
   * A server shaped like the postgres image's first start: {@code superuser} over the Unix socket
   * without a password, and every TCP connection checked against its role's password (SCRAM).
   */
  public static PostgresServer startWithPasswords(String superuser) throws Exception {
    return start(false, superuser, "scram-sha-256");
  }

  /** The newest installed PostgreSQL's bin directory, if any. */
  public static Optional<Path> binaries() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A new, empty database on this server, named {@code prefix} and a number: each test case its own,
   * on one server ({@link FreshDatabase}).
   *
   * @return its JDBC URL
   */
  public String newDatabase(String prefix) {
    String name = prefix + System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), "");
        Statement create = c.createStatement()) {
      create.execute("create database " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return jdbcUrl().replace("/postgres", "/" + name);
  }

  /** A server for tests: fsync off, since a test's data need not survive a crash. */
  public static PostgresServer start() throws Exception {
    return start(false);
  }

  /** @param fsync on for benchmarks that claim durable commits (the webhook's ack) */
  public static PostgresServer start(boolean fsync) throws Exception {
    return start(fsync, "forumdesk", "trust");
  }

  private static PostgresServer start(boolean fsync, String superuser, String hostAuth) throws Exception {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql)"));
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("forumdesk-pg");
    Path data = dir.resolve("data");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer pg = new PostgresServer(bin, data, port, asRoot);
    if (asRoot) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    pg.pg(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", superuser, "--auth-local=trust",
        "--auth-host=" + hostAuth, "-E", "UTF8", "--no-sync"));
    pg.options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=" + (fsync ? "on" : "off");
    pg.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("log").toString(),
        "-o", pg.options, "start"));
    return pg;
  }

  /** Stops the server as an operator's {@code pg_ctl stop -m fast} does: its clients' connections end. */
  public void stop() throws Exception {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop"));
  }

  /** Starts the server {@link #stop()} stopped again, on the same port and data. */
  public void startAgain() throws Exception {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
        "-l", data.getParent().resolve("log").toString(), "-o", options, "start"));
  }

  /** {@code pg_ctl restart -m fast}: every connection is terminated, the server answers again a moment later. */
  public void restart() throws Exception {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast",
        "-l", data.getParent().resolve("log").toString(), "-o", options, "restart"));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public int port() {
    return port;
  }

  /** The directory of the server's Unix socket (PGHOST for psql). */
  public Path socketDir() {
    return data.getParent();
  }

  public String user() {
    return "forumdesk";
  }

  private void pg(List<String> command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"));
  }
}
