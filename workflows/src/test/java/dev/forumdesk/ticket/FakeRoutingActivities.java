package dev.forumdesk.ticket;

import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.routing.RoutingActivities;
import dev.forumdesk.routing.RoutingRules;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Test routing activities: each answer is a replaceable function, so a test can make one
 * enrichment fail, hang or answer differently; every assignment request and title lock is kept.
 */
public class FakeRoutingActivities implements RoutingActivities {
  /** Off by default, so lifecycle tests see no assignment they did not make; routing tests turn it on. */
  public volatile Supplier<RoutingRules> rules = FakeRoutingActivities::disabled;
  public volatile Function<LanguageRequest, LanguageGuess> language =
      r -> new LanguageGuess("en", "language en: detected (0.99)");
  public volatile Function<SentimentRequest, SentimentScore> sentiment =
      r -> new SentimentScore(0.1, "sentiment 0.10: neutral");
  public volatile Function<CustomerRequest, CustomerProfile> customer =
      r -> new CustomerProfile("standard", 1, null, List.of("tier standard: default tier"));
  public volatile Function<AssignRequest, AssignResult> assign =
      r -> new AssignResult(TicketHarness.AGENT, List.of("lowest load 0.0 of 1 agents: Alice"));

  public volatile Function<RoutingCommand, CommandResult> command =
      c -> CommandResult.refused(RefusalKind.CONFLICT, "no roster in this test");

  public final List<AssignRequest> assignCalls = new CopyOnWriteArrayList<>();
  public final List<TitleLock> locks = new CopyOnWriteArrayList<>();

  static RoutingRules disabled() {
    RoutingRules b = RoutingRules.builtin();
    return new RoutingRules(false, b.categories(), b.languageTeams(), b.defaultLanguage(), b.recurringTickets(),
        b.recurringWithin(), b.negativeSentimentThreshold(), b.stickyAgent(), b.complexity(), b.tierFactors(),
        b.priorityTiers(), b.seniorGroup(), b.lockReplies(), b.firstMessageWait());
  }

  @Override
  public RoutingRules rules() {
    return rules.get();
  }

  /** Digests by content, as the real one does (there over the rules' JSON). */
  @Override
  public RulesAnswer rulesUnless(String known) {
    RoutingRules current = rules.get();
    String digest = Integer.toHexString(current.hashCode());
    return new RulesAnswer(digest, digest.equals(known) ? null : current);
  }

  @Override
  public LanguageGuess detectLanguage(LanguageRequest request) {
    return language.apply(request);
  }

  @Override
  public SentimentScore sentiment(SentimentRequest request) {
    return sentiment.apply(request);
  }

  @Override
  public CustomerProfile customer(CustomerRequest request) {
    return customer.apply(request);
  }

  @Override
  public AssignResult assign(AssignRequest request) {
    assignCalls.add(request);
    return assign.apply(request);
  }

  @Override
  public CommandResult command(RoutingCommand c) {
    return command.apply(c);
  }

  @Override
  public void lockTitle(TitleLock lock) {
    locks.add(lock);
  }
}
