package dev.forumdesk.routing;

import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.RoutingState;
import dev.forumdesk.ticket.TicketState;
import java.util.ArrayList;
import java.util.List;

/** Copies of a snapshot with the fields phase 2 owns replaced; everything else untouched. */
public final class TicketAmendments {
  public static final String GENERAL = "GENERAL";
  public static final String ROUTED = "ROUTED";
  static final String PHASE_ONE_QUEUE = "general";

  private TicketAmendments() {}

  public record Enriched(String language, Double sentiment, String tier) {}

  public static TicketState routed(TicketState s, Enriched e, RoutingDecision d, List<String> reasons) {
    // priority and sentiment are applied through the lifecycle (RoutableTicket.raisePriority, sentimentScored)
    // a queue the lifecycle set meanwhile (level2, senior) is not undone by routing
    String queue = PHASE_ONE_QUEUE.equals(s.queue()) ? d.queue() : s.queue();
    return with(s, s.priority(), queue, d.category(), s.assignee(), e.language(), s.sentiment(),
        e.tier(), new RoutingState(ROUTED, List.copyOf(reasons), s.routing() == null ? null : s.routing().previousAgent()));
  }

  public static TicketState assigned(TicketState s, Person agent, List<String> reasons) {
    return with(s, s.priority(), s.queue(), s.category(), agent, s.language(), s.sentiment(), s.tier(),
        withReasons(s.routing(), reasons));
  }

  /** A move by /reassign or /assign: the new assignee and why, phase ROUTED. */
  public static TicketState reassigned(TicketState s, Person agent, String reason) {
    RoutingState r = withReasons(s.routing(), List.of(reason));
    return with(s, s.priority(), s.queue(), s.category(), agent, s.language(), s.sentiment(), s.tier(),
        new RoutingState(ROUTED, r.reasons(), r.previousAgent()));
  }

  /**
   * Released into the waiting line (its assignee is no longer on the team, nobody else is free): no
   * assignee, and why. Phase stays ROUTED: phase 2 asks for an agent again without enriching again.
   */
  public static TicketState released(TicketState s, String reason) {
    return with(s, s.priority(), s.queue(), s.category(), null, s.language(), s.sentiment(), s.tier(),
        withReasons(s.routing(), List.of(reason)));
  }

  public static TicketState reasonsAdded(TicketState s, List<String> reasons) {
    return with(s, s.priority(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), withReasons(s.routing(), reasons));
  }

  private static RoutingState withReasons(RoutingState r, List<String> more) {
    List<String> all = new ArrayList<>(r.reasons());
    more.stream().filter(x -> !all.contains(x)).forEach(all::add);
    return new RoutingState(r.phase(), List.copyOf(all), r.previousAgent());
  }

  static TicketState with(TicketState s, Priority priority, String queue, String category, Person assignee,
      String language, Double sentiment, String tier, RoutingState routing) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(),
        s.firstMessage(), s.status(), priority, s.level(), queue, category, assignee, language,
        sentiment, tier, s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(),
        s.reopenCount(), s.followUpOf(), s.sla(), routing, s.audit(), s.seenEvents(), s.version(),
        s.policy(), s.lifecycle(), s.clocks());
  }
}
