package dev.forumdesk.ticket;

/**
 * A bot message the workflow wants sent. {@code key} makes the send idempotent: the outbox keeps
 * one row per key, so a retried activity never posts twice.
 */
public record OutboundMessage(
    String key, long chatId, Long threadId, String html, int priority) {
  /** Escalations and SLA warnings go before anything else. */
  public static final int URGENT = 0;

  public static final int NORMAL = 5;
  /** Acknowledgements and other notices may wait. */
  public static final int LOW = 9;
}
