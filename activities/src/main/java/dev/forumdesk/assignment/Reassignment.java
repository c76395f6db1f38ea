package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RefusalKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The decisions behind {@code /reassign [@username]} and {@code /assign @username}, as pure
 * functions of the agents' loads. {@link Assigner#apply} runs them under the assignment lock; the
 * bot command wiring (TicketEvent.CommandIssued, lifecycle issue) calls that.
 */
public final class Reassignment {
  public sealed interface Outcome {}

  /**
   * @param overrode whether a supervisor's /assign went past the agent's cap or shift ({@code
   *     reason} says how: "over cap (3/2) while off shift until …"), staff-only where customers read
   */
  public record Moved(AgentConfig to, String reason, boolean overrode) implements Outcome {
    public Moved(AgentConfig to, String reason) {
      this(to, reason, false);
    }
  }

  /** @param kind who asked (FORBIDDEN), whom they named (INVALID) or the roster as it is (CONFLICT) */
  public record Refused(RefusalKind kind, String reason) implements Outcome {}

  /**
   * Nobody the ticket may go to can take it now (a conflict with the roster as it is). {@code
   * reason} names other agents' loads and shifts ("Carmen is at cap (8/8); no other capable agent
   * has a free slot"), staff-only where customers read the answer; {@code named}: the agent asked
   * for, null when none was.
   */
  public record Unavailable(String named, String reason) implements Outcome {}

  /**
   * The assignee is no longer on the team and nobody the ticket may go to can take it now: the
   * assignment is released and the ticket waits in the waiting line ({@link Assigner#apply}).
   * {@code reason}: why nobody can ("Carmen is at cap (1/1); no other capable agent has a free
   * slot"), after which Assigner puts who left; staff-only where customers read the answer.
   */
  public record Released(String reason) implements Outcome {}

  /**
   * No agent has the username asked for ({@code username}, without the @). {@code reason} lists
   * the agents' usernames ("unknown agent @zed; known agents: @alice, @boris"), staff-only where
   * customers read the answer.
   */
  public record UnknownAgent(String username, String reason) implements Outcome {}

  /** The reason's first phrase when the assignee was removed from {@code agents}. */
  public static final String LEFT_THE_TEAM = "the assignee is no longer on the team";

  private Reassignment() {}

  /**
   * /reassign by the current assignee: to the named agent when capable and under cap, otherwise
   * to the next best other agent; refused with a reason when nobody can take it.
   */
  public static Outcome reassign(long actorId, Long assigneeId, Optional<String> username,
      List<Candidate> all, AgentRequirements req) {
    return reassign(actorId, false, assigneeId, username, all, req);
  }

  /**
   * As {@link #reassign(long, Long, Optional, List, AgentRequirements)}; a supervisor may also
   * /reassign a ticket whose assignee is no longer on the team (removed from {@code agents} by a
   * reload): nobody else could, and /assign would need a name.
   */
  public static Outcome reassign(long actorId, boolean supervisor, Long assigneeId, Optional<String> username,
      List<Candidate> all, AgentRequirements req) {
    boolean departed = assigneeId != null && all.stream().noneMatch(c -> c.agent().id() == assigneeId);
    if (assigneeId == null || actorId != assigneeId && !(supervisor && departed)) {
      return new Refused(RefusalKind.FORBIDDEN,
          "only the assignee can /reassign this ticket; a supervisor can /assign it");
    }
    Optional<Candidate> named = Optional.empty();
    List<String> why = new ArrayList<>();
    if (departed) {
      why.add(LEFT_THE_TEAM);
    }
    if (username.isPresent()) {
      Optional<Candidate> found = byUsername(all, username.get());
      if (found.isEmpty()) {
        return unknown(username.get(), all);
      }
      if (found.get().agent().id() == assigneeId) {
        return new Refused(RefusalKind.CONFLICT, "the ticket is already yours");
      }
      named = found;
    }
    List<Candidate> others = all.stream().filter(c -> c.agent().id() != assigneeId).toList();
    Optional<Candidate> asker = all.stream().filter(c -> c.agent().id() == assigneeId).findFirst();
    List<String> requirements = new ArrayList<>();
    List<Candidate> capable = AgentPicker.capableBesides(asker, others, req, requirements);
    if (named.isPresent()) {
      Candidate n = named.get();
      if (capable.contains(n) && n.available()) {
        why.addAll(requirements);
        why.add("reassigned to " + n.agent().name() + " as asked");
        return new Moved(n.agent(), String.join("; ", why));
      }
      // the one they asked for first: away or off shift, then what they lack, as for a sticky agent
      why.add(AgentPicker.whyNot(n, capable, others, req));
    }
    why.addAll(requirements);
    // the level as in routing and the waiting line: those of the ticket's level first
    AgentPicker.Pick pick = AgentPicker.pick(capable, new AgentRequirements(null, null, null, req.minLevel(), null));
    if (pick.agent().isEmpty()) {
      why.add("no other capable agent has a free slot");
      if (departed && supervisor) {
        // kept on someone who left, it was with nobody while nothing showed it (audit 15, F2)
        why.remove(LEFT_THE_TEAM);
        return new Released(String.join("; ", why));
      }
      return new Unavailable(named.map(n -> n.agent().name()).orElse(null), String.join("; ", why));
    }
    why.add("reassigned to next best " + pick.agent().get().name());
    return new Moved(pick.agent().get(), String.join("; ", why));
  }

  /** /assign @username by a supervisor: overrides caps, away and shift hours, named in the audit reason. */
  public static Outcome assign(boolean supervisor, String username, List<Candidate> all) {
    if (!supervisor) {
      return new Refused(RefusalKind.FORBIDDEN, "only a supervisor can /assign; the assignee can /reassign");
    }
    Optional<Candidate> c = byUsername(all, username);
    if (c.isEmpty()) {
      return unknown(username, all);
    }
    Candidate n = c.get();
    String over = n.hasSlot() ? "" : " over cap (" + n.openTickets() + "/" + n.agent().maxOpen() + ")";
    String away = n.onShift() ? "" : " while " + n.shift().describe();
    return new Moved(n.agent(), "assigned to " + n.agent().name() + " by a supervisor" + over + away,
        !over.isEmpty() || !away.isEmpty());
  }

  private static Optional<Candidate> byUsername(List<Candidate> all, String username) {
    return all.stream().filter(c -> Person.isUsername(c.agent().username(), username)).findFirst();
  }

  private static UnknownAgent unknown(String username, List<Candidate> all) {
    return new UnknownAgent(strip(username), "unknown agent @" + strip(username) + "; known agents: " + known(all));
  }

  private static String strip(String username) {
    return username.startsWith("@") ? username.substring(1) : username;
  }

  private static String known(List<Candidate> all) {
    return all.stream().map(Candidate::agent).map(AgentConfig::username).filter(u -> u != null)
        .map(u -> "@" + u).collect(Collectors.joining(", "));
  }
}
