package dev.forumdesk.bench.micro;

import dev.forumdesk.assignment.AgentPicker;
import dev.forumdesk.assignment.Candidate;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.Router;
import dev.forumdesk.routing.RoutingDecision;
import dev.forumdesk.routing.RoutingInput;
import dev.forumdesk.routing.RoutingRules;
import dev.forumdesk.ticket.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Phase-2 routing as pure functions: the routing decision (keyword categories, language team,
 * priority, weight) and the least-weighted-load pick over a roster of 50 agents.
 */
@State(Scope.Benchmark)
public class RoutingBenchmark {
  private RoutingRules rules;
  private RoutingInput billing;
  private RoutingInput unmatched;
  private List<Candidate> roster;
  private AgentRequirements requirements;

  @Setup
  public void setUp() {
    rules = RoutingRules.builtin();
    billing = new RoutingInput("Refund for order 7", "The charge appeared twice on my card, please refund invoice 117.",
        "en", -0.2, "gold", 1, null, Priority.NORMAL, 1);
    unmatched = new RoutingInput("Question about my plan", "Hello, can you tell me more about the options I have?",
        "en", 0.3, "free", 0, null, Priority.NORMAL, 1);
    Random random = new Random(42);
    List<String> teams = List.of("general", "billing", "technical", "senior");
    roster = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      AgentConfig a = new AgentConfig(1000 + i, "Agent" + i, "agent" + i, teams.get(i % teams.size()),
          i % 3 == 0 ? List.of("en", "ru") : List.of("en"), i % 2 == 0 ? List.of("billing") : List.of("technical"), 1 + i % 2, 8);
      roster.add(new Candidate(a, i % 7 != 0, random.nextInt(8), random.nextInt(80) / 10.0, Instant.ofEpochSecond(1_700_000_000L + i)));
    }
    requirements = new AgentRequirements("en", "billing", null, 1, null);
  }

  @Benchmark
  public RoutingDecision routeBillingTicket() {
    return Router.route(billing, rules);
  }

  @Benchmark
  public RoutingDecision routeUnmatchedTicket() {
    return Router.route(unmatched, rules);
  }

  @Benchmark
  public AgentPicker.Pick pickLeastLoadedOf50() {
    return AgentPicker.pick(roster, requirements);
  }
}
