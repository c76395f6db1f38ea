package dev.forumdesk.app;

import dev.forumdesk.assignment.Reassignment;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open tickets of an agent no longer in {@code agents} (a reload removed them): each is
 * /reassign-ed as a supervisor would, through the ticket's own command update and rules, to the
 * next best agent ({@link Reassignment#LEFT_THE_TEAM} in its audit), and the supervisors get one
 * notice per departed agent naming the tickets and where each went. A ticket nobody can take now
 * is released by the same /reassign: no assignee, its agent's load with it, and into the waiting
 * line, whose next freed slot takes it (audit 15, F2: it stayed on the agent who left, counted by
 * no gauge). One whose move failed (Temporal unavailable) is tried again at the next pass (each
 * look of the worker's backlog monitor).
 */
final class DepartedAgents {
  private static final Logger log = LoggerFactory.getLogger(DepartedAgents.class);
  /** Who moves the tickets: the desk itself, acting as a supervisor would. */
  static final Person DESK = new Person(0, "Forumdesk", null);

  /** The open tickets assigned to none of the given agent ids ({@link TicketStore#assignedToNoneOf}). */
  interface OpenTickets {
    List<TicketState> assignedToNoneOf(List<Long> agents);
  }

  /** A ticket's command update ({@link TicketGateway#command(String, CommandRequest, Duration)}). */
  interface Commands {
    TicketGateway.CommandOutcome command(String ticketId, CommandRequest request, Duration timeout);
  }

  /** A notice to the supervisors ({@link SupervisorNotices#notice}). */
  interface Notices {
    void notice(String key, String html);
  }

  private final Supplier<ForumdeskConfig> config;
  private final OpenTickets tickets;
  private final Commands gateway;
  private final Notices notices;
  /** How long a move waits for Temporal ({@code temporal.action-timeout}), as the API's actions do. */
  private final Duration timeout;
  /** Whether a retry can succeed: each refused try is an update in the ticket's history. */
  private final BooleanSupplier anyoneFree;

  DepartedAgents(Supplier<ForumdeskConfig> config, TicketStore tickets, TicketGateway gateway,
      SupervisorNotices notices, Duration timeout, BooleanSupplier anyoneFree) {
    this(config, tickets::assignedToNoneOf, gateway::command, notices::notice, timeout, anyoneFree);
  }

  DepartedAgents(Supplier<ForumdeskConfig> config, OpenTickets tickets, Commands gateway, Notices notices,
      Duration timeout, BooleanSupplier anyoneFree) {
    this.timeout = timeout;
    this.anyoneFree = anyoneFree;
    this.config = config;
    this.tickets = tickets;
    this.gateway = gateway;
    this.notices = notices;
  }

  /** {@link #handOver} on a thread of its own: a reload's listener must not block. */
  void handOverSoon(boolean tell) {
    Thread.ofVirtual().name("departed-agents").start(() -> {
      try {
        handOver(tell);
      } catch (RuntimeException e) {
        log.warn("handing over the tickets of agents no longer in agents failed; the next look tries again: {}",
            e.toString());
      }
    });
  }

  /**
   * Moves every open ticket whose assignee is no longer an agent.
   *
   * @param tell whether the supervisors hear of it (after a reload or a start; the periodic retry is
   *     silent, and tries only while some agent is free)
   * @return the tickets moved or released into the waiting line
   */
  synchronized List<String> handOver(boolean tell) {
    if (!tell && !anyoneFree.getAsBoolean()) {
      return List.of();
    }
    List<Long> agents = config.get().agents().stream().map(AgentConfig::id).toList();
    Map<Person, List<String>> byAgent = new LinkedHashMap<>();
    List<String> moved = new ArrayList<>();
    for (TicketState t : tickets.assignedToNoneOf(agents)) {
      // decided under the configuration of the listing: one that replaced it may have them back
      // (audit 19b, F1: a file emptied for seconds released hundreds of tickets after its restore)
      if (isAgent(t.assignee().id())) {
        continue;
      }
      Outcome o = reassign(t);
      if (o.moved()) {
        moved.add(t.id());
      }
      byAgent.computeIfAbsent(t.assignee(), p -> new ArrayList<>()).add(link(t) + " " + o.html());
    }
    if (tell) {
      byAgent.forEach((agent, lines) -> notices.notice(
          "left-the-team:" + agent.id() + ":" + String.join(",", lines).hashCode(),
          "👋 " + Html.escape(agent.name()) + " is no longer in <code>agents</code>; their open tickets:\n"
              + String.join("\n", lines)));
    }
    return moved;
  }

  /** Whether {@code id} is an agent in the configuration in force now. */
  private boolean isAgent(long id) {
    return config.get().agents().stream().anyMatch(a -> a.id() == id);
  }

  /** @param html "👤 Reassigned to next best Carmen.", "👤 … waiting in the line.", or why it stays */
  private record Outcome(boolean moved, String html) {}

  private Outcome reassign(TicketState t) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // a new update id each pass: a refusal (nobody free) is not the answer to the next try
    CommandRequest request = new CommandRequest("left-the-team:" + t.assignee().id() + ":" + now.toEpochMilli(),
        now, DESK, Role.SUPERVISOR, "reassign", "", "roster");
    try {
      return switch (gateway.command(t.id(), request, timeout)) {
        case TicketGateway.CommandOutcome.Accepted a -> new Outcome(true, a.reply().message());
        case TicketGateway.CommandOutcome.Refused r -> new Outcome(false, "stays: " + Html.escape(r.reason())
            + " It is tried again shortly; a supervisor may /assign it.");
        case TicketGateway.CommandOutcome.NoTicket n -> new Outcome(false, "closed meanwhile");
      };
    } catch (RuntimeException e) {
      log.warn("could not reassign {} from {}, who left the team; tried again shortly: {}", t.id(),
          t.assignee().name(), e.toString());
      return new Outcome(false, "stays: Temporal unavailable. It is tried again shortly.");
    }
  }

  private String link(TicketState t) {
    ForumTopic topic = TicketWorkflow.topicOf(t.id());
    return "• " + topic.link(t.title()); // the notices go where only staff read (SupervisorNotices)
  }
}
