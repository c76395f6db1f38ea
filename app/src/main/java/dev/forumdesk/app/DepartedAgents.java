package dev.forumdesk.app;

import dev.forumdesk.assignment.Reassignment;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import dev.forumdesk.text.TelegramHtml;
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
    Map<Person, List<Moved>> byAgent = new LinkedHashMap<>();
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
      byAgent.computeIfAbsent(t.assignee(), p -> new ArrayList<>()).add(new Moved(link(t) + " " + o.html(), o));
    }
    if (tell) {
      byAgent.forEach((agent, lines) -> notices.notice(
          "left-the-team:" + agent.id() + ":" + String.join(",", lines.stream().map(Moved::line).toList()).hashCode(),
          notice(agent, lines)));
    }
    return moved;
  }

  /** Room the notice leaves, of Telegram's 4,096, for the supervisors' mentions put before it. */
  static final int NOTICE_MAX = TelegramHtml.MESSAGE_MAX - 600;

  /** One ticket's line in the notice, and what became of it. */
  record Moved(String line, Outcome outcome) {}

  /**
   * The notice about one agent who left: a summary line (how many tickets, and where they went:
   * "their 123 open tickets: 120 moved (Boris 57, Eve 56, Dana 7), 3 waiting in the line."), then the
   * tickets' lines that fit in one Telegram message, then how many more are left out and where to
   * see them (audit 19b, F2: the notice was cut at 4,096 characters mid-line, saying nothing of the
   * 48 tickets it left out).
   */
  static String notice(Person agent, List<Moved> tickets) {
    String head = "👋 " + Html.escape(agent.name()) + " is no longer in <code>agents</code>; "
        + (tickets.size() == 1 ? "their open ticket:" : summary(tickets) + ".");
    StringBuilder text = new StringBuilder(head);
    for (int i = 0; i < tickets.size(); i++) {
      String line = "\n" + tickets.get(i).line();
      int left = tickets.size() - i - 1;
      String more = left == 0 ? "" : "\n" + rest(left);
      if (TelegramHtml.length(text + line + more) > NOTICE_MAX) {
        return text + "\n" + rest(tickets.size() - i);
      }
      text.append(line);
    }
    return text.toString();
  }

  private static String rest(int n) {
    return "… and " + n + " more (the dashboard lists each; its audit says where it went)";
  }

  /** "their 123 open tickets: 120 moved (Boris 57, Eve 56, Dana 7), 3 waiting in the line". */
  static String summary(List<Moved> tickets) {
    Map<String, Integer> to = new LinkedHashMap<>();
    int waiting = 0;
    int stay = 0;
    int closed = 0;
    for (Moved m : tickets) {
      switch (m.outcome().kind()) {
        case MOVED -> to.merge(m.outcome().to() == null ? "another agent" : m.outcome().to(), 1, Integer::sum);
        case WAITING -> waiting++;
        case STAYS -> stay++;
        case CLOSED -> closed++;
      }
    }
    List<String> parts = new ArrayList<>();
    int movedCount = to.values().stream().mapToInt(Integer::intValue).sum();
    if (movedCount > 0) {
      parts.add(movedCount + " moved (" + to.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .map(e -> e.getKey() + " " + e.getValue())
          .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
    if (waiting > 0) {
      parts.add(waiting + " waiting in the line");
    }
    if (stay > 0) {
      parts.add(stay + " staying with them for now (tried again shortly)");
    }
    if (closed > 0) {
      parts.add(closed + " closed meanwhile");
    }
    return "their " + tickets.size() + " open ticket" + (tickets.size() == 1 ? "" : "s") + ": "
        + String.join(", ", parts);
  }

  /** Whether {@code id} is an agent in the configuration in force now. */
  private boolean isAgent(long id) {
    return config.get().agents().stream().anyMatch(a -> a.id() == id);
  }

  /** What became of a ticket: moved to someone, released into the waiting line, kept for a retry, closed. */
  enum Kind { MOVED, WAITING, STAYS, CLOSED }

  /**
   * @param html "👤 Reassigned to next best Carmen.", "👤 … waiting in the line.", or why it stays
   * @param to the escaped name of who took it, when moved and the reply names them
   */
  record Outcome(Kind kind, String html, String to) {
    boolean moved() {
      return kind == Kind.MOVED || kind == Kind.WAITING;
    }

    /**
     * The reply to a /reassign the ticket accepted: released into the waiting line, or moved to its
     * {@link CommandReply#assignee}, as the reply gives them beside its sentence for the topic, not
     * read from that sentence's wording. A reply with neither (a worker of a version before them):
     * moved, to "another agent" in the summary.
     */
    static Outcome accepted(CommandReply reply) {
      if (reply.released()) {
        return new Outcome(Kind.WAITING, reply.message(), null);
      }
      return new Outcome(Kind.MOVED, reply.message(),
          reply.assignee() == null ? null : Html.escape(reply.assignee().name()));
    }
  }

  private Outcome reassign(TicketState t) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // a new update id each pass: a refusal (nobody free) is not the answer to the next try
    CommandRequest request = new CommandRequest("left-the-team:" + t.assignee().id() + ":" + now.toEpochMilli(),
        now, DESK, Role.SUPERVISOR, "reassign", "", "roster");
    try {
      return switch (gateway.command(t.id(), request, timeout)) {
        case TicketGateway.CommandOutcome.Accepted a -> Outcome.accepted(a.reply());
        case TicketGateway.CommandOutcome.Refused r -> new Outcome(Kind.STAYS, "stays: " + Html.escape(r.reason())
            + " It is tried again shortly; a supervisor may /assign it.", null);
        case TicketGateway.CommandOutcome.NoTicket n -> new Outcome(Kind.CLOSED, "closed meanwhile", null);
      };
    } catch (RuntimeException e) {
      log.warn("could not reassign {} from {}, who left the team; tried again shortly: {}", t.id(),
          t.assignee().name(), e.toString());
      return new Outcome(Kind.STAYS, "stays: Temporal unavailable. It is tried again shortly.", null);
    }
  }

  private String link(TicketState t) {
    ForumTopic topic = TicketWorkflow.topicOf(t.id());
    return "• " + topic.link(t.title()); // the notices go where only staff read (SupervisorNotices)
  }
}
