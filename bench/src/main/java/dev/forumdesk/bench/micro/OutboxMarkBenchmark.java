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
  private Path dir;
  private Database db;
  private Outbox outbox;
  private OutboxRow row;
  private int attempts;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("forumdesk-mark");
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    outbox.enqueue(MessageKind.OTHER, "bench:ack", -1001234567890L, 7L, "sendMessage", "{\"text\":\"Thanks\"}", OutboundMessage.LOW);
    row = outbox.queue(1).getFirst();
  }

  /** A new attempts count each time: the journal keeps one entry per call (key, attempts). */
  @Benchmark
  public void markCallWithJournal() {
    attempts++;
    outbox.attempting(List.of(new OutboxRow(row.id(), row.key(), row.chatId(), row.threadId(), row.method(),
        row.payload(), row.priority(), attempts, row.nextAttemptAt(), row.kind())));
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
