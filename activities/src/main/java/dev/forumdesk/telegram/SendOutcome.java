package dev.forumdesk.telegram;

/** What became of one Bot API call. */
public sealed interface SendOutcome {
  record Sent(com.fasterxml.jackson.databind.JsonNode result) implements SendOutcome {
    public Long messageId() {
      return result != null && result.has("message_id") ? result.get("message_id").asLong() : null;
    }
  }

  /** 429: wait this long before anything else goes to this chat. */
  record RetryAfter(int seconds, String description) implements SendOutcome {}

  /** 400/403/404: retrying will not help (topic deleted, bot removed, bad markup). */
  record Rejected(int code, String description) implements SendOutcome {}

  /** 5xx, timeouts, connection errors: worth retrying with backoff. */
  record Transient(String description) implements SendOutcome {}
}
