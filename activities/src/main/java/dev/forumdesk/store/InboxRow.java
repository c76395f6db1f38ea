package dev.forumdesk.store;

import java.time.Instant;

/** One stored Telegram update waiting for (or done with) delivery to its ticket. */
public record InboxRow(
    long updateId,
    String ticketId,
    String kind,
    String payload,
    int attempts,
    Instant receivedAt,
    Instant nextAttemptAt) {}
