package dev.forumdesk.routing;

import dev.forumdesk.routing.RoutingActivities.CustomerProfile;
import dev.forumdesk.routing.RoutingActivities.LanguageGuess;
import dev.forumdesk.routing.RoutingActivities.SentimentScore;
import dev.forumdesk.text.HumanTime;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.LocalActivities;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phase 2, run beside the ticket's event loop: enrich in parallel within a time budget, decide with
 * the pure {@link Router}, then assign — asking again when capacity frees while every capable
 * agent is at cap, away or off shift. Nothing here blocks the ticket: a failed or late enrichment
 * becomes a reason and a fallback value.
 */
public final class RoutingStep {
  /** All enrichments together get this long; the ticket is routed with whatever answered. */
  static final Duration ENRICH_BUDGET = Duration.ofSeconds(5);

  /**
   * A waiting ticket is woken by capacityFreed (resolve, move, /back, shift start, config reload,
   * and the worker's once-a-minute sweep, which also tells again a ticket whose tell failed). The
   * timer is only a last resort, so it starts at an hour, doubles, and is spread by +-20 %. At 5 s,
   * 2,000 tickets that began waiting together asked again at 5, 10 and 20 s, all at once; at 1 min,
   * 10,000 waiting tickets kept 1.7 cores busy once all were routed (open-tickets benchmark).
   */
  static final Duration FIRST_RETRY = Duration.ofHours(1);
  static final Duration MAX_RETRY = Duration.ofHours(8);

  /** Enrichments together get ENRICH_BUDGET; one quick retry (a 1 s default backoff wastes it). */
  private static final RetryOptions ENRICH_RETRY =
      RetryOptions.newBuilder().setMaximumAttempts(2).setInitialInterval(Duration.ofMillis(200)).build();
  /** Assignment and the title lock are worth retrying until the database answers. */
  private static final RetryOptions DURABLE_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(30))
          .build();

  /**
   * The CRM leaves the machine and may be slow: an ordinary activity. Its lookup answers within
   * crm.timeout (at most PT4S) with a fallback tier; the customer's history is read first. 4.5 s
   * lets that answer arrive: at 3 s the activity was killed before the fallback, and the history
   * (sticky agent, recurring count) went with it.
   */
  private final RoutingActivities crm =
      Workflow.newActivityStub(
          RoutingActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMillis(4_500))
              .setScheduleToCloseTimeout(ENRICH_BUDGET)
              .setRetryOptions(ENRICH_RETRY)
              .build());
  /** Rules, language, sentiment: in-process work, run as local activities ({@link LocalActivities}). */
  private final RoutingActivities enrichLocal =
      Workflow.newLocalActivityStub(
          RoutingActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(3))
              .setScheduleToCloseTimeout(ENRICH_BUDGET)
              .setRetryOptions(ENRICH_RETRY)
              .build());
  /** Histories from before {@link LocalActivities#CHANGE} ran assignment as an ordinary activity. */
  private final RoutingActivities durableRemote =
      Workflow.newActivityStub(
          RoutingActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).setRetryOptions(DURABLE_RETRY).build());
  /** Assignment, title lock, roster commands: short database work under the assignment lock. */
  private final RoutingActivities durableLocal =
      Workflow.newLocalActivityStub(
          RoutingActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setScheduleToCloseTimeout(LocalActivities.RETRY_WINDOW) // or the SDK never retries
              .setRetryOptions(DURABLE_RETRY)
              .build());

  /**
   * Version marker of two changes to phase 2 (black-box audit):
   * <ul>
   *   <li>a topic opened without text waits for the customer's first message ({@link
   *       RoutingRules#firstMessageWait}). Telegram sends {@code forum_topic_created} and that
   *       message as two updates, seconds apart; routed at once, language, sentiment and often the
   *       category came from the title alone (0 of 6 categories right with a 3 s gap);
   *   <li>an upset first message is scored after the first assignment attempt, so the agent who
   *       gets the ticket hears of it, not the supervisors in their place;
   *   <li>a run restored or continued while it waits for an agent does not audit the same wait
   *       again (each restart after a kill -9 added another WAITING entry).
   * </ul>
   * The marker's name is the first change's.
   */
  public static final String AUDIT_FIXES = "routing-waits-for-first-message";

  private boolean auditFixes;
  private boolean running;
  /** Phase 2 decided without the customer's first message: it is scored when it comes. */
  private boolean routedOnTitle;
  /** Set by the capacityFreed signal; cleared before each assignment attempt. */
  private boolean capacityFreed;
  /** The rules phase 2 ran with; after a continue-as-new the built-in ones until it runs again. */
  private RoutingRules rules = RoutingRules.builtin();
  /** Digest of {@link #rules} as the activity gave it; null for the built-in ones. */
  private String rulesDigest;
  private boolean rulesOnlyWhenChanged;
  private boolean followUpsRoutedAgain;

  /** Set from the workflow's version marker {@link #AUDIT_FIXES}: the changes it lists apply. */
  public void auditFixes(boolean on) {
    auditFixes = on;
  }

  /**
   * Set from the workflow's version marker {@code FollowUp.ROUTED_AGAIN}: a follow-up run's title
   * lock has its own outbox key, and a wait audited by the run before does not count as this run's.
   */
  public void followUpsRoutedAgain(boolean on) {
    followUpsRoutedAgain = on;
  }

  /** Set from the workflow's version marker: rules are fetched whole only when they changed. */
  public void rulesOnlyWhenChanged(boolean on) {
    rulesOnlyWhenChanged = on;
  }

  /** Starts phase 2 when the ticket is open and not yet routed and assigned; a no-op otherwise. */
  public void startIfDue(RoutableTicket ticket) {
    if (running || !needsRouting(ticket.snapshot())) {
      return;
    }
    running = true;
    Async.procedure(() -> {
      try {
        run(ticket);
      } finally {
        running = false;
      }
    });
  }

  static boolean needsRouting(TicketState s) {
    return s.opened() && !finished(s) && (s.assignee() == null || !isRouted(s));
  }

  private static boolean isRouted(TicketState s) {
    return s.routing() != null && TicketAmendments.ROUTED.equals(s.routing().phase());
  }

  private static boolean finished(TicketState s) {
    return s.status().finished();
  }

  /**
   * Built-in categories are weighed by their keywords in runs that recorded this marker; a run
   * started before it keeps the first match on replay, so its category stays what it was.
   */
  static final String CATEGORY_BY_KEYWORDS = "routing-category-by-keywords";

  /**
   * Rules that cannot be fetched fall back to the built-in library with its French, Italian and
   * Portuguese stems in runs that recorded this marker; a run that fell back before it replays with
   * the first library, so its category stays (fetched rules are recorded, and {@link
   * CategoryLibrary#isBuiltIn} knows both).
   */
  static final String LIBRARY_GREW = "routing-built-in-library-grew";

  private static RoutingDecision route(RoutingInput in, RoutingRules rules) {
    boolean weigh = Workflow.getVersion(CATEGORY_BY_KEYWORDS, Workflow.DEFAULT_VERSION, 1) == 1;
    return Router.route(in, rules, weigh);
  }

  private void run(RoutableTicket ticket) {
    List<String> reasons = new ArrayList<>();
    RoutingRules rules = rules(reasons);
    if (!rules.enabled()) {
      return;
    }
    TicketState s = ticket.snapshot();
    RoutingDecision decision;
    if (isRouted(s)) {
      // resumed after continue-as-new or a restore: enrichment is in the snapshot already
      decision = route(input(s, s.language(), s.sentiment(), s.tier(), null, previousAgent(s)), rules);
    } else {
      awaitFirstMessage(ticket, rules, reasons);
      decision = enrichAndRoute(ticket, ticket.snapshot(), rules, reasons);
    }
    assign(ticket, decision);
    scoreAfterFirstAttempt(ticket);
  }

  /** The first message's score, held until the first assignment attempt (version 1). */
  private Double pendingScore;

  private void scoreAfterFirstAttempt(RoutableTicket ticket) {
    if (pendingScore != null) {
      Double score = pendingScore;
      pendingScore = null;
      ticket.sentimentScored(score); // the lifecycle raises priority and tells the assignee (or the supervisors)
    }
  }

  /**
   * A topic opened without text: the ticket waits in the general queue (phase 1) until its
   * customer writes, an agent answers, it ends, or the wait is over. The SLA clocks run meanwhile.
   */
  private void awaitFirstMessage(RoutableTicket ticket, RoutingRules rules, List<String> reasons) {
    if (!auditFixes || ticket.snapshot().firstMessage() != null) {
      return;
    }
    Duration wait = rules.firstMessageWaitOrDefault();
    boolean written = Workflow.await(wait, () -> {
      TicketState now = ticket.snapshot();
      return now.firstMessage() != null || now.firstResponseAt() != null || finished(now);
    });
    TicketState now = ticket.snapshot();
    if (!written || now.firstMessage() == null) {
      routedOnTitle = true;
      // the cause as it was: an agent who writes first ends the wait early (nothing waited it out)
      String cause = !written ? "no message from the customer within " + HumanTime.duration(wait)
          : now.firstResponseAt() != null ? "an agent wrote before the customer"
          : "the ticket ended before the customer wrote";
      reasons.add(cause + ": routed on the title");
    }
  }

  /** Whether the customer's first message came after phase 2 decided on the title: score it as a later one. */
  public boolean routedOnTitle() {
    return routedOnTitle;
  }

  /**
   * Sentiment of a later customer message (the first one is scored in phase 2): scored beside the
   * loop; a score below the threshold escalates through the lifecycle, once per message.
   */
  public void scoreLaterMessage(RoutableTicket ticket, String eventId, String text) {
    if (!rules.enabled() || !isRouted(ticket.snapshot())) {
      return; // routing off, or phase 2 (which scores the first message) has not decided yet
    }
    Promise<SentimentScore> score =
        Async.function(enrich()::sentiment, new RoutingActivities.SentimentRequest(ticket.snapshot().id(), text));
    score.handle((s, failure) -> {
      if (failure == null) {
        ticket.sentimentScored(s.score(), eventId);
      }
      return null;
    });
  }

  /** The audit event of a ticket released into the waiting line ({@link TicketAmendments#released}). */
  public static final String RELEASED = "RELEASED";

  /** The commands answered from the roster rather than by the lifecycle. */
  static final java.util.Set<String> COMMANDS = java.util.Set.of("reassign", "assign", "away", "back", "why");

  public static boolean handles(String command) {
    return COMMANDS.contains(command.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * /reassign, /assign, /away, /back, /why: the decision runs in an activity under the assignment
   * lock; a move updates the assignee, the audit and the title lock. A refusal is a refused reply
   * with its reason, which the bot posts; nothing changes.
   */
  public CommandReply command(RoutableTicket ticket, CommandRequest request) {
    TicketState s = ticket.snapshot();
    String name = request.name().toLowerCase(java.util.Locale.ROOT);
    RoutingDecision d = route(input(s, s.language(), s.sentiment(), s.tier(), null, null), rules);
    RoutingActivities.CommandResult r = durable().command(new RoutingActivities.RoutingCommand(
        s.id(), request.from().id(), request.role() == Role.SUPERVISOR, name, request.args(),
        d.requirements(), d.weight(), s.routing() == null ? List.of() : s.routing().reasons(), request.source()));
    if (r.refused()) {
      return CommandReply.refusal(r.reply(), s.status(), r.kind()); // an answer, not a failure: see CommandReply
    }
    if (r.released()) {
      // its assignee left the team and nobody is free: no assignee now, so the loop starts phase 2
      // again, which asks for an agent and waits in the line (only such a result, which no history
      // recorded before it existed, takes this branch)
      ticket.amend(x -> TicketAmendments.released(x, r.auditReason()), RELEASED,
          r.auditReason() + " (by " + request.from().name() + ")", request.role().actor(request.from()));
    } else if (r.assignee() != null) {
      String event = name.equals("assign") ? "ASSIGNED" : "REASSIGNED";
      ticket.amend(x -> TicketAmendments.reassigned(x, r.assignee(), r.auditReason()), event,
          r.auditReason() + " (by " + request.from().name() + ")", request.role().actor(request.from()));
      lockTitle(s, r.assignee(), request.eventId());
    }
    ticket.answer(request, r.reply(), MessageKind.OTHER); // HTML, escaped by the activity
    // who has it now, beside the sentence: a caller acts on the field, not on the wording
    Status status = ticket.snapshot().status();
    return r.released() ? CommandReply.released(r.reply(), status)
        : r.assignee() != null ? CommandReply.moved(r.reply(), status, r.assignee())
        : new CommandReply(r.reply(), status);
  }

  /** The title lock: the topic named "[Alice] title" for its assignee; {@code cause} keys the edit. */
  private void lockTitle(TicketState s, Person agent, String cause) {
    durable().lockTitle(new RoutingActivities.TitleLock(s.id(), s.chatId(), s.threadId(), s.title(), agent, cause));
  }

  /** A person renamed an assigned ticket's topic without its assignee's tag: the lock tags the new name. */
  public void lockTitleAgain(TicketState s, String cause) {
    lockTitle(s, s.assignee(), cause);
  }

  private RoutingRules rules(List<String> reasons) {
    try {
      if (rulesOnlyWhenChanged) {
        RoutingActivities.RulesAnswer answer = enrich().rulesUnless(rulesDigest);
        rules = answer.rules() != null ? answer.rules() : rules;
        rulesDigest = answer.digest();
      } else {
        rules = enrich().rules();
      }
    } catch (ActivityFailure e) {
      reasons.add("rules unavailable (" + cause(e) + "): built-in defaults");
      boolean grown = Workflow.getVersion(LIBRARY_GREW, Workflow.DEFAULT_VERSION, 1) == 1;
      rules = RoutingRules.builtin(grown ? CategoryLibrary.DEFAULTS : CategoryLibrary.FIRST);
      rulesDigest = null;
    }
    return rules;
  }

  /**
   * The assignment lock: a reply by a staff member other than the assignee gets them a private
   * warning (routing.lock-replies: warn), keyed by the event so a redelivery warns once.
   */
  public Optional<OutboundMessage> lockWarning(TicketState s, Person replier, String eventId) {
    // id 0: an agent who replied in the external help desk, no Telegram user to write to
    if (s.assignee() == null || s.assignee().id() == replier.id() || replier.id() <= 0
        || !"warn".equals(rules.lockReplies())) {
      return Optional.empty();
    }
    // only the assignee may /reassign: the replier asks them, or a supervisor who can /assign. Told
    // after the fact: the reply is in the topic already, and in relay mode with the customer (audit
    // 16b F5.3: "Before replying there" read as if it had not gone out). Text only: the same activity.
    String assignee = Html.escape(s.assignee().name());
    return Optional.of(new OutboundMessage(s.id() + ":lock-warning:" + eventId, replier.id(), null,
        "You replied in " + new ForumTopic(s.chatId(), s.threadId()).link(s.title()) + ", " + assignee
            + "'s ticket; it stays " + assignee + "'s. To take it over, ask " + assignee
            + " to /reassign it to you, or a supervisor to /assign it.",
        OutboundMessage.NORMAL, MessageKind.OTHER));
  }

  private RoutingDecision enrichAndRoute(
      RoutableTicket ticket, TicketState s, RoutingRules rules, List<String> reasons) {
    String text = s.firstMessage() == null ? s.title() : s.title() + "\n" + s.firstMessage();
    long customer = s.customer() == null ? 0 : s.customer().id();
    Promise<LanguageGuess> language = readInValue(Async.function(enrich()::detectLanguage,
        new RoutingActivities.LanguageRequest(s.id(), customer, text)));
    Promise<SentimentScore> sentiment = readInValue(Async.function(enrich()::sentiment,
        new RoutingActivities.SentimentRequest(s.id(), s.firstMessage() == null ? s.title() : s.firstMessage())));
    Promise<CustomerProfile> profile = readInValue(Async.function(crm::customer,
        new RoutingActivities.CustomerRequest(s.id(), customer)));
    Workflow.await(ENRICH_BUDGET,
        () -> language.isCompleted() && sentiment.isCompleted() && profile.isCompleted());

    LanguageGuess lang = value(language, "language", reasons);
    String languageCode = lang == null ? rules.defaultLanguage() : lang.language();
    reasons.add(lang == null ? "language " + languageCode + ": team default" : lang.reason());
    SentimentScore score = value(sentiment, "sentiment", reasons);
    if (score != null) {
      reasons.add(score.reason());
    }
    CustomerProfile p = value(profile, "customer profile", reasons);
    if (p != null) {
      reasons.addAll(p.reasons());
    }
    TicketState now = ticket.snapshot();
    RoutingDecision decision =
        route(
            input(now, languageCode, score == null ? null : score.score(), p == null ? null : p.tier(),
                p == null ? null : p.recentTickets(), lastAgent(now, p)),
            rules);
    reasons.addAll(decision.reasons());
    var enriched = new TicketAmendments.Enriched(languageCode, score == null ? null : score.score(),
        p == null ? null : p.tier());
    ticket.amend(x -> TicketAmendments.routed(x, enriched, decision, reasons), "ROUTED",
        "queue " + decision.queue() + ", category " + decision.category() + ", priority " + decision.priority());
    if (enriched.tier() != null && rules.priorityTiers().contains(enriched.tier())) {
      ticket.raisePriority(Priority.HIGH, "tier " + enriched.tier());
    }
    if (score != null && auditFixes) {
      pendingScore = score.score(); // told after the first assignment attempt, to whoever got the ticket
    } else if (score != null) {
      ticket.sentimentScored(score.score()); // the lifecycle raises priority and tells the assignee
    }
    return decision;
  }

  /**
   * The agent sticky routing prefers: a follow-up's previous agent (the customer's other tickets
   * exclude this id, so the CRM profile cannot name them), else the customer's last agent.
   */
  private static Long lastAgent(TicketState s, CustomerProfile p) {
    Long previous = previousAgent(s);
    return previous != null ? previous : p == null ? null : p.lastAgentId();
  }

  private static Long previousAgent(TicketState s) {
    return s.routing() == null || s.routing().previousAgent() == null ? null : s.routing().previousAgent().id();
  }

  /** Someone's slot may have freed: a waiting assignment asks again now. */
  public void capacityFreed() {
    capacityFreed = true;
  }

  /**
   * Asks for an agent until one is recorded. While every capable agent is busy the ticket waits in
   * the waiting line; it asks again when told that capacity freed, and on a backing-off timer as
   * a safety net (a lost signal, a config reload that raised a cap).
   */
  private void assign(RoutableTicket ticket, RoutingDecision decision) {
    Duration wait = FIRST_RETRY;
    int attempt = 0;
    // version 1: a run restored or continued while waiting does not audit the same wait again
    String lastWaitingReason = auditFixes ? lastWaiting(ticket.snapshot(), followUpsRoutedAgain) : null;
    while (true) {
      TicketState s = ticket.snapshot();
      if (finished(s) || s.assignee() != null) {
        return;
      }
      capacityFreed = false; // before asking: a slot freed while the activity runs still wakes the wait
      AssignResult r = durable().assign(new AssignRequest(s.id(), decision.requirements(), decision.weight()));
      if (r.assigned()) {
        ticket.amend(x -> TicketAmendments.assigned(x, r.agent(), r.reasons()), "ASSIGNED",
            String.join("; ", r.reasons()));
        lockTitle(s, r.agent(), assignedCause(s));
        return;
      }
      scoreAfterFirstAttempt(ticket); // every capable agent is busy: the supervisors hear of an upset customer now
      String reason = String.join("; ", r.reasons());
      if (!reason.equals(lastWaitingReason)) {
        // one audit entry per distinct reason, not one per retry
        lastWaitingReason = reason;
        ticket.amend(x -> TicketAmendments.reasonsAdded(x, r.reasons()), "WAITING", reason);
      }
      // +-20 %, from the ticket id: tickets that began waiting together do not ask together.
      // Not Workflow.newRandom(): drawing its seed would shift the ids of every later activity.
      int percent = 80 + Math.floorMod(s.id().hashCode() * 31 + attempt++, 41);
      Duration spreadWait = wait.multipliedBy(percent).dividedBy(100);
      boolean woken = Workflow.await(spreadWait,
          () -> capacityFreed || finished(ticket.snapshot()) || ticket.snapshot().assignee() != null);
      if (!woken) {
        wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
      }
    }
  }

  /**
   * What keys the title lock of an assignment by phase 2. After a release ({@link #RELEASED}) the
   * line may give the ticket to the agent it had before that: without the release's count the key
   * was the one already sent, and the outbox left the topic untagged. Unchanged for a ticket never
   * released (every history recorded before releases existed).
   */
  private String assignedCause(TicketState s) {
    String cause = followUpsRoutedAgain && s.followUpOf() != null ? "assigned:after:" + s.followUpOf() : "assigned";
    long releases = s.audit().stream().filter(a -> RELEASED.equals(a.event())).count();
    return releases == 0 ? cause : cause + ":released:" + releases;
  }

  /**
   * The reason of the ticket's last WAITING entry, unless an assignment came after it or (with
   * {@code thisRunOnly}) it was the previous run's, before this run's OPENED.
   */
  private static String lastWaiting(TicketState s, boolean thisRunOnly) {
    for (int i = s.audit().size() - 1; i >= 0; i--) {
      var entry = s.audit().get(i);
      if (entry.event().equals("WAITING")) {
        return entry.reason();
      }
      if (entry.event().equals("ASSIGNED") || entry.event().equals("REASSIGNED")
          || (thisRunOnly && entry.event().equals("OPENED"))) {
        return null;
      }
    }
    return null;
  }

  private RoutingActivities enrich() {
    return LocalActivities.pick(enrichLocal, crm);
  }

  private RoutingActivities durable() {
    return LocalActivities.pick(durableLocal, durableRemote);
  }

  private static RoutingInput input(TicketState s, String language, Double sentiment, String tier,
      Integer recent, Long lastAgent) {
    return new RoutingInput(s.title(), s.firstMessage(), language, sentiment, tier, recent, lastAgent,
        s.priority(), s.level());
  }

  /**
   * An enrichment's promise whose failure {@link #value} reads: a handler from the start, so one
   * that fails while the others are awaited (a local activity timed out, the CRM still going) is
   * not logged by the SDK with a stack trace as never accessed if the run leaves the worker's cache
   * before the await ends, nor after {@link #value} gave up on it. Adds no workflow command.
   */
  static <T> Promise<T> readInValue(Promise<T> p) {
    p.handle((answer, failure) -> null);
    return p;
  }

  /** The promise's value, or null with a reason when it failed or did not answer in time. */
  static <T> T value(Promise<T> p, String what, List<String> reasons) {
    if (!p.isCompleted()) {
      reasons.add(what + ": no answer within " + HumanTime.duration(ENRICH_BUDGET) + ", routed without it");
      return null;
    }
    RuntimeException failure = p.getFailure();
    if (failure != null) {
      reasons.add(what + ": failed (" + cause(failure) + "), routed without it");
      return null;
    }
    return p.get();
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = root instanceof io.temporal.failure.TimeoutFailure
        ? "timed out"
        : root instanceof io.temporal.failure.TemporalFailure f ? f.getOriginalMessage() : root.getMessage();
    m = m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    return m.length() > 120 ? m.substring(0, 120) : m;
  }

}
