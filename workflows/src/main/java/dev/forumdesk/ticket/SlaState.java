package dev.forumdesk.ticket;

import java.time.Instant;
import java.util.List;

/** The ticket's SLA as shown by the API; the clocks behind it are in {@code TicketState.clocks}. */
public record SlaState(
    Instant firstResponseDue,
    Instant nextResponseDue,
    Instant resolutionDue,
    boolean paused,
    List<Breach> breaches) {}
