package dev.forumdesk.sla;

/** {@code sla.business-hours}: zone, days ("MON-FRI" or "MON,WED,FRI"), from/to ("09:00"). */
public record BusinessHours(String zone, String days, String from, String to) {}
