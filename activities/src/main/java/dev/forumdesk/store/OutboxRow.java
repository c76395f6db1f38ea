package dev.forumdesk.store;

/** A bot message waiting in the outbox. */
public record OutboxRow(
    long id, String key, long chatId, Long threadId, String method, String payload, int priority,
    int attempts) {}
