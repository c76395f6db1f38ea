package dev.forumdesk.ticket;

import java.time.Instant;

/** An SLA deadline that passed: which clock, when it was due, when we noticed. */
public record Breach(String clock, Instant due, Instant at) {}
