package dev.forumdesk.ticket;

import dev.forumdesk.sla.Clock;
import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.assignment.FirstAnswer;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.text.Cut;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Projects snapshots to the read model, hands bot messages to the outbox, opens L2 topics. */
public final class TicketActivitiesImpl implements TicketActivities {
  private static final Logger log = LoggerFactory.getLogger(TicketActivitiesImpl.class);
  /** Telegram's limit for topic names. */
  private static final int TOPIC_NAME_MAX = 128;
  /** When a Level 2 topic's activity asks again while its topic waits in the outbox. */
  private static final Duration ASKED_AGAIN_IN = Duration.ofSeconds(1);
  /**
   * The room a Level 2 topic's try leaves, of its start-to-close timeout, for what follows its wait:
   * saving the topic, queuing its summary, reporting the result (a busy store takes seconds).
   */
  static final Duration AFTER_THE_WAIT = Duration.ofSeconds(6);
  /** What a run's key is followed by in the outbox key of its Level 2 topic's createForumTopic. */
  private static final String TOPIC_KEY = Level2Topics.OUTBOX_KEY;

  private final TicketStore tickets;
  private final Outbox outbox;
  private final Level2Topics level2Topics;
  private final NewTopics topics;
  private final MeterRegistry metrics;
  private final CapacityFreed capacity;
  private final PrivateNotes notes;
  private final FirstAnswer firstAnswer;
  private final SummaryFirstMessage firstMessage;
  private final TicketInbox inbox;

  /**
   * @param topics opens the Level 2 topics, through the outbox
   * @param capacity told when a projected resolve or close frees the assignee's slot
   * @param notes private notes to staff, and where each goes if Telegram refuses it
   */
  public TicketActivitiesImpl(
      TicketStore tickets, Outbox outbox, Level2Topics level2Topics, NewTopics topics,
      MeterRegistry metrics, CapacityFreed capacity, PrivateNotes notes) {
    this(tickets, outbox, level2Topics, topics, metrics, capacity, notes, FirstAnswer.NOBODY);
  }

  /** @param firstAnswer told when a projection shows a waiting ticket's first response by an agent */
  public TicketActivitiesImpl(
      TicketStore tickets, Outbox outbox, Level2Topics level2Topics, NewTopics topics,
      MeterRegistry metrics, CapacityFreed capacity, PrivateNotes notes, FirstAnswer firstAnswer) {
    this(tickets, outbox, level2Topics, topics, metrics, capacity, notes, firstAnswer, SummaryFirstMessage.AS_WRITTEN);
  }

  /** @param firstMessage adds the customer's first message to a Level 2 summary written before it came */
  public TicketActivitiesImpl(
      TicketStore tickets, Outbox outbox, Level2Topics level2Topics, NewTopics topics, MeterRegistry metrics,
      CapacityFreed capacity, PrivateNotes notes, FirstAnswer firstAnswer, SummaryFirstMessage firstMessage) {
    this(tickets, outbox, level2Topics, topics, metrics, capacity, notes, firstAnswer, firstMessage, TicketInbox.NONE);
  }

  /**
   * @param inbox the updates that wait in the inbox for a ticket, for its late deadlines (lifecycle
   *     rules 13), and its topic's name before it is projected
   */
  public TicketActivitiesImpl(
      TicketStore tickets, Outbox outbox, Level2Topics level2Topics, NewTopics topics, MeterRegistry metrics,
      CapacityFreed capacity, PrivateNotes notes, FirstAnswer firstAnswer, SummaryFirstMessage firstMessage,
      TicketInbox inbox) {
    this.inbox = inbox;
    this.firstAnswer = firstAnswer;
    this.firstMessage = firstMessage;
    this.tickets = tickets;
    this.outbox = outbox;
    this.level2Topics = level2Topics;
    this.topics = topics;
    this.metrics = metrics;
    // at 0 from the start, so that an alert on their increase sees 0 rather than no data
    for (Clock clock : List.of(Clock.FIRST_RESPONSE, Clock.NEXT_RESPONSE, Clock.RESOLUTION)) {
      breaches(clock.label());
    }
    for (String reason : EscalationReasons.ALL) {
      escalated(reason);
    }
    this.capacity = capacity;
    this.notes = notes;
  }

  /** Loads are summed over tickets the read model shows open: this write is what frees a slot. */
  @Override
  public void project(TicketState state) {
    count(tickets.save(state));
    freedSlot(state);
    answeredWhileWaiting(state);
  }

  @Override
  public void projectChanges(Projection projection) {
    try {
      count(tickets.apply(projection));
    } catch (Projection.Gap gap) {
      throw gap.asFailure();
    }
    freedSlot(projection.head());
    answeredWhileWaiting(projection.head());
  }

  /**
   * The escalations a projection added to the read model: the store tells each once, when the
   * write that first holds it commits, so a retried or repeated projection counts nothing again.
   */
  private void count(List<String> escalations) {
    escalations.forEach(reason -> escalated(reason).increment());
  }

  private Counter breaches(String clock) {
    return Counter.builder("forumdesk_sla_breaches_total").tag("clock", clock)
        .description("SLA deadlines that passed, by clock (first-response, next-response, resolution)").register(metrics);
  }

  private Counter escalated(String reason) {
    return Counter.builder("forumdesk_escalations_total").tag("reason", reason)
        .description("escalations of tickets, by what escalated them").register(metrics);
  }

  /** An unassigned ticket's first response, by an agent: first to answer takes it ({@link FirstAnswer}). */
  private void answeredWhileWaiting(TicketState state) {
    if (state.assignee() != null || state.firstResponseAt() == null || state.status().finished()) {
      return;
    }
    for (int i = state.audit().size() - 1; i >= 0; i--) {
      AuditEntry e = state.audit().get(i);
      if (e.event().equals("FIRST_RESPONSE")) {
        if (e.agent() != null) {
          try {
            firstAnswer.answered(state.id(), e.agent().id());
          } catch (RuntimeException failed) {
            // the projection is written; the line hands the ticket to someone as before
            log.warn("{}: could not give it to {}, who answered it first: {}", state.id(), e.agent().name(),
                failed.toString());
          }
        }
        return;
      }
    }
  }

  private void freedSlot(TicketState state) {
    if (state.assignee() != null && state.status().finished()) {
      capacity.freed(state.id() + " " + state.status().name().toLowerCase(Locale.ROOT));
    }
  }

  /** In group mode a notice for staff reads neutrally in the customer's topic ({@link PrivateNotes#inTopic}). */
  @Override
  public void post(OutboundMessage m) {
    // before the ticket's first projection (a breach due in its first workflow task, after an outage)
    // named by its opening update's topic name, not its id (audit 16, F6.1)
    notes.inTopic(m, id -> tickets.topicLink(id, inbox::topicName));
  }

  /** In group mode the customer's line of a notice that waits (lifecycle rules 11; {@link PrivateNotes#customerLine}). */
  @Override
  public void customerLine(OutboundMessage notice) {
    notes.customerLine(notice);
  }

  /**
   * {@code fallback} is the note with a mention, for the topic; in group mode the customer reads
   * the topic, and {@link PrivateNotes} sends it to the staff forum, or, without one, nowhere.
   */
  @Override
  public void directMessage(String ticketId, OutboundMessage message, OutboundMessage fallback) {
    notes.send(ticketId, message, fallback);
  }

  @Override
  public Optional<String> staffNote(String ticketId, OutboundMessage note) {
    return notes.withoutRecipient(ticketId, note);
  }

  /**
   * createForumTopic goes through the outbox, within the forum's budget ({@link NewTopics}); the
   * workflow needs the new thread id, so the activity waits for it, and fails for a retry while the
   * topic still waits its turn. The mapping row makes a retried activity reuse the topic instead of
   * opening a second one. One topic per run: a follow-up's escalation is not the closed run's.
   *
   * <p>The forum is the one configured now, not {@code level2ChatId}, the one of the ticket's start:
   * after a restart that changed support.level2-chat-id, an older ticket's topic opens where the
   * desk reads; with no staff forum any more, none opens, the summary goes to the supervisors by DM
   * as for a new ticket, and the failure says so for the ticket's audit (audit 9, F3).
   *
   * <p>An escalation whose topic was queued before such a restart (it waited for the forum's budget)
   * has it where it was queued, as it was decided then: the row opens it there, and the ticket has it
   * there, the summary and the replies with it (audit 10, F1), not the thread's number in another forum.
   * If that forum refuses it for good (the bot was removed there: the usual reason to move a forum),
   * it is asked again in the forum of now, whether the refusal came before this activity asked or while
   * it waited (audit 11, F1: most such tickets were left with no topic and no summary anywhere).
   *
   * <p>Refused for good in the forum of now too, the escalation still reaches people: the summary goes
   * to the supervisors by DM, as with no staff forum, they are told once per forum and cause why no
   * Level 2 topic opens there ({@link PrivateNotes#level2TopicRefused}), and the failure says so for
   * the ticket's audit.
   */
  @Override
  public long openLevel2Topic(String ticketId, long level2ChatId, String title, String summaryHtml, String run) {
    return openLevel2TopicDetailed(ticketId, level2ChatId, title, summaryHtml, run).threadId();
  }

  /**
   * {@link #openLevel2Topic}, telling the workflow (lifecycle rules 8) the topic's forum, the forum
   * where a restart interrupted an earlier call for it ({@link NewTopics#interruptedIn}: the ticket's
   * audit says so, as the summary does), and whether the summary carries the customer's first
   * message. One an earlier try queued (it stopped before it answered) carries it if the workflow's
   * summary did; else it is said not to, whatever the read model has now: Level 2 may then read the
   * message twice, rather than never.
   */
  @Override
  public Level2TopicOpened openLevel2TopicDetailed(
      String ticketId, long level2ChatId, String title, String summaryHtml, String run) {
    Instant waitUntil = waitUntil();
    String key = run == null ? ticketId : run;
    Optional<ForumTopic> existing = level2Topics.topicOf(key);
    ForumTopic topic;
    if (existing.isPresent()) {
      topic = existing.get();
    } else {
      // a row refused for good is not where the topic is: asked again, in the forum of now
      Optional<Long> forum = topics.queuedIn(key + TOPIC_KEY).or(notes::level2Forum);
      if (forum.isEmpty()) {
        throw noLevel2Forum(summaryWithoutTopic(ticketId, key, withFirstMessage(ticketId, summaryHtml)));
      }
      topic = switch (topics.open(key + TOPIC_KEY, forum.get(), Cut.to(title, TOPIC_NAME_MAX), waitUntil)) {
        case NewTopics.Result.Opened opened -> new ForumTopic(opened.chatId(), opened.threadId());
        case NewTopics.Result.Refused r when !notes.level2Forum().equals(Optional.of(r.chatId())) ->
            throw refusedInTheForumOfThen(ticketId, r);
        // not waited for: a try after this one would ask for another topic
        case NewTopics.Result.Refused r ->
            throw refused(ticketId, r, summaryWithoutTopic(ticketId, key, firstMessage.now(ticketId, summaryHtml)));
        case NewTopics.Result.Waiting w -> throw waiting(ticketId, w);
      };
      level2Topics.save(key, ticketId, topic.chatId(), topic.threadId());
    }
    // where customers read the Level 2 forum, without the reason (PrivateNotes.level2Summary)
    String summary = withFirstMessage(ticketId, summaryHtml);
    Optional<Long> interrupted = topics.interruptedIn(key + TOPIC_KEY);
    boolean queuedNow = notes.level2Summary(ticketId,
        new OutboundMessage(key + ":" + PrivateNotes.LEVEL2_SUMMARY_KEY, topic.chatId(), topic.threadId(),
            summary, OutboundMessage.URGENT),
        interrupted.map(chat -> earlierTopic(ticketId, Cut.to(title, TOPIC_NAME_MAX), chat, topic)));
    boolean withFirst = !Level2Summary.mayLackFirstMessage(summaryHtml)
        || (queuedNow && !Level2Summary.mayLackFirstMessage(summary));
    if (!withFirst) {
      log.info("{}: its Level 2 summary went without the customer's first message, which had not come;"
          + " the ticket posts it in topic {} when it comes", ticketId, topic.threadId());
    }
    return new Level2TopicOpened(topic.chatId(), topic.threadId(), interrupted.orElse(null), withFirst);
  }

  /**
   * The summary with the customer's first message, which the workflow may not have had when it wrote
   * it ({@link SummaryFirstMessage}); while that message is on its way, the activity asks again after
   * {@link #ASKED_AGAIN_IN}, as for a topic that waits. The topic, once opened, is found by its row.
   */
  private String withFirstMessage(String ticketId, String summaryHtml) {
    return firstMessage.whenItCame(ticketId, summaryHtml).orElseThrow(() -> {
      log.debug("{}: the Level 2 summary waits for the customer's first message", ticketId);
      return ApplicationFailure.newBuilder().setMessage("the Level 2 summary waits for the customer's first message")
          .setType("Waiting").setCategory(ApplicationErrorCategory.BENIGN).setNextRetryDelay(ASKED_AGAIN_IN).build();
    });
  }

  /**
   * How long this try may wait for its topic: until {@link #AFTER_THE_WAIT} before its start-to-close
   * timeout, counted from its start here, so that the reads and the enqueue before the wait and the
   * steps after it fit in the timeout on a busy store. Before, the wait's 12 s were counted from after
   * the enqueue and left 3 s of the 15 s: a try the server had timed out finished anyway, the SDK
   * logged its report's NOT_FOUND with a stack trace, and the retry began later (audit 12, F5).
   */
  private static Instant waitUntil() {
    Instant now = Instant.now();
    Duration timeout;
    try {
      timeout = Activity.getExecutionContext().getInfo().getStartToCloseTimeout();
    } catch (IllegalStateException notAnActivity) {
      return Instant.MAX; // called directly: NewTopics' own wait
    }
    if (timeout == null || timeout.isZero()) {
      return Instant.MAX;
    }
    Duration left = timeout.minus(AFTER_THE_WAIT);
    return now.plus(left.isNegative() ? Duration.ZERO : left);
  }

  /**
   * What the summary says after it when an earlier call for the topic was cut off mid-call (a kill
   * -9): Telegram may have opened that one, whose thread id never came back, so the ticket has this
   * one, and an empty topic of the same name may be left in the forum (audit 12, F4).
   */
  private static String earlierTopic(String ticketId, String name, long chatId, ForumTopic used) {
    log.info("{}: a restart interrupted the call that opened its Level 2 topic before; it has topic {} in {},"
        + " and an empty one of the same name may be left in {}", ticketId, used.threadId(), used.chatId(), chatId);
    return "ℹ️ A restart interrupted the call that opened this topic before: an earlier topic “"
        + Html.escape(name) + "” may exist in "
        + (chatId == used.chatId() ? "this forum" : "the forum " + chatId) + ", empty. This one is the ticket's.";
  }

  /** The summary of run {@code key}'s escalation that has no Level 2 topic, to the supervisors by DM: where it went. */
  private String summaryWithoutTopic(String ticketId, String key, String summaryHtml) {
    return notes.level2SummaryWithoutTopic(ticketId, key + ":" + PrivateNotes.LEVEL2_SUMMARY_KEY, summaryHtml,
        TicketWorkflow.topicOf(ticketId));
  }

  /**
   * The topic's row, queued for the forum of before a restart, was refused for good there: the
   * activity's next try, after {@link #ASKED_AGAIN_IN} as for a wait, finds the row refused and asks
   * for the topic in the forum of now (a new row, {@code :again-1}), or with none sends the summary by
   * DM: as a try that starts after the refusal does. Benign: no stack trace for it.
   */
  private static ApplicationFailure refusedInTheForumOfThen(String ticketId, NewTopics.Result.Refused r) {
    String message = "Telegram refused the Level 2 topic queued for " + r.chatId() + ", the Level 2 forum before a"
        + " restart, for good (" + r.reason() + "); asked again in support.level2-chat-id";
    log.info("{}: {}", ticketId, message);
    return ApplicationFailure.newBuilder().setMessage(message).setType("AskedAgain")
        .setCategory(ApplicationErrorCategory.BENIGN).setNextRetryDelay(ASKED_AGAIN_IN).build();
  }

  /**
   * Telegram refused the topic for good in the Level 2 forum of now: the supervisors are told, once per
   * forum and cause; the summary went to them by DM. Not retried; benign, so the SDK logs no stack
   * trace per ticket for what one notice and one WARN say (audit 11, F1: 204 stack-trace lines).
   */
  private ApplicationFailure refused(String ticketId, NewTopics.Result.Refused r, String summaryWent) {
    notes.level2TopicRefused(r.chatId(), r.reason());
    String message = "no Level 2 topic: Telegram refused to open one in the Level 2 forum " + r.chatId() + " ("
        + r.reason() + "); the bot must be a member there and an admin with the right to manage topics"
        + " (can_manage_topics); the summary was " + summaryWent + " instead";
    log.info("{}: {}", ticketId, message);
    return ApplicationFailure.newBuilder().setType("Rejected").setNonRetryable(true)
        .setCategory(ApplicationErrorCategory.BENIGN).setMessage(message).build();
  }

  /**
   * No Level 2 topic: customers read the forum support.level2-chat-id names now. Not retried; benign,
   * so the SDK logs no stack trace for what is the desk's configuration, not a fault.
   */
  private static ApplicationFailure noLevel2Forum(String summaryWent) {
    return ApplicationFailure.newBuilder().setType(NO_LEVEL2_FORUM).setNonRetryable(true)
        .setCategory(ApplicationErrorCategory.BENIGN)
        .setMessage("no Level 2 topic: support.level2-chat-id is now the customers' own forum, which every customer"
            + " reads; the summary was " + summaryWent + " instead")
        .build();
  }

  /**
   * A try that ends while the topic waits its turn: a wait, not a failure. Benign, so the SDK logs
   * it at DEBUG rather than as a WARN with a stack trace on every try of a burst; asked again after
   * {@link #ASKED_AGAIN_IN}, not after the workflow's growing backoff (up to 30 s), so the topic is
   * taken soon after the outbox opened it. Neither is part of the workflow's commands.
   */
  private static ApplicationFailure waiting(String ticketId, NewTopics.Result.Waiting w) {
    String message = "the Level 2 topic waits in the outbox (" + w.status() + ") for the forum's message budget";
    log.info("{}: {}; asked again in {} s", ticketId, message, ASKED_AGAIN_IN.toSeconds());
    return ApplicationFailure.newBuilder().setMessage(message).setType("Waiting")
        .setCategory(ApplicationErrorCategory.BENIGN).setNextRetryDelay(ASKED_AGAIN_IN).build();
  }

  @Override
  public int otherRecentTickets(String ticketId, long customerId, Instant since) {
    return tickets.countByCustomerSince(customerId, since, ticketId);
  }

  @Override
  public Optional<TicketState> closedPredecessor(String ticketId) {
    return tickets.closedPredecessor(ticketId);
  }

  @Override
  public void breach(String ticketId, String clock) {
    breaches(clock).increment();
  }

  @Override
  public List<Long> inboxBacklog(String ticketId, Long customerId) {
    return inbox.backlog(ticketId, customerId);
  }
}
