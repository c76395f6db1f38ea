package dev.forumdesk.ticket;

import java.time.Instant;
import java.util.List;

public record SlaState(
    Instant firstResponseDue, Instant resolutionDue, boolean paused, List<String> breaches) {}
