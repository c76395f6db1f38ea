package dev.forumdesk.telegram;

/** What became of one Bot API call. */
public sealed interface SendOutcome {
  record Sent(com.fasterxml.jackson.databind.JsonNode result) implements SendOutcome {
    /** The message's id; for a new topic (createForumTopic's ForumTopic) its thread id. */
    public Long messageId() {
      if (result != null && result.has("message_id")) {
        return result.get("message_id").asLong();
      }
      return result != null && result.has("message_thread_id") ? result.get("message_thread_id").asLong() : null;
    }
  }

  /** 429: wait this long before anything else goes to this chat. */
  record RetryAfter(int seconds, String description) implements SendOutcome {}

  /** 400/403/404: retrying will not help (topic deleted, bot removed, bad markup). */
  record Rejected(int code, String description) implements SendOutcome {
    /**
     * A person's private chat closed to the bot: 403, they never started it, blocked it, or their
     * account is deleted ("Forbidden: bot can't initiate conversation with a user", "Forbidden:
     * bot was blocked by the user", "Forbidden: user is deactivated"). Any other refusal of a DM
     * (400 "message is too long", bad markup) is that message's, not the person's (audit 16, F1).
     */
    public boolean chatClosed() {
      return code == 403;
    }

    /** The topic was deleted: the message can never be delivered there. */
    public boolean threadGone() {
      String d = description == null ? "" : description.toLowerCase();
      return d.contains("message thread not found") || d.contains("topic_deleted") || d.contains("topic deleted");
    }
  }

  /**
   * 5xx, timeouts, connection errors: worth retrying with backoff. {@code ambiguous} means the
   * request may have reached Telegram (a timeout or a broken connection after sending), so a
   * non-idempotent method such as sendMessage must not simply be repeated. {@code answered} means
   * an HTTP answer came back (a 5xx): not a timeout, a lost connection, nor a connection refused or
   * a host unknown (nothing reached Telegram).
   */
  record Transient(String description, boolean ambiguous, boolean answered) implements SendOutcome {
    /** An HTTP answer: a 5xx. */
    public Transient(String description) {
      this(description, false, true);
    }

    /** No answer: a call that may have reached Telegram ({@code ambiguous}), or one that did not. */
    public Transient(String description, boolean ambiguous) {
      this(description, ambiguous, false);
    }
  }
}
