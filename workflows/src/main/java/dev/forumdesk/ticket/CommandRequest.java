package dev.forumdesk.ticket;

import java.time.Instant;

/**
 * A bot command (or dashboard/API action) for a ticket, sent as a Temporal update so the sender
 * learns whether it was accepted. {@code name} without the slash, e.g. "hold"; {@code source}
 * is "telegram" or "api".
 */
public record CommandRequest(
    String eventId, Instant at, Person from, Role role, String name, String args, String source) {}
