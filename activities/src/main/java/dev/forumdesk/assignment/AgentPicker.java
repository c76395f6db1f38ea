package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.shift.ShiftState;
import dev.forumdesk.text.Words;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who gets a ticket, as a pure function of the agents' loads. Capability (level, team, language,
 * skill) narrows by configuration only: a requirement no configured agent meets is dropped with a
 * reason, but one met only by agents at cap is kept — then the ticket waits for them.
 */
public final class AgentPicker {
  public record Pick(Optional<AgentConfig> agent, List<String> reasons) {}

  private static final Comparator<Candidate> LEAST_LOADED =
      Comparator.comparingDouble(Candidate::load)
          .thenComparing(Candidate::lastAssignedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
          .thenComparingLong(c -> c.agent().id());

  private AgentPicker() {}

  public static Pick pick(List<Candidate> all, AgentRequirements req) {
    List<String> reasons = new ArrayList<>();
    List<Candidate> capable = capable(all, req, reasons);
    if (capable.isEmpty()) {
      reasons.add("waiting: no agents configured");
      return new Pick(Optional.empty(), reasons);
    }
    if (req.preferredAgent() != null) {
      Optional<Candidate> last =
          all.stream().filter(c -> c.agent().id() == req.preferredAgent()).findFirst();
      if (last.isPresent() && capable.contains(last.get()) && last.get().available()) {
        reasons.add("sticky: customer's last agent " + last.get().agent().name());
        return new Pick(Optional.of(last.get().agent()), reasons);
      }
      reasons.add("not sticky: " + whyNotSticky(last, capable, all, req));
    }
    List<Candidate> available = capable.stream().filter(Candidate::available).toList();
    if (available.isEmpty()) {
      reasons.add(waiting(capable));
      return new Pick(Optional.empty(), reasons);
    }
    Candidate best = available.stream().min(LEAST_LOADED).orElseThrow();
    reasons.add(String.format(Locale.ROOT, "lowest load %.1f of %s: %s",
        best.load(), Words.count(available.size(), "agent"), best.agent().name()));
    return new Pick(Optional.of(best.agent()), reasons);
  }

  /** The agents able to take the ticket, ignoring load and shift. */
  public static List<Candidate> capable(List<Candidate> all, AgentRequirements req, List<String> reasons) {
    return narrow(all, req, reasons).capable();
  }

  /**
   * Which requirements {@code agent} fails, of those {@link #capable} kept for {@code pool}
   * (one no agent in the pool meets is ignored, so it is no reason): "language es and skill
   * billing". Named so a supervisor knows what to change, not "lacks the language, team, skill or level".
   */
  static String unmet(Candidate agent, List<Candidate> pool, AgentRequirements req) {
    List<String> missing = narrow(pool, req, new ArrayList<>()).kept().stream()
        .filter(r -> !r.test().test(agent.agent())).map(Requirement::what).toList();
    return missing.isEmpty() ? "a requirement" : Words.and(missing);
  }

  /** One thing a ticket asks of its agent: "language es" and the test for it. */
  private record Requirement(String what, Predicate<AgentConfig> test) {}

  private record Narrowed(List<Candidate> capable, List<Requirement> kept) {}

  private static List<Requirement> requirements(AgentRequirements req) {
    List<Requirement> r = new ArrayList<>();
    r.add(new Requirement("level " + req.minLevel(), a -> a.level() >= req.minLevel()));
    if (req.team() != null) {
      r.add(new Requirement("team " + req.team(), a -> req.team().equals(a.team())));
    }
    if (req.language() != null) {
      r.add(new Requirement("language " + req.language(), a -> a.languages().contains(req.language())));
    }
    if (req.skill() != null) {
      r.add(new Requirement("skill " + req.skill(), a -> a.skills().contains(req.skill())));
    }
    return r;
  }

  private static Narrowed narrow(List<Candidate> all, AgentRequirements req, List<String> reasons) {
    List<Candidate> c = all;
    List<Requirement> kept = new ArrayList<>();
    for (Requirement r : requirements(req)) {
      List<Candidate> out = c.stream().filter(x -> r.test().test(x.agent())).toList();
      if (out.isEmpty() && !c.isEmpty()) {
        reasons.add("no agent with " + r.what() + ": ignored");
      } else {
        kept.add(r);
        c = out;
      }
    }
    return new Narrowed(c, kept);
  }

  private static String waiting(List<Candidate> capable) {
    long away = capable.stream().filter(c -> c.shift().kind() == ShiftState.Kind.AWAY).count();
    long off = capable.stream().filter(c -> c.shift().kind() == ShiftState.Kind.OFF_SHIFT).count();
    String who = capable.size() == 1 ? "the only capable agent is" : "all " + capable.size() + " capable agents";
    return off == 0
        ? "waiting: " + who + " at cap or away (" + away + " away)"
        : "waiting: " + who + " at cap, away or off shift (" + away + " away, " + off + " off shift)";
  }

  private static String whyNotSticky(Optional<Candidate> last, List<Candidate> capable, List<Candidate> all,
      AgentRequirements req) {
    if (last.isEmpty()) {
      return "last agent is no longer configured";
    }
    Candidate c = last.get();
    String name = c.agent().name();
    if (!capable.contains(c)) {
      return name + " lacks " + unmet(c, all, req);
    }
    if (!c.onShift()) {
      return name + " is " + c.shift().describe();
    }
    return name + " is at cap (" + c.openTickets() + "/" + c.agent().maxOpen() + ")";
  }
}
