package dev.forumdesk.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The embedded store's journal of the outbox's calls to Telegram, in the inbox's SQLite file,
 * written before each call. The H2 file lost its last commits at a kill -9, the SENDING mark of the
 * call under way and the SENT after it among them, so the row looked untried and the customer got
 * the acknowledgement twice (audit 11, F3: 1 duplicate in 7 kills under load; the outbox's own
 * updates on the audit's H2 file lost two commits made 0.1-0.6 s before a kill). SQLite's commit
 * (WAL, synchronous=FULL) survives a kill -9 and a power cut. PostgreSQL's commits are durable: no
 * journal there.
 */
final class CallJournal {
  /** How long an entry is kept: far longer than the last commits a kill can take from H2. */
  static final Duration KEEP = Duration.ofHours(1);
  /** How far before the newest entry a start looks for calls whose outcome H2 lost. */
  static final Duration LOOK_BACK = Duration.ofMinutes(5);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  /**
   * A call begun: the row's key (H2 may have lost the row itself, enqueued again by its restored
   * ticket), its attempts then (each outcome written to the row adds one), when.
   */
  record Entry(String key, int attempts, Instant startedAt) {}

  private final Database db;
  private volatile Instant prunedAt = Instant.MIN;

  CallJournal(Database db) {
    this.db = db;
  }

  /** Committed when this returns: the calls of these rows (key to attempts) begin at {@code at}. */
  void began(Map<String, Integer> attempts, Instant at) {
    boolean prune = prunedAt.isBefore(at.minus(PRUNE_EVERY));
    db.inboxWrites().write(h -> {
      PreparedBatch batch = h.prepareBatch("insert into outbox_attempts (idem_key, attempts, started_at)"
          + " values (:key, :attempts, :at) on conflict do nothing");
      attempts.forEach((key, n) -> batch.bind("key", key).bind("attempts", n).bind("at", at).add());
      batch.execute();
      if (prune) {
        h.createUpdate("delete from outbox_attempts where started_at < :before").bind("before", at.minus(KEEP)).execute();
      }
      return null;
    });
    if (prune) {
      prunedAt = at;
    }
  }

  /** The calls begun in the {@link #LOOK_BACK} before the last one: those a kill may have left unrecorded in H2. */
  List<Entry> lastBegun() {
    return db.inboxJdbi().withHandle(h -> h.createQuery("select max(started_at) from outbox_attempts")
        .map((rs, ctx) -> rs.getTimestamp(1))
        .findOne()
        .filter(java.util.Objects::nonNull)
        .map(last -> h.createQuery("select idem_key, attempts, started_at from outbox_attempts where started_at >= :since")
            .bind("since", last.toInstant().minus(LOOK_BACK))
            .map((rs, ctx) -> new Entry(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant()))
            .list())
        .orElse(List.of()));
  }
}
