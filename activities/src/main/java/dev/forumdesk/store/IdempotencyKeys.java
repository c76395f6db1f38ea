package dev.forumdesk.store;

import java.time.Instant;

/**
 * The Idempotency-Keys of API actions, each with a digest of the request it was first used for
 * (V23): a retry is the same request, a reuse for another one is not.
 */
public final class IdempotencyKeys {
  /** The longest key kept. */
  public static final int MAX_LENGTH = 255;

  private final Database db;

  public IdempotencyKeys(Database db) {
    this.db = db;
  }

  /**
   * Remembers {@code key} for the request of {@code digest}, unless it is remembered already.
   *
   * @return whether the key is now this request's: new, or first used for the same request (a retry)
   */
  public boolean claim(String key, String digest) {
    return db.jdbi().inTransaction(h -> {
      h.createUpdate("insert into api_idempotency_keys (idempotency_key, request_digest, created_at)"
              + " values (:key, :digest, :now) on conflict do nothing")
          .bind("key", key).bind("digest", digest).bind("now", Instant.now()).execute();
      return h.createQuery("select request_digest from api_idempotency_keys where idempotency_key = :key")
          .bind("key", key).mapTo(String.class).one().equals(digest);
    });
  }

  /**
   * Forgets the keys first used longer than {@code keep} ago ({@code api.idempotency-keep}): a retry
   * comes within seconds or minutes, and the table would otherwise keep every action ever taken. A
   * forgotten key used again is a new key.
   *
   * @return how many were forgotten
   */
  public int forgetOlderThan(java.time.Duration keep) {
    return db.jdbi().withHandle(h -> h.createUpdate("delete from api_idempotency_keys where created_at < :cutoff")
        .bind("cutoff", Instant.now().minus(keep)).execute());
  }
}
