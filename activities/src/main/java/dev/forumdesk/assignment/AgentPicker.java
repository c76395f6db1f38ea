package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.shift.ShiftState;
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
      reasons.add("not sticky: " + whyNotSticky(last, capable));
    }
    List<Candidate> available = capable.stream().filter(Candidate::available).toList();
    if (available.isEmpty()) {
      reasons.add(waiting(capable));
      return new Pick(Optional.empty(), reasons);
    }
    Candidate best = available.stream().min(LEAST_LOADED).orElseThrow();
    reasons.add(String.format(Locale.ROOT, "lowest load %.1f of %d agents: %s",
        best.load(), available.size(), best.agent().name()));
    return new Pick(Optional.of(best.agent()), reasons);
  }

  /** The agents able to take the ticket, ignoring load and shift. */
  public static List<Candidate> capable(List<Candidate> all, AgentRequirements req, List<String> reasons) {
    List<Candidate> c = all;
    c = narrow(c, a -> a.level() >= req.minLevel(), "level " + req.minLevel(), reasons);
    if (req.team() != null) {
      c = narrow(c, a -> req.team().equals(a.team()), "team " + req.team(), reasons);
    }
    if (req.language() != null) {
      c = narrow(c, a -> a.languages().contains(req.language()), "language " + req.language(), reasons);
    }
    if (req.skill() != null) {
      c = narrow(c, a -> a.skills().contains(req.skill()), "skill " + req.skill(), reasons);
    }
    return c;
  }

  private static List<Candidate> narrow(
      List<Candidate> in, Predicate<AgentConfig> test, String what, List<String> reasons) {
    List<Candidate> out = in.stream().filter(c -> test.test(c.agent())).toList();
    if (out.isEmpty() && !in.isEmpty()) {
      reasons.add("no agent with " + what + ": ignored");
      return in;
    }
    return out;
  }

  private static String waiting(List<Candidate> capable) {
    long away = capable.stream().filter(c -> c.shift().kind() == ShiftState.Kind.AWAY).count();
    long off = capable.stream().filter(c -> c.shift().kind() == ShiftState.Kind.OFF_SHIFT).count();
    return off == 0
        ? "waiting: all " + capable.size() + " capable agents at cap or away (" + away + " away)"
        : "waiting: all " + capable.size() + " capable agents at cap, away or off shift (" + away + " away, "
            + off + " off shift)";
  }

  private static String whyNotSticky(Optional<Candidate> last, List<Candidate> capable) {
    if (last.isEmpty()) {
      return "last agent is no longer configured";
    }
    Candidate c = last.get();
    String name = c.agent().name();
    if (!capable.contains(c)) {
      return name + " lacks the language, team, skill or level";
    }
    if (!c.onShift()) {
      return name + " is " + c.shift().describe();
    }
    return name + " is at cap (" + c.openTickets() + "/" + c.agent().maxOpen() + ")";
  }
}
