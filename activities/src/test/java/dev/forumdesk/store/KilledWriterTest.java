package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that returned survives a {@code kill -9} of the JVM. kill -9 keeps the OS page cache, so
 * whatever H2 wrote is in the file; yet H2 2.5.252 reopened such a file at an older chunk and the
 * last commits were gone (audit 11, F3: an outbox row's SENDING mark). Its header names the chunk
 * that was last before the newest one, and the newest one lies where the header's chunk did not
 * predict (see {@link H2CrashRecovery}).
 *
 * <p>A child JVM commits numbered rows from four threads through {@link Database#h2Url}, printing
 * each number only after its commit returned; it is killed (SIGKILL) after {@value #ROWS} numbers,
 * the file is opened again as Forumdesk opens it, and every printed number must be there.
 */
class KilledWriterTest {
  private static final int ROWS = 2_000;
  private static final int ROUNDS = 6;

  @TempDir Path dir;

  /**
   * The file as a running app's is after its first 45 s (H2's default retention time): the space of
   * chunks no longer needed is written again, so a new chunk can land away from the end of the file.
   * RETENTION_TIME is a setting H2 keeps in the file, so the child's URL stays the app's own.
   */
  @BeforeEach
  void aFileWhoseFreeSpaceIsReused() {
    try (Database db = Database.embedded(dir)) {
      db.jdbi().useHandle(h -> {
        h.execute("create table killed_writes (n bigint primary key, pad varchar(200))");
        h.execute("create table killed_churn (k int primary key, pad varchar(4000))");
        h.execute("set retention_time 0");
      });
    }
  }

  @Test
  void everyCommitThatReturnedIsThereAfterAKillNine() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      long first = round * 1_000_000L;
      Process child = committer(first);
      List<Long> printed = new ArrayList<>();
      try (BufferedReader out = child.inputReader(StandardCharsets.US_ASCII)) {
        for (String line; printed.size() < ROWS && (line = out.readLine()) != null; ) {
          printed.add(Long.parseLong(line));
        }
        // SIGKILL, like Process.destroyForcibly, but through the handle: Process.destroyForcibly
        // also closes our end of the pipe, and the numbers already in it would go unread
        child.toHandle().destroyForcibly();
        child.waitFor();
        for (String line; (line = out.readLine()) != null; ) {
          printed.add(Long.parseLong(line));
        }
      }
      assertThat(printed).as("numbers the child committed in round %d (its errors: %s)", round, errors())
          .hasSizeGreaterThanOrEqualTo(ROWS);

      Set<Long> kept;
      try (Database reopened = Database.embedded(dir)) {
        kept = new HashSet<>(reopened.jdbi().withHandle(h -> h.createQuery(
                "select n from killed_writes where n >= :first").bind("first", first).mapTo(Long.class).list()));
      }
      List<Long> lost = printed.stream().filter(n -> !kept.contains(n)).toList();
      assertThat(lost).as("commits that returned before the kill of round %d, of %d", round, printed.size()).isEmpty();
    }
  }

  @Test
  void aFileAnotherProcessHoldsIsADataDirInUseAlsoWhenItWasNotClosedCleanly() throws Exception {
    Process child = committer(0);
    try (BufferedReader out = child.inputReader(StandardCharsets.US_ASCII)) {
      for (int n = 0; n < 100; n++) {
        assertThat(out.readLine()).as("the child's commits (its errors: %s)", errors()).isNotNull();
      }
      assertThatThrownBy(() -> Database.embedded(dir)).isInstanceOf(DataDirInUse.class);
    } finally {
      child.toHandle().destroyForcibly();
      child.waitFor();
    }
  }

  /** The child, killed after a minute whatever happens, so that a stuck one fails the test instead of hanging it. */
  private Process committer(long first) throws IOException {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Committer.class.getName(), dir.toString(), String.valueOf(first))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("committer.err").toFile()))
        .start();
    CompletableFuture.delayedExecutor(1, TimeUnit.MINUTES).execute(() -> child.toHandle().destroyForcibly());
    return child;
  }

  private String errors() throws IOException {
    Path err = dir.resolve("committer.err");
    return Files.exists(err) ? Files.readString(err) : "";
  }

  /**
   * The child: four threads, each committing the next number's row and an update of one of its 50
   * rows to a random size (the chunks differ in size, as the app's do), printing the number once
   * commit() has returned.
   */
  static final class Committer {
    public static void main(String[] args) throws Exception {
      String url = Database.h2Url(Path.of(args[0]));
      AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
      PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.US_ASCII);
      for (int t = 0; t < 4; t++) {
        int ownRows = t * 50; // no two threads wait for each other's row locks
        Thread.ofPlatform().start(() -> {
          try (Connection c = DriverManager.getConnection(url, "sa", "");
              PreparedStatement row = c.prepareStatement("insert into killed_writes (n, pad) values (?, ?)");
              PreparedStatement churn = c.prepareStatement("merge into killed_churn key (k) values (?, ?)")) {
            c.setAutoCommit(false);
            while (true) {
              long n = next.getAndIncrement();
              row.setLong(1, n);
              row.setString(2, "x".repeat(100));
              row.executeUpdate();
              churn.setInt(1, ownRows + ThreadLocalRandom.current().nextInt(50));
              churn.setString(2, "y".repeat(ThreadLocalRandom.current().nextInt(3_000)));
              churn.executeUpdate();
              c.commit();
              synchronized (out) {
                out.println(n);
                out.flush();
              }
            }
          } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
          }
        });
      }
    }
  }
}
