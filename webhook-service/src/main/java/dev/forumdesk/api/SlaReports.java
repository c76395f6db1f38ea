package dev.forumdesk.api;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One day's {@link SlaReport} over the tickets created that day in a zone: the read model's and
 * those whose opening update still waits in the inbox ({@link QueuedTickets}), each once. What
 * {@code GET /api/reports/sla} answers and the daily post ({@link DailySlaReport}) tells.
 */
public final class SlaReports {
  private final TicketStore tickets;
  private final QueuedTickets queued;
  private final Supplier<ForumdeskConfig> config;

  public SlaReports(TicketStore tickets, QueuedTickets queued, ForumdeskConfig config) {
    this(tickets, queued, () -> config);
  }

  /** @param config the live configuration (LiveConfig): business hours as the file says now */
  public SlaReports(TicketStore tickets, QueuedTickets queued, Supplier<ForumdeskConfig> config) {
    this.tickets = tickets;
    this.queued = queued;
    this.config = config;
  }

  /**
   * The zone a report is for unless asked for another: {@code sla.business-hours}' zone, the desk's
   * working day, else UTC.
   */
  public ZoneId defaultZone() {
    return config.get().sla().businessHours().map(h -> ZoneId.of(h.zone())).orElse(ZoneId.of("UTC"));
  }

  public SlaReport.Report of(LocalDate date, ZoneId zone) {
    Instant from = date.atStartOfDay(zone).toInstant();
    Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
    // the inbox first: a ticket its workflow projects between the two reads is then in the read
    // model's list, and counted once
    List<TicketState> waiting = queued.createdBetween(from, to);
    List<TicketState> day = new ArrayList<>(tickets.createdBetween(from, to));
    Set<String> projected = new HashSet<>(day.stream().map(TicketState::id).toList());
    waiting.stream().filter(t -> !projected.contains(t.id())).forEach(day::add);
    ForumdeskConfig now = config.get();
    return SlaReport.of(date, zone.getId(), day, now.sla().businessHours().orElse(null),
        now.agents().stream().map(dev.forumdesk.config.AgentConfig::id).collect(java.util.stream.Collectors.toSet()));
  }
}
