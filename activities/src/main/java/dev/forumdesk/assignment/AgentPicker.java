package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.text.Words;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who gets a ticket, as a pure function of the agents' loads. Capability (team, language, skill)
 * narrows by configuration only: a requirement no configured agent meets is dropped with a reason
 * naming its scope ("no agent of team senior with skill account"), but one met only by agents at
 * cap is kept — then the ticket waits for them.
 *
 * <p>The ticket's level is a preference, never a wait, wherever the desk picks an owner (routing,
 * the waiting line, /reassign): among the agents free now, those of that level first. Escalating
 * to Level 2 keeps the ticket's owner and brings specialists into its Level 2 topic, so a Level 2
 * ticket may be owned by any capable agent, and an escalated customer, who has waited long
 * already, is not kept waiting for a busy specialist while a capable agent is free.
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
    Narrowed narrowed = narrow(all, req, reasons, Optional.empty());
    List<Candidate> capable = narrowed.capable();
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
      reasons.add(new Blocked(narrowed.scope(), capable).reason(all, req));
      return new Pick(Optional.empty(), reasons);
    }
    List<Candidate> atLevel = available.stream().filter(c -> c.agent().level() >= req.minLevel()).toList();
    if (atLevel.isEmpty() && all.stream().anyMatch(c -> c.agent().level() >= req.minLevel())) {
      reasons.add("no agent of level " + req.minLevel() + " free now: any level"); // staff only (Why)
    }
    List<Candidate> pool = atLevel.isEmpty() ? available : atLevel;
    Candidate best = pool.stream().min(LEAST_LOADED).orElseThrow();
    reasons.add(String.format(Locale.ROOT, "lowest load %.1f of %s: %s",
        best.load(), Words.count(pool.size(), "agent"), best.agent().name()));
    return new Pick(Optional.of(best.agent()), reasons);
  }

  /**
   * A ticket in a language no configured agent speaks (a German customer of an en/ru desk, or one
   * waiting in the line when a reload removed its only German speaker) asks for the agents of the
   * default language, the desk's common one, rather than for anyone: an English reply is likelier to
   * help than a Russian one. The ticket keeps its language. Unchanged when someone speaks it, or
   * nobody speaks the default either (then {@link #pick} ignores the language, as any requirement
   * nobody meets); else {@code why} gets "language de: no agent speaks it, agents of en (the
   * default) instead".
   *
   * @param defaultLanguage routing.default-language; null: no fallback
   */
  public static AgentRequirements spoken(List<AgentConfig> agents, String defaultLanguage, AgentRequirements req,
      List<String> why) {
    if (req == null || req.language() == null || defaultLanguage == null || req.language().equals(defaultLanguage)
        || speaks(agents, req.language()) || !speaks(agents, defaultLanguage)) {
      return req;
    }
    why.add("language " + req.language() + ": no agent speaks it, agents of " + defaultLanguage + " (the default) instead");
    return new AgentRequirements(defaultLanguage, req.skill(), req.team(), req.minLevel(), req.preferredAgent());
  }

  private static boolean speaks(List<AgentConfig> agents, String language) {
    return agents.stream().anyMatch(a -> a.languages().contains(language));
  }

  /** The agents able to take the ticket, ignoring load and shift. */
  public static List<Candidate> capable(List<Candidate> all, AgentRequirements req, List<String> reasons) {
    return narrow(all, req, reasons, Optional.empty()).capable();
  }

  /**
   * As {@link #capable(List, AgentRequirements, List)} among {@code others}, the agents but {@code
   * asker}: a requirement only the asker meets is said to be theirs ("no agent but Alice has skill
   * billing"), not as if nobody had it.
   */
  static List<Candidate> capableBesides(Optional<Candidate> asker, List<Candidate> others, AgentRequirements req,
      List<String> reasons) {
    return narrow(others, req, reasons, asker).capable();
  }

  /**
   * Why {@code c} cannot take the ticket now, its shift first ("Boris is away and lacks language
   * es"), as for a sticky or a named agent; {@code pool}: the agents {@link #capable} narrowed.
   */
  static String whyNot(Candidate c, List<Candidate> capable, List<Candidate> pool, AgentRequirements req) {
    String name = c.agent().name();
    String lacks = capable.contains(c) ? "" : "lacks " + unmet(c, pool, req);
    if (!c.onShift()) {
      return name + " is " + c.shift().describe() + (lacks.isEmpty() ? "" : " and " + lacks);
    }
    return name + " " + (lacks.isEmpty() ? "is at cap (" + c.openTickets() + "/" + c.agent().maxOpen() + ")" : lacks);
  }

  /**
   * Which requirements {@code agent} fails, of those {@link #capable} kept for {@code pool}
   * (one no agent in the pool meets is ignored, so it is no reason): "language es and skill
   * billing". Named so a supervisor knows what to change, not "lacks the language, team, skill or level".
   */
  static String unmet(Candidate agent, List<Candidate> pool, AgentRequirements req) {
    List<String> missing = narrow(pool, req, new ArrayList<>(), Optional.empty()).kept().stream()
        .filter(r -> !r.test().test(agent.agent())).map(Requirement::what).toList();
    return missing.isEmpty() ? "a requirement" : Words.and(missing);
  }

  /** One thing a ticket asks of its agent: "language es" and the test for it. */
  private record Requirement(String what, Predicate<AgentConfig> test) {}

  /**
   * @param kept the requirements some agent meets
   * @param scope those of them that left someone out ("skill billing"): what a waiting ticket waits for
   */
  private record Narrowed(List<Candidate> capable, List<Requirement> kept, List<String> scope) {}

  /**
   * What keeps a ticket waiting (audit 9 F9): {@code needs}, the requirements that narrowed the
   * agents ("skill billing"; empty when every agent could take it), and {@code agents}, those that
   * meet them, none of them free now.
   */
  public record Blocked(List<String> needs, List<Candidate> agents) {
    /** Beyond this many agents, they are counted by state rather than named. */
    private static final int NAMED = 3;

    /**
     * The waiting reason: "waiting: skill billing: Alice is at cap (2/2) and Sven is away", or
     * counted: "waiting: none of the 8 agents is free (6 at cap, 1 away and 1 off shift)". Always
     * "waiting: " first: the dashboard and API clients find the reason by it.
     */
    String reason(List<Candidate> all, AgentRequirements req) {
      String prefix = "waiting: " + (needs.isEmpty() ? "" : Words.and(needs) + ": ");
      return prefix + (agents.size() <= NAMED
          ? Words.and(agents.stream().map(c -> whyNot(c, agents, all, req)).toList())
          : "none of the " + agents.size() + " agents" + (needs.isEmpty() ? "" : " with it") + " is free ("
              + byState() + ")");
    }

    /** For the waiting line's alert: "skill billing (Alice at cap)", "language es (2 at cap and 2 away)". */
    public String need() {
      return Words.and(needs) + " (" + (agents.size() <= NAMED
          ? Words.and(agents.stream().map(c -> c.agent().name() + " " + state(c)).toList())
          : byState()) + ")";
    }

    private String byState() {
      Map<String, Long> counts = new LinkedHashMap<>();
      List.of("at cap", "away", "off shift").forEach(s -> counts.put(s, 0L));
      agents.forEach(c -> counts.merge(state(c), 1L, Long::sum));
      return Words.and(counts.entrySet().stream().filter(e -> e.getValue() > 0)
          .map(e -> e.getValue() + " " + e.getKey()).toList());
    }

    private static String state(Candidate c) {
      return c.onShift() ? "at cap" : c.shift().kind().label().replace('-', ' ');
    }
  }

  /** What keeps a ticket with {@code req} waiting now, or empty when a capable agent is free. */
  public static Optional<Blocked> blocked(List<Candidate> all, AgentRequirements req) {
    Narrowed n = narrow(all, req, new ArrayList<>(), Optional.empty());
    return n.capable().isEmpty() || n.capable().stream().anyMatch(Candidate::available) ? Optional.empty()
        : Optional.of(new Blocked(n.scope(), n.capable()));
  }

  private static List<Requirement> requirements(AgentRequirements req) {
    List<Requirement> r = new ArrayList<>();
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

  private static Narrowed narrow(List<Candidate> all, AgentRequirements req, List<String> reasons,
      Optional<Candidate> asker) {
    List<Candidate> c = all;
    List<Requirement> kept = new ArrayList<>();
    List<Requirement> narrowed = new ArrayList<>(); // the kept ones that left someone out: the scope
    for (Requirement r : requirements(req)) {
      List<Candidate> out = c.stream().filter(x -> r.test().test(x.agent())).toList();
      if (out.isEmpty() && !c.isEmpty()) {
        String scope = narrowed.isEmpty() ? "" : " of " + Words.and(narrowed.stream().map(Requirement::what).toList());
        boolean askerHasIt = asker.filter(a -> kept.stream().allMatch(k -> k.test().test(a.agent()))
            && r.test().test(a.agent())).isPresent();
        reasons.add(askerHasIt
            ? "no agent" + scope + " but " + asker.get().agent().name() + " has " + r.what() + ": ignored"
            : "no agent" + scope + " with " + r.what() + ": ignored");
      } else {
        kept.add(r);
        if (out.size() < c.size()) {
          narrowed.add(r);
        }
        c = out;
      }
    }
    return new Narrowed(c, kept, narrowed.stream().map(Requirement::what).toList());
  }

  private static String whyNotSticky(Optional<Candidate> last, List<Candidate> capable, List<Candidate> all,
      AgentRequirements req) {
    return last.map(c -> whyNot(c, capable, all, req)).orElse("last agent is no longer configured");
  }
}
