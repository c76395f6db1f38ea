package dev.forumdesk.bench.micro;

import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the embedded store's outbox sender pays before each Telegram call: {@link Outbox#attempting}
 * commits the call in the SQLite call journal (WAL, synchronous=FULL: an fsync) and marks the row
 * SENDING in H2. {@code defer} is an H2 update of the same row alone: the difference is the journal's
 * own cost per call.
 */
@State(Scope.Benchmark)
public class OutboxMarkBenchmark {
  static final long CHAT = -1001234567890L;

  private Path dir;
  private Database db;
  private Outbox outbox;
  private OutboxRow row;
  private int enqueued;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("forumdesk-mark");
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    row = enqueue();
  }

  /** A new PENDING row, as the sender finds each message once; not measured. */
  OutboxRow enqueue() {
    String key = "bench:ack:" + ++enqueued;
    outbox.enqueue(MessageKind.OTHER, key, CHAT, 7L, "sendMessage", "{\"text\":\"Thanks\"}", OutboundMessage.LOW);
    return outbox.pending(key).orElseThrow();
  }

  /**
   * The row each call marks: a fresh PENDING one per invocation. {@link Outbox#attempting} takes only
   * PENDING rows (a row the webhook role claimed meanwhile is its call): marked again and again, the
   * same row was taken once, and every later call measured the journal and an update that took
   * nothing.
   */
  @State(Scope.Thread)
  public static class Fresh {
    OutboxRow row;

    @Setup(Level.Invocation)
    public void enqueue(OutboxMarkBenchmark bench) {
      row = bench.enqueue();
    }
  }

  @Benchmark
  public void markCallWithJournal(Fresh fresh) {
    if (outbox.attempting(List.of(fresh.row)).isEmpty()) {
      throw new IllegalStateException("the fresh row " + fresh.row.key() + " was not taken");
    }
  }

  @Benchmark
  public void updateRowInH2Only() {
    outbox.defer(List.of(row.id()), Instant.now());
  }

  @TearDown
  public void tearDown() {
    db.close();
    BenchApp.deleteQuietly(dir);
  }
}
