package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.MessageKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread interrupted while it writes the embedded H2 file (a Temporal activity a stopping worker
 * interrupts, a dispatcher thread) must not close the database under everyone else. On the plain
 * {@code file:} path an interrupt during NIO closed H2's FileChannel, and with it the whole store
 * ("ClosedByInterruptException", then "The database has been closed"): commits not yet in the file
 * were lost, and so were the outbox's SENT marks of calls Telegram had answered (audit 10, F3).
 */
class InterruptedWriterTest {
  @TempDir Path dir;

  @Test
  void aWriterInterruptedMidTransactionLeavesTheDatabaseOpenAndItsCommitsKept() throws Exception {
    List<String> committed = new ArrayList<>();
    List<String> bystanders = new ArrayList<>();
    List<Exception> bystanderFailures = new ArrayList<>();
    try (Database db = Database.embedded(dir)) {
      db.jdbi().useHandle(h -> {
        h.execute("create table writes (k varchar(40) primary key)");
      });
      // the outbox sender beside them, marking what Telegram answered: never interrupted
      java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread bystander = Thread.ofPlatform().start(() -> {
        for (int n = 0; on.get(); n++) {
          String key = "bystander-" + n;
          try {
            db.jdbi().useHandle(h -> h.createUpdate("insert into writes (k) values (:k)").bind("k", key).execute());
            bystanders.add(key);
          } catch (RuntimeException e) {
            bystanderFailures.add(e);
          }
        }
      });
      for (int round = 0; round < 60; round++) {
        int r = round;
        List<String> mine = new ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
          for (int n = 0; n < 20; n++) {
            int i = n;
            String key = "interrupted-" + r + "-" + i;
            try {
              db.jdbi().useTransaction(h -> {
                h.createUpdate("insert into writes (k) values (:k)").bind("k", key).execute();
                if (i == 10) {
                  Thread.currentThread().interrupt(); // interrupted mid-transaction, before the commit's write
                }
              });
              synchronized (mine) {
                mine.add(key);
              }
            } catch (RuntimeException interruptedOne) {
              // this transaction may fail; the database may not
            }
          }
        });
        TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(50, 3_000));
        writer.interrupt(); // and once more from outside, wherever it is
        writer.join();
        synchronized (mine) {
          committed.addAll(mine);
        }
        assertThat(db.ping()).as("the database after round %d", round).isTrue();
      }
      on.set(false);
      bystander.join();
      assertThat(bystanderFailures).as("writes of a thread nobody interrupted").isEmpty();
      assertThat(committed).isNotEmpty();
      assertThat(new Outbox(db).enqueue(MessageKind.OTHER, "after-the-interrupts", 1, null, "sendMessage", "{}", 1)).isTrue();
    }
    try (Database reopened = Database.embedded(dir)) {
      List<String> kept = reopened.jdbi().withHandle(h -> h.createQuery("select k from writes").mapTo(String.class).list());
      // a transaction may have committed and still failed its caller (interrupted after); none is lost
      assertThat(kept).containsAll(committed).containsAll(bystanders);
      assertThat(new Outbox(reopened).status("after-the-interrupts")).contains("PENDING");
    }
  }
}
