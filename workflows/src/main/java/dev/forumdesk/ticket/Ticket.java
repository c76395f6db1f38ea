package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutableTicket;
import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import dev.forumdesk.text.HumanTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A ticket's state and lifecycle transitions inside the workflow: no I/O and no Temporal calls.
 * Side effects are collected as {@link Effect}s that the workflow carries out afterwards.
 */
final class Ticket implements RoutableTicket {
  /** {@link TicketState#SEEN_EVENTS_KEPT}. */
  static final int SEEN_EVENTS_KEPT = TicketState.SEEN_EVENTS_KEPT;

  /** Also the holder of the fields phase 2 routing owns (category, language, tier, routing). */
  private TicketState base;
  final TicketPolicy policy;
  final SlaClocks clocks;
  private final List<AuditEntry> audit;
  private final LinkedHashSet<String> seen;
  private final List<Breach> breaches;
  private final LinkedHashSet<String> fired;
  private final List<Effect> effects = new ArrayList<>();
  /**
   * Which lifecycle rules this run follows, from a workflow version marker ({@link
   * Transitions#LIFECYCLE}); never part of the snapshot. 1: a priority change keeps the
   * first-response time already used, a reopen gives a fresh first-response time, a resume
   * restarts the stale clock, the escalation chain opens the Level 2 topic, an ESCALATED ticket
   * stays ESCALATED when it goes quiet, and an agent who opens a topic is not its customer. 2
   * ({@link Transitions#LIFECYCLE_2}): a customer's message that ends a hold says so in the topic, a
   * person's rename of an assigned topic gets the assignee's tag back, a run opened by staff waits
   * for its customer's first word ({@link Lifecycle#awaitingCustomer}), and a follow-up's escalation
   * opens a Level 2 topic of its own. 3 ({@link Transitions#LIFECYCLE_3}): a note for staff with
   * nobody to address it to (no assignee and no supervisors; an escalation with no supervisors) is
   * no longer posted in the topic, which the customer reads in group mode ({@link #staffNote}), and
   * auto-close adds one version, not two ({@link Escalations#deadline}). 4 ({@link
   * Transitions#LIFECYCLE_4}): in relay mode a customer's message that reopens a RESOLVED ticket says
   * so in the agents' topic. 5 ({@link Transitions#LIFECYCLE_5}): a resolution breach is told to the
   * assignee (else the supervisors, else where staff read), the escalation chain leaves a ticket
   * already at Level 2 alone, the stale reminder of a ticket whose customer waits says so, and in
   * group mode an escalation opens no Level 2 topic in the customers' own forum ({@link
   * #openLevel2Topic}), and a follow-up runs under the configuration in force when it starts. 6
   * ({@link Transitions#LIFECYCLE_6}): an escalation always asks the activity for its Level 2 topic,
   * which decides from the configuration in force, so a ticket started without a staff forum gets one
   * after a restart that added it. 7 ({@link Transitions#LIFECYCLE_7}): the Level 2 topic opens beside
   * the workflow's loop ({@link #level2TopicPending}), so the escalation and what follows it are
   * projected while the topic waits for the staff forum's budget. 8 ({@link Transitions#LIFECYCLE_8}):
   * the LEVEL2_TOPIC entry says when a restart interrupted an earlier call for the topic (an empty
   * one may be left in the forum), and a Level 2 topic whose summary went without the customer's
   * first message gets that message when it comes ({@link #level2FirstMessageOwed}). 9 ({@link
   * Transitions#LIFECYCLE_9}): a new topic's acknowledgement is queued before the ticket is first
   * projected, and an agent's first
   * reply while the ticket is on hold makes the resume bring it back IN_PROGRESS, not NEW, and a
   * first-response breach of a ticket already at Level 2 calls nobody again. 10 ({@link
   * Transitions#LIFECYCLE_10}): an escalation's notice ("⬆️ Escalated to Level 2", the escalation
   * chain's call) is queued once its Level 2 topic has opened and its summary is queued
   * ({@link Level2TopicRequest#notices}), and a ticket already at Level 2 gets no 80 % warning. 11
   * ({@link Transitions#LIFECYCLE_11}): what the customer reads of that notice in group mode ("⬆️ A
   * specialist will join shortly.") is queued at once, not after the Level 2 topic
   * ({@link TicketActivities#customerLine}). 12 ({@link Transitions#LIFECYCLE_12}): a resolve or an
   * agent's reply written by the resolution or next-response deadline that reaches Forumdesk after
   * it withdraws that breach, as a first reply does the first response's ({@link #withdrawBreach(Clock,
   * Instant, Duration)}); so does a /hold dated by a running clock's deadline, which keeps that clock
   * paused with what it had left at its date ({@link Transitions#hold}). 13 ({@link
   * Transitions#LIFECYCLE_13}): a deadline that is late when the run looks at it (it passed while the
   * process was down, or the ticket's updates came hours after they were written) waits while the inbox
   * holds updates of the ticket the run has not seen, for {@code TicketWorkflowImpl.BACKLOG_GRACE} at
   * most, and an update dated after a late deadline comes after it ({@link
   * TicketActivities#inboxBacklog}), the auto-close excepted, which waits for every update that reaches
   * the ticket (a customer's message written after it reopens the RESOLVED ticket); a follow-up keeps
   * its predecessor's customer whoever opens it, an agent's reply dated before a follow-up opened is
   * no first response of it (REPLY_WHILE_CLOSED), a run staff opened is acknowledged at the
   * customer's first word, and an agent's reopening of a closed topic is audited as such ({@link
   * FollowUp#reason(java.util.List, Person, Instant, java.time.ZoneId, boolean, Person)}; audit 17,
   * F2, F3, F7).
   */
  int lifecycle;
  /**
   * A follow-up run keys its messages by run ({@link #keyPrefix}), from the version marker {@link
   * FollowUp#ROUTED_AGAIN}; never part of the snapshot.
   */
  boolean runKeys;
  /**
   * Version marker: the customer's acknowledgement names the ticket by its topic's number, and a
   * follow-up's OPENED entry says in words what it follows instead of giving a Temporal run id.
   */
  static final String READABLE_REFERENCES = "readable-references";
  /** From the version marker {@link #READABLE_REFERENCES}; never part of the snapshot. */
  boolean readableReferences;
  boolean opened;
  String title;
  Person customer;
  String firstMessage;
  Status status;
  Status previousStatus;
  String holdReason;
  Priority priority;
  int level;
  String queue;
  Person assignee;
  Double sentiment;
  Instant createdAt;
  Instant firstResponseAt;
  Instant resolvedAt;
  Instant lastActivityAt;
  int reopenCount;
  Long level2ThreadId;
  /** {@link Lifecycle#level2TopicPending}: set and cleared by the workflow, which opens the topic. */
  Level2TopicRequest level2TopicPending;
  /** {@link Lifecycle#level2FirstMessageOwed}: set by the workflow from its topic's answer, cleared once posted. */
  ForumTopic level2FirstMessageOwed;
  boolean awaitingCustomer;
  /** When the first-response clock started, if not at {@link #createdAt} ({@link Lifecycle#firstResponseFrom}). */
  Instant firstResponseFrom;
  /** {@link Lifecycle#firstResponseEvent}. */
  String firstResponseEvent;
  /** {@link Lifecycle#customerUnreachable}. */
  boolean customerUnreachable;
  /** {@link Lifecycle#customerWaitingSince}. */
  Instant customerWaitingSince;
  private long version;

  /** The audit event of a business-time clock that runs by the wall clock ({@link SlaClocks.WallClockFallback}). */
  static final String WALL_CLOCK = "SLA_WALL_CLOCK";
  /** Its one-time cause ({@link #fireOnce}), per clock: "sla-wall-clock:stale". */
  private static final String WALL_CLOCK_CAUSE = "sla-wall-clock:";

  Ticket(TicketState s) {
    base = s;
    policy = s.policy();
    BusinessCalendar calendar = BusinessCalendar.of(policy.businessHours());
    // audited once per clock in a run (a one-time cause, kept in the snapshot's fired), not at each
    // restart: the stale clock restarts with every message, a resume or a reopen starts others again.
    // A run that audited it before the cause was kept has the entry in this run's audit.
    clocks = new SlaClocks(calendar, s.clocks(), (clock, at, amount, due) -> {
      String label = clock.label() + ": ";
      if (fireOnce(WALL_CLOCK_CAUSE + clock.label()) && !auditedThisRun(WALL_CLOCK, label)) {
        record(at, WALL_CLOCK, label + amount + " of business time does not fall due within ten years of the business"
            + " hours (" + calendar + "); it runs by the wall clock instead, due " + HumanTime.at(due, calendar.zone()),
            "system");
      }
    });
    audit = new ArrayList<>(s.audit());
    seen = new LinkedHashSet<>(s.seenEvents());
    breaches = new ArrayList<>(s.sla().breaches());
    fired = new LinkedHashSet<>(s.lifecycle().fired());
    opened = s.opened();
    title = s.title();
    customer = s.customer();
    firstMessage = s.firstMessage();
    status = s.status();
    previousStatus = s.lifecycle().previousStatus();
    holdReason = s.lifecycle().holdReason();
    priority = s.priority();
    level = s.level();
    queue = s.queue();
    assignee = s.assignee();
    sentiment = s.sentiment();
    createdAt = s.createdAt();
    firstResponseAt = s.firstResponseAt();
    resolvedAt = s.resolvedAt();
    lastActivityAt = s.lastActivityAt();
    reopenCount = s.reopenCount();
    level2ThreadId = s.lifecycle().level2ThreadId();
    level2TopicPending = s.lifecycle().level2TopicPending();
    level2FirstMessageOwed = s.lifecycle().level2FirstMessageOwed();
    awaitingCustomer = s.lifecycle().awaitingCustomer();
    firstResponseFrom = s.lifecycle().firstResponseFrom();
    firstResponseEvent = s.lifecycle().firstResponseEvent();
    customerUnreachable = s.lifecycle().customerUnreachable();
    customerWaitingSince = s.lifecycle().customerWaitingSince();
    version = s.version();
  }

  String id() {
    return base.id();
  }

  long chatId() {
    return base.chatId();
  }

  long threadId() {
    return base.threadId();
  }

  /** The previous run's id when this ticket is a follow-up of a closed one. */
  String followUpOf() {
    return base.followUpOf();
  }

  /** What the customer hears when the ticket opens. */
  String acknowledgement(String title) {
    return readableReferences ? Notices.ackWithNumber(threadId(), title) : Notices.ack(id(), title);
  }

  /** The OPENED entry's reason of a follow-up run, opened by {@code event}. */
  String followUpReason(TicketEvent event) {
    if (!readableReferences) {
      return "follow-up of closed run " + followUpOf();
    }
    return lifecycle >= 13
        ? FollowUp.reason(audit, event.from(), event.at(), zone(), event instanceof TicketEvent.TopicReopened, customer)
        : FollowUp.reason(audit, event.from(), event.at(), zone());
  }

  /** The REPLY_WHILE_CLOSED entry's reason of an agent's reply dated before this follow-up run opened. */
  String earlierReplyReason(Person by, Instant at) {
    return FollowUp.earlierReply(audit, by, at, zone());
  }

  /**
   * The REPLY_NOT_SENT entry's reason of a help desk's reply the customer never got ({@link
   * TicketEvent.ReplyNotSent}): "Enoch Root (via Request Tracker) replied on 5 Dec 2026 14:40 UTC: not
   * sent to Bob, … (no response: the customer never got it)".
   */
  String notSentReason(Person by, Instant at, String why) {
    return (by == null ? "someone" : by.name()) + " replied on " + HumanTime.dated(at, zone()) + ": " + why
        + " (no response: the customer never got it)";
  }

  /** Someone this ticket knows by id (its customer, assignee, supervisors, senior agents), to name them. */
  Optional<Person> person(long id) {
    return Stream.concat(Stream.of(assignee, customer), Stream.concat(policy.supervisors().stream(), policy.seniorAgents().stream()))
        .filter(p -> p != null && p.id() == id).findFirst();
  }

  /**
   * The title as the customer wrote it: a relay topic is named "Bob: I was charged twice…" for the
   * agents, and Bob should not read his own name back in "Your request … is resolved".
   */
  String requestTitle() {
    String prefix = customer == null ? null : customer.name() + ": ";
    return prefix != null && title.startsWith(prefix) && title.length() > prefix.length()
        ? title.substring(prefix.length()) : title;
  }

  /** The zone the bot's messages give times in: the business hours' zone, else UTC. */
  ZoneId zone() {
    return BusinessCalendar.of(policy.businessHours()).zone();
  }

  String link() {
    return new ForumTopic(chatId(), threadId()).link(title);
  }

  /** @return false when the event was seen before and must have no effect. */
  boolean firstSighting(String eventId) {
    if (!seen.add(eventId)) {
      return false;
    }
    if (seen.size() > SEEN_EVENTS_KEPT) {
      seen.remove(seen.iterator().next());
    }
    return true;
  }

  boolean hasSeen(String eventId) {
    return seen.contains(eventId);
  }

  /** Whether this run's audit has an {@code event} entry whose reason starts with {@code prefix}. */
  private boolean auditedThisRun(String event, String prefix) {
    return AuditEntry.ofLastRun(audit).stream().anyMatch(e -> e.event().equals(event) && e.reason().startsWith(prefix));
  }

  /** Marks a one-time cause as handled. @return false if it was handled before. */
  boolean fireOnce(String cause) {
    return fired.add(cause);
  }

  /**
   * An audit entry, its time in milliseconds like the workflow's clock: an event stamped by a
   * process clock (a refused delivery) would show nanoseconds among entries that have none.
   */
  void record(Instant at, String event, String reason, String actor) {
    record(at, event, reason, actor, null);
  }

  /** @param agent the agent the entry is about ({@link AuditEntry#agent}), or null */
  void record(Instant at, String event, String reason, String actor, Person agent) {
    audit.add(new AuditEntry(at.truncatedTo(ChronoUnit.MILLIS), event, reason, actor, agent));
    version++;
  }

  void touch() {
    version++;
  }

  long version() {
    return version;
  }

  void breach(Clock clock, Instant due, Instant at) {
    String name = clock.label();
    breaches.add(new Breach(name, due, at));
    effects.add(new Effect.RecordBreach(name));
  }

  /**
   * Takes back a breach of {@code clock} that a message dated {@code at} shows did not happen: it
   * was written by the deadline and reached Forumdesk after it (a backlog, a help desk's pull).
   *
   * @return whether one was taken back
   */
  boolean withdrawBreach(String clock, Instant at) {
    return breaches.removeIf(b -> b.clock().equals(clock) && !at.isAfter(b.due()));
  }

  /**
   * Takes back the breach of {@code clock} whose wait a message or command dated {@code at} ended in
   * time: written by its deadline and within {@code limit} (the clock's time, in its calendar) before
   * it, so in that wait; it reached Forumdesk after the deadline (a webhook retried, a backlog in the
   * inbox, Telegram redelivering after an outage). A breach of an earlier wait (due before {@code at})
   * or of a later one (begun after {@code at}: the next response to a message the customer wrote after
   * it) stays. A wait paused on hold between {@code at} and its deadline counts the hold too, so such a
   * breach stays as before (the rare error keeps a breach, it never hides one).
   *
   * @return whether one was taken back
   */
  boolean withdrawBreach(Clock clock, Instant at, Duration limit) {
    return withdrawBreachLeft(clock, at, limit).isPresent();
  }

  /**
   * As {@link #withdrawBreach(Clock, Instant, Duration)}, telling what was left on the clock at {@code
   * at} (from {@code at} to the withdrawn breach's due, in the clock's calendar): a /hold dated by the
   * deadline would have paused it with that much left (lifecycle rules 12).
   *
   * @return what was left, if a breach was taken back
   */
  Optional<Duration> withdrawBreachLeft(Clock clock, Instant at, Duration limit) {
    BusinessCalendar calendar = BusinessCalendar.of(policy.businessHours());
    Optional<Duration> left = Optional.empty();
    for (java.util.Iterator<Breach> i = breaches.iterator(); i.hasNext(); ) {
      Breach b = i.next();
      if (!b.clock().equals(clock.label()) || at.isAfter(b.due())) {
        continue;
      }
      Duration before = clock.businessTime() ? calendar.between(at, b.due()) : Duration.between(at, b.due());
      if (before.compareTo(limit) <= 0) {
        i.remove();
        left = Optional.of(before);
      }
    }
    return left;
  }

  /**
   * The start of this run's outbox keys. The outbox drops a key it has seen, and a follow-up run
   * has its ticket's id: keyed by the id alone, its acknowledgement and every notice whose cause the
   * previous run had used were never sent. A follow-up's are keyed by the run it follows.
   */
  private String keyPrefix() {
    return runKeys && followUpOf() != null ? id() + ":after:" + followUpOf() : id();
  }

  /** A message in the ticket's topic, of {@code kind} ({@link MessageKind}), keyed by the run and {@code cause}. */
  void post(MessageKind kind, String cause, String html, int priority) {
    effects.add(new Effect.Post(new OutboundMessage(keyPrefix() + ":" + cause, chatId(), threadId(), html, priority, kind)));
  }

  /**
   * The customer's word of what a command typed elsewhere (a Level 2 topic) did. In group mode they
   * read a command's answer in their topic, and this command is answered where it was typed, so their
   * topic gets {@code html}; in relay mode {@link #tellCustomer} writes to them wherever it came from.
   */
  void tellTopicOfCommandElsewhere(String cause, String html) {
    if (!policy.relay()) {
      post(MessageKind.OTHER, cause, html, OutboundMessage.NORMAL);
    }
  }

  /**
   * What the customer should read. In a topic they see (group mode) the agents' reply or the
   * command's answer already says it; in relay mode the topic is the agents' own, so it goes to
   * the customer's private chat with the bot, where they wrote (they have started the bot).
   */
  void tellCustomer(String cause, String html) {
    if (policy.relay() && customer != null) {
      effects.add(new Effect.Post(new OutboundMessage(keyPrefix() + ":" + cause + ":customer", customer.id(), null, html,
          OutboundMessage.NORMAL, MessageKind.OTHER)));
    }
  }

  /** A private note to a person; if they never started the bot, the topic gets it with a mention. */
  void directMessage(MessageKind kind, String cause, Person to, String html, int priority) {
    OutboundMessage dm =
        new OutboundMessage(keyPrefix() + ":" + cause + ":dm:" + to.id(), to.id(), null, html, priority, kind);
    OutboundMessage fallback = new OutboundMessage(keyPrefix() + ":" + cause + ":fallback:" + to.id(), chatId(),
        threadId(), to.mention() + " " + html, priority, kind);
    effects.add(new Effect.DirectMessage(dm, fallback));
  }

  /**
   * A note for staff with nobody to address it to. It used to be posted in the topic, where in
   * group mode the customer reads it ("😟 The customer in … sounds upset"); since lifecycle rules 3
   * the activity decides where it goes ({@link Effect.StaffNote}).
   *
   * @param nobody why there is nobody, for the audit ("no supervisors")
   */
  void staffNote(MessageKind kind, String cause, String html, String nobody) {
    String about = cause.contains(":") ? cause.substring(0, cause.indexOf(':')) : cause;
    effects.add(new Effect.StaffNote(
        new OutboundMessage(keyPrefix() + ":" + cause, chatId(), threadId(), html, OutboundMessage.URGENT, kind), about,
        nobody));
  }

  /**
   * Since lifecycle rules 2 the topic is this run's, keyed like its messages ({@link #keyPrefix}): a
   * follow-up's escalation was given the closed run's topic, and its summary, keyed by the ticket,
   * was taken for the one already posted there.
   */
  void openLevel2Topic(String reason) {
    String summary = Level2Summary.of(title, new ForumTopic(chatId(), threadId()).url(), reason, customer, firstMessage);
    // since rules 6 the activity decides, from the configuration in force (audit 10, F4)
    if (lifecycle == 5 && level2IsTheCustomersForum()) {
      summaryToStaffInstead(summary);
      return;
    }
    effects.add(new Effect.OpenLevel2Topic("L2: " + title, summary, lifecycle >= 2 ? keyPrefix() : null));
  }

  /**
   * Group mode with support.level2-chat-id the support forum itself (or left out): every customer
   * is a member of it and would read a Level 2 topic there, with another customer's name, request
   * and the escalation's reason.
   */
  private boolean level2IsTheCustomersForum() {
    return !policy.relay() && policy.level2ChatId() == chatId();
  }

  /**
   * Under lifecycle rules 5, no Level 2 topic where customers read at the ticket's start: the summary
   * goes to the supervisors by DM (with the usual fallbacks), or, with none, where staff read ({@link
   * #staffNote}). The audit says it of the configuration the ticket started with, which a restart may
   * have changed since.
   */
  private void summaryToStaffInstead(String summary) {
    String to;
    if (policy.supervisors().isEmpty()) {
      staffNote(MessageKind.LEVEL2_SUMMARY, "level2-summary", summary, "no supervisors");
      to = "where staff read";
    } else {
      for (Person s : policy.supervisors()) {
        directMessage(MessageKind.LEVEL2_SUMMARY, "level2-summary", s, summary, OutboundMessage.URGENT);
      }
      to = "the supervisors by DM";
    }
    record(now(), "LEVEL2_SUMMARY", "no Level 2 topic: support.level2-chat-id was the customers' own forum,"
        + " which every customer reads, when this ticket started; the summary went to " + to + " instead", "system");
  }

  /**
   * The customer's first message, posted in the Level 2 topic whose summary went without it
   * (lifecycle rules 8), once it has come: a topic opened without text and escalated at once, whose
   * message came after {@code routing.first-message-wait}, left Level 2 without the customer's
   * question. Keyed by the run, so a repeated post is dropped by the outbox. Nothing while it has
   * not come.
   */
  void postFirstMessageToLevel2() {
    if (level2FirstMessageOwed == null || firstMessage == null) {
      return;
    }
    ForumTopic l2 = level2FirstMessageOwed;
    level2FirstMessageOwed = null;
    effects.add(new Effect.Post(new OutboundMessage(keyPrefix() + ":" + LEVEL2_FIRST_MESSAGE_KEY, l2.chatId(),
        l2.threadId(), Level2Summary.firstMessageAfter(customer, firstMessage), OutboundMessage.NORMAL, MessageKind.OTHER)));
    touch();
  }

  /** What the outbox key of {@link #postFirstMessageToLevel2} ends with, after the run's. */
  static final String LEVEL2_FIRST_MESSAGE_KEY = "l2-first-message";

  /** The topic's name lost its assignee's tag: the title lock puts it back. */
  void lockTitleAgain(String cause) {
    effects.add(new Effect.LockTitle(cause));
  }

  /** An effect decided earlier and held back, carried out with this pass's (lifecycle rules 10). */
  void effectAgain(Effect effect) {
    effects.add(effect);
  }

  List<Effect> drainEffects() {
    List<Effect> out = List.copyOf(effects);
    effects.clear();
    return out;
  }

  // --- clocks -------------------------------------------------------------------------------

  void startFirstResponseClocks() {
    startFirstResponseClocks(createdAt);
  }

  void startFirstResponseClocks(Instant from) {
    firstResponseFrom = from.equals(createdAt) ? null : from;
    Duration limit = policy.firstResponseFor(priority);
    clocks.start(Clock.FIRST_RESPONSE, from, limit);
    clocks.start(Clock.FIRST_RESPONSE_WARNING, from, warningAt(limit));
  }

  /** A new first-response limit (a priority change): the SLA time already used stays used, hold or not. */
  void changeFirstResponseLimit(Instant now, Duration oldLimit, Duration newLimit) {
    clocks.extend(Clock.FIRST_RESPONSE, now, newLimit.minus(oldLimit));
    clocks.extend(Clock.FIRST_RESPONSE_WARNING, now, warningAt(newLimit).minus(warningAt(oldLimit)));
  }

  private static Duration warningAt(Duration limit) {
    return limit.multipliedBy(4).dividedBy(5);
  }

  /**
   * A message dated {@code at}: the last activity moves forward only. A message can arrive after a
   * later one (a reply written in the help desk, pulled back a while after the customer wrote).
   */
  void noteActivity(Instant at) {
    if (lastActivityAt == null || at.isAfter(lastActivityAt)) {
      lastActivityAt = at;
    }
  }

  void restartStaleClock(Instant at) {
    clocks.start(Clock.STALE, at, policy.staleAfter());
  }

  SlaState slaView() {
    return new SlaState(
        firstResponseAt == null ? clocks.due(Clock.FIRST_RESPONSE).or(() -> overdue(Clock.FIRST_RESPONSE, null)).orElse(null) : null,
        clocks.due(Clock.NEXT_RESPONSE).or(this::overdueNextResponse).orElse(null),
        clocks.due(Clock.RESOLUTION).or(() -> overdue(Clock.RESOLUTION, null)).orElse(null),
        clocks.paused(),
        List.copyOf(breaches));
  }

  /**
   * When {@code clock} was due, while what it measures is still owed past its breach: the clock
   * fired and is gone, the breach keeps the moment. An open ticket only; resolved or closed,
   * nothing is due, and a clock started again (a reopen) has a due of its own.
   *
   * @param since only a breach of a due from then on (null: any)
   */
  private Optional<Instant> overdue(Clock clock, Instant since) {
    if (status.finished() || clocks.running(clock)) {
      return Optional.empty();
    }
    return breaches.reversed().stream().filter(b -> b.clock().equals(clock.label()))
        .map(Breach::due).findFirst().filter(due -> since == null || !due.isBefore(since));
  }

  /** A next response overdue while the customer still waits for it: no agent has replied since they wrote. */
  private Optional<Instant> overdueNextResponse() {
    return customerWaitingSince == null ? Optional.empty() : overdue(Clock.NEXT_RESPONSE, customerWaitingSince);
  }

  // --- phase 2 routing (dev.forumdesk.routing.RoutingStep) ----------------------------------

  /**
   * Routing replaces the fields it owns: category, language, tier and routing (kept in base), queue
   * and assignee. Priority and sentiment go through {@link #raisePriority} and
   * {@link #sentimentScored} so the lifecycle's clocks and notices follow.
   */
  @Override
  public void amend(UnaryOperator<TicketState> change, String auditEvent, String reason, String actor) {
    TicketState s = change.apply(snapshot());
    Person before = assignee;
    base = s;
    queue = s.queue();
    assignee = s.assignee();
    record(now(), auditEvent, reason, actor, assignee != null && !assignee.equals(before) ? assignee : null);
  }

  @Override
  public void raisePriority(Priority p, String reason) {
    if (p.compareTo(priority) > 0) {
      Transitions.setPriority(this, now(), p, reason, "system");
    }
  }

  @Override
  public void sentimentScored(double score) {
    Escalations.sentiment(this, score, now(), "first message");
  }

  @Override
  public void sentimentScored(double score, String source) {
    Escalations.sentiment(this, score, now(), source);
  }

  /** Posted where the command was typed: the ticket's topic, or the Level 2 topic it came from. */
  @Override
  public void answer(CommandRequest command, String html, MessageKind kind) {
    ForumTopic where = command.answerIn() != null ? command.answerIn() : new ForumTopic(chatId(), threadId());
    effects.add(new Effect.Post(new OutboundMessage(
        id() + ":reply:" + command.eventId(), where.chatId(), where.threadId(), html, OutboundMessage.NORMAL, kind)));
    touch();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(io.temporal.workflow.Workflow.currentTimeMillis());
  }

  @Override
  public TicketState snapshot() {
    return new TicketState(
        base.id(), base.chatId(), base.threadId(), opened, title, customer, firstMessage, status,
        priority, level, queue, base.category(), assignee, base.language(), sentiment, base.tier(),
        createdAt, firstResponseAt, resolvedAt, lastActivityAt, reopenCount, base.followUpOf(),
        slaView(), base.routing(), List.copyOf(audit), List.copyOf(seen), version, policy,
        new Lifecycle(previousStatus, holdReason, level2ThreadId, List.copyOf(fired), base.lifecycle().runId(),
            awaitingCustomer, firstResponseFrom, firstResponseEvent, customerUnreachable, customerWaitingSince,
            level2TopicPending, level2FirstMessageOwed),
        clocks.snapshot());
  }
}
