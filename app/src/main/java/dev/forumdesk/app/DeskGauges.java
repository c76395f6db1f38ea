package dev.forumdesk.app;

import dev.forumdesk.assignment.Roster;
import dev.forumdesk.store.DatabaseCheck;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a lead alerts on, as Prometheus gauges: open tickets by status, unassigned ones, the waiting
 * line (length, oldest wait) and the agents by availability. Read from the read model in three
 * small queries at most every {@link #FRESH_FOR}, however often and by however many gauges it is
 * scraped, and waited for {@link #WAIT} at most by a scrape: NaN while the database does not answer
 * (before, each gauge waited for the pool's 5 s in turn, and its failure was a stack trace: audit 20b).
 */
final class DeskGauges {
  static final Duration FRESH_FOR = Duration.ofSeconds(3);
  static final Duration WAIT = Duration.ofSeconds(2);

  private final TicketStore tickets;
  private final Roster roster;
  private final Clock clock;
  private final ScrapeRead<Snapshot> read;

  DeskGauges(TicketStore tickets, Roster roster, DatabaseCheck database, Clock clock) {
    this.tickets = tickets;
    this.roster = roster;
    this.clock = clock;
    this.read = new ScrapeRead<>("desk-figures", database, this::now, FRESH_FOR, WAIT, clock);
  }

  private record Snapshot(Instant at, TicketStore.OpenCounts open, Roster.Line line, Map<String, Long> agents) {}

  void register(MeterRegistry metrics) {
    for (Status s : Status.values()) {
      if (!s.finished()) {
        gauge("forumdesk_tickets_open", "open tickets in this status",
            d -> d.open().byStatus().getOrDefault(s, 0L)).tag("status", s.name()).register(metrics);
      }
    }
    gauge("forumdesk_tickets_unassigned", "open tickets without an agent", d -> d.open().unassigned())
        .register(metrics);
    gauge("forumdesk_tickets_waiting", "tickets in the waiting line (no capable agent has a slot)",
        d -> d.line().length()).register(metrics);
    gauge("forumdesk_tickets_waiting_oldest_seconds", "how long the first ticket in the waiting line has waited",
        d -> d.line().oldestSince().map(t -> Math.max(0, Duration.between(t, d.at()).toMillis() / 1000.0)).orElse(0.0))
        .register(metrics);
    for (String state : roster.agentsByState().keySet()) {
      gauge("forumdesk_agents", "configured agents in this state", d -> d.agents().getOrDefault(state, 0L))
          .tag("state", state).register(metrics);
    }
  }

  private Gauge.Builder<DeskGauges> gauge(String name, String description, ToDoubleFunction<Snapshot> value) {
    // held strongly: nothing else keeps this object, and a gauge of a collected one reads NaN
    return Gauge.builder(name, this, g -> g.read.get().map(value::applyAsDouble).orElse(Double.NaN))
        .description(description).strongReference(true);
  }

  private Snapshot now() {
    return new Snapshot(clock.instant(), tickets.openCounts(), roster.waitingLine(), roster.agentsByState());
  }
}
