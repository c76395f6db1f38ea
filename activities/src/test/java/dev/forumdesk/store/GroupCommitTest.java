package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's single writer: many concurrent writers, one commit per batch, failures kept apart. */
class GroupCommitTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = Database.embedded(dir);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void concurrentAppendsAreAllStoredOnceAndShareCommits() throws Exception {
    Inbox inbox = new Inbox(db);
    int writers = 400;
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < writers; i++) {
        long id = i % 200; // every update arrives twice, as Telegram's redelivery would
        results.add(pool.submit(() -> inbox.append(id, Optional.of("ticket-1-" + id), "message", "{}")));
      }
    }
    long stored = 0;
    for (Future<Boolean> r : results) {
      stored += r.get() ? 1 : 0;
    }
    assertThat(stored).as("each update id stored once, the other delivery is a duplicate").isEqualTo(200);
    assertThat(inbox.backlog()).isEqualTo(200);
  }

  @Test
  void aFailingWriteFailsOnlyItsCallerAndTheWriterGoesOn() throws Exception {
    GroupCommit writes = db.inboxWrites();
    List<Future<Integer>> good = new ArrayList<>();
    Future<Integer> bad;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        long id = 1_000 + i;
        good.add(pool.submit(() -> writes.write(h -> h.createUpdate(
                "insert into inbox (update_id, received_at, kind, payload, status, next_attempt_at)"
                    + " values (:id, :now, 'message', '{}', 'IGNORED', :now)")
            .bind("id", id).bind("now", java.time.Instant.now()).execute())));
      }
      bad = pool.submit(() -> writes.write(h -> h.createUpdate("insert into no_such_table values (1)").execute()));
    }
    for (Future<Integer> g : good) {
      assertThat(g.get()).isEqualTo(1);
    }
    assertThatThrownBy(bad::get).hasMessageContaining("no_such_table");
    assertThat(new Inbox(db).lastUpdateId()).isEqualTo(1_049);
    int seven = writes.write(h -> 7);
    assertThat(seven).as("the writer still works").isEqualTo(7);
  }

  @Test
  void rowsAnEarlierVersionLeftInTheMainFileMoveToTheInboxFile() {
    db.jdbi().useHandle(h -> h.execute(
        "insert into inbox (update_id, received_at, ticket_id, kind, payload, status, next_attempt_at)"
            + " values (77, current_timestamp, 'ticket-1-2', 'message', '{\"update_id\":77}', 'PENDING',"
            + " current_timestamp)"));
    db.close();

    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    assertThat(inbox.pending(10)).singleElement().satisfies(r -> {
      assertThat(r.updateId()).isEqualTo(77);
      assertThat(r.payload()).isEqualTo("{\"update_id\":77}");
    });
    long left = db.jdbi().withHandle(h -> h.createQuery("select count(*) from inbox").mapTo(Long.class).one());
    assertThat(left).as("moved, not copied").isZero();
  }
}
