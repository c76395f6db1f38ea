package dev.forumdesk.helpdesk;

import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.Relay;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.loop.LoopThread;
import dev.forumdesk.observe.ObserveService;
import dev.forumdesk.retry.Backoff;
import dev.forumdesk.store.HelpDeskLinks;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.text.HumanTime;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.text.Cut;
import dev.forumdesk.text.TelegramHtml;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the tickets into the external help desk and pulls back what the team changed there, from
 * the read model rather than from the workflows: a help desk that is down holds back nothing but
 * its own copy, and catches up from the links table when it answers again ("sync":"FAILED" with
 * the reason until then).
 *
 * <ul>
 *   <li><b>Push</b> (every second): a ticket not mirrored yet is created there; a status change is
 *       set there, and a new title (the topic was renamed) too. The time of a ticket's first create
 *       is stored before it is sent: when its answer is lost (a timeout while the help desk is
 *       slow, a reset, a restart) the help desk may have made the twin all the same, and the next
 *       attempt adopts that one instead of making a second.
 *   <li><b>Pull</b> (every {@code help-desk.sync-back}): tickets resolved there are resolved here,
 *       put on hold there (stalled) are put on hold here, and opened again there are reopened or
 *       resumed here, through the same rules as the bot's commands, audited as done in the help desk.
 *       A change is marked seen only once its command was answered: while Temporal is unreachable
 *       the pass stops and the next one applies it again (the command's id, {@code
 *       hd:<id>:<epoch millis>}, makes a repeat after a crash one command).
 *   <li>In the same pass, what agents wrote to the customer there (a public reply) is posted into
 *       the ticket's topic ({@code 💬 name (via Request Tracker): text}, through the outbox, keyed
 *       {@code hd-reply:<kind>:<reply id>} so a pull that sees it again posts nothing) and reaches
 *       the ticket as an agent's message ({@code hdr:<kind>:<reply id>}): the first-response clock
 *       stops. Such a message is not mirrored back into the help desk as a comment. One on a CLOSED
 *       ticket (its run has ended) is posted too. In relay mode it then goes as an agent's message
 *       in that CLOSED topic goes ({@link Relay#deliver}): while the customer has another open ticket
 *       it is not sent (the topic is told where to write, the help desk too, as a comment), else it
 *       starts a follow-up run in that topic and reaches the customer. Otherwise (group mode, or
 *       not sent) it is recorded in that ticket's trail once (REPLY_WHILE_CLOSED, by the help desk's
 *       user) with its event id among the ticket's seen ones: a later pull, a restart, a follow-up
 *       run (which starts from that snapshot) neither deliver nor record it again; one not sent while
 *       a follow-up run of that ticket opens goes to that run as not sent ({@link
 *       TicketEvent.ReplyNotSent}: audited, no response), and never as the agent's message. One pulled while
 *       a follow-up run starts (it read the closed snapshot, its first snapshot is on its way and
 *       replaces that one) is not written there, where it would be lost: in group mode that run
 *       takes it, as it takes one pulled after it opened; should that run have ended before its
 *       first snapshot (no run takes it), it is recorded there after all, with a warning. One that
 *       reaches no run of a ticket the read model shows open is in its trail too: as one for a
 *       CLOSED ticket whose customer has it when the run closed in between, else (the run ended
 *       without closing: terminated, failed) recorded on the stored snapshot once (REPLY_WHILE_NO_RUN).
 *   <li>A twin whose ticket is CLOSED here that the help desk reports in another status (RT opens a
 *       resolved ticket when someone replies in it, and such a reply leaves the ticket CLOSED; an
 *       agent reopening it there) is set back to the ticket's status by the next push: a CLOSED
 *       ticket takes no command, and the two would disagree until someone changed the twin by hand.
 * </ul>
 */
public final class HelpDeskSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HelpDeskSync.class);
  private static final Duration PUSH_EVERY = Duration.ofSeconds(1);
  private static final Backoff RETRY = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));
  private static final Duration PASS_RETRY_CAP = Duration.ofSeconds(30);
  /** Between passes while the help desk is unreachable (one failed pass stops at its first failure). */
  private static final Backoff PASS_RETRY = new Backoff(Duration.ofSeconds(1), PASS_RETRY_CAP);
  private final dev.forumdesk.log.OncePer stillFailing =
      new dev.forumdesk.log.OncePer(Duration.ofMinutes(1), java.time.Clock.systemUTC());
  private static final int BATCH = 50;
  /**
   * Tickets whose comments failed in one pass after which the help desk is taken as down for all
   * (no call per waiting ticket then; the next pass tries again).
   */
  private static final int DOWN_AFTER = 3;
  /** The help desk's clock has one-second steps: each pull looks this far behind its cursor again. */
  private static final Duration OVERLAP = Duration.ofSeconds(2);
  /** The event id prefix of a reply written in the help desk: never mirrored back as a comment. */
  static final String REPLY_EVENT = "hdr:";
  /**
   * The event id prefix of the comment that tells the help desk a reply was not sent (relay mode,
   * the customer busy in another ticket), followed by the kind and the reply's id.
   */
  static final String NOT_SENT_EVENT = "hd-not-sent:";
  /** Telegram's limit for a message's text. */
  static final int TELEGRAM_TEXT_MAX = 4096;

  /**
   * What the sync needs of the tickets: {@link TicketGateway}'s commands and deliveries (and in
   * relay mode the relay to the customer), narrowed so that a test can stand in for Temporal.
   */
  interface Tickets {
    TicketGateway.CommandOutcome command(String ticketId, CommandRequest request);

    /**
     * An event for a ticket that exists already (it never opens one).
     *
     * @return whether a run took it: false when no run of the ticket is running ({@link TicketGateway#deliver})
     */
    boolean deliver(Classified.ForTicket event);

    /**
     * Relay mode: an agent's reply for a CLOSED ticket (its run has ended), {@code event} starting
     * one, delivered as an agent's message in that ticket's topic is ({@link Relay#deliver}): turned
     * away while the customer has another open ticket, else it starts a follow-up run in that topic
     * and reaches the customer privately. Group mode: nothing ({@link ClosedTicket.StaysClosed}).
     */
    default ClosedTicket whileClosed(Classified.ForTicket event) {
      return new ClosedTicket.StaysClosed();
    }

    static Tickets of(TicketGateway gateway, Relay relay) {
      return of(gateway::command, gateway::deliver, relay);
    }

    /**
     * The customer's copy (relay mode, {@link Relay#out}: in the outbox under its key, so queued once)
     * goes BEFORE the ticket takes the reply: once the ticket has it, a later pull sees it there and
     * does nothing, so a crash between the two would lose the customer's copy for good. Queued first,
     * a crash before the ticket has it only queues it again under the same key at the next pass.
     */
    static Tickets of(java.util.function.BiFunction<String, CommandRequest, TicketGateway.CommandOutcome> command,
        java.util.function.Predicate<Classified.ForTicket> ticket, Relay relay) {
      return new Tickets() {
        @Override
        public TicketGateway.CommandOutcome command(String ticketId, CommandRequest request) {
          return command.apply(ticketId, request);
        }

        @Override
        public boolean deliver(Classified.ForTicket event) {
          relay.out(event); // relay mode: the customer reads it privately (first: see above)
          return ticket.test(event);
        }

        @Override
        public ClosedTicket whileClosed(Classified.ForTicket event) {
          if (!relay.on()) {
            return new ClosedTicket.StaysClosed();
          }
          // as an agent's message in the topic: turned away, or the customer's copy and then the
          // ticket, which starts the follow-up run
          return relay.deliver(event, ticket::test).<ClosedTicket>map(ClosedTicket.TurnedAway::new)
              .orElseGet(ClosedTicket.FollowUp::new);
        }
      };
    }
  }

  /** What became of a help desk's reply for a CLOSED ticket ({@link Tickets#whileClosed}). */
  sealed interface ClosedTicket {
    /** Group mode: the ticket stays CLOSED; the reply is recorded in its trail (REPLY_WHILE_CLOSED). */
    record StaysClosed() implements ClosedTicket {}

    /** Relay mode: it started a follow-up run in the ticket's topic and went to the customer. */
    record FollowUp() implements ClosedTicket {}

    /** Relay mode: not sent, the customer has another open ticket; the topic was told where to write. */
    record TurnedAway(Relay.TurnedAway why) implements ClosedTicket {}
  }

  private final HelpDesk helpDesk;
  private final HelpDeskLinks links;
  private final Tickets tickets;
  private final Outbox outbox;
  private final MeterRegistry metrics;
  /** Registered at 0 from the start: an alert on their increase sees 0, not no data. */
  private final Results pushes;
  private final Results comments;
  private final Counter repliesPosted;
  /** {@code forumdesk_helpdesk_pulls_total} by command, each registered at its first use. */
  private final Map<String, Counter> pulls = new ConcurrentHashMap<>();
  private final Counter failures;
  private final Duration pullEvery;
  /** How long a topic without its first message waits before its twin is made with the title as content. */
  private final Duration firstMessageWait;
  /**
   * Messages whose comment may have reached the help desk although no answer said so (a failed
   * attempt; and whatever this process sends first, as the one before it may have died with a
   * comment on its way): the next attempt looks for it there first.
   */
  private final Set<String> commentsMaybeSent = ConcurrentHashMap.newKeySet();
  private volatile boolean firstComment = true;
  /** Whether a pull went through: the help desk is where help-desk.url says, and its 404s are the tickets'. */
  private volatile boolean pulled;
  /** The last call to the help desk that went through, and the last that failed (and why). */
  private volatile Instant lastSuccess;
  private volatile Instant lastFailure;
  private volatile String lastError;
  private final LoopThread thread;

  /**
   * @param firstMessageWait {@code routing.first-message-wait}: a topic opened without text gets its
   *     twin once its first message came, or after this long with the title as content
   */
  public HelpDeskSync(HelpDesk helpDesk, HelpDeskLinks links, TicketGateway tickets, Relay relay, Outbox outbox,
      MeterRegistry metrics, Duration pullEvery, Duration firstMessageWait) {
    this(helpDesk, links, Tickets.of(tickets, relay), outbox, metrics, pullEvery, firstMessageWait);
  }

  HelpDeskSync(HelpDesk helpDesk, HelpDeskLinks links, Tickets tickets, Outbox outbox, MeterRegistry metrics,
      Duration pullEvery, Duration firstMessageWait) {
    this.helpDesk = helpDesk;
    this.links = links;
    this.tickets = tickets;
    this.outbox = outbox;
    this.metrics = metrics;
    this.pushes = Results.of(metrics, "forumdesk_helpdesk_pushes_total",
        "tickets created or updated in the help desk, by result");
    this.comments = Results.of(metrics, "forumdesk_helpdesk_comments_total",
        "messages added to the help desk's tickets as comments, by result");
    this.repliesPosted = Counter.builder("forumdesk_helpdesk_replies_total")
        .description("replies written in the help desk and posted to the customer").register(metrics);
    this.failures = Counter.builder("forumdesk_helpdesk_sync_failures_total")
        .description("help-desk calls that failed (a create, status, title, comment or pull)").register(metrics);
    Gauge.builder("forumdesk_helpdesk_unsynced", links, HelpDeskLinks::unsyncedOrNaN)
        .description("tickets the help desk does not hold as they are here").register(metrics);
    Gauge.builder("forumdesk_helpdesk_last_success_seconds", this, s -> s.secondsSinceSuccess().orElse(Double.NaN))
        .description("seconds since a help-desk call last went through").register(metrics);
    this.pullEvery = pullEvery;
    this.firstMessageWait = firstMessageWait == null ? Duration.ZERO : firstMessageWait;
    this.thread = new LoopThread("help-desk-sync", this::loop);
  }

  /** A counter's {@code result="ok"} and {@code result="failed"} series. */
  private record Results(Counter ok, Counter failed) {
    static Results of(MeterRegistry metrics, String name, String description) {
      return new Results(Counter.builder(name).tag("result", "ok").description(description).register(metrics),
          Counter.builder(name).tag("result", "failed").description(description).register(metrics));
    }
  }

  private void answered() {
    lastSuccess = Instant.now();
  }

  private void failed(HelpDeskException e) {
    failures.increment();
    lastError = e.getMessage();
    lastFailure = Instant.now();
  }

  private Optional<Double> secondsSinceSuccess() {
    Instant at = lastSuccess;
    return at == null ? Optional.empty() : Optional.of(Duration.between(at, Instant.now()).toMillis() / 1000.0);
  }

  /**
   * The {@code helpDesk} entry of /observe/health: DEGRADED while the last call to the help desk
   * failed, never DOWN (nothing waits for the help desk: it catches up when it answers again).
   */
  public ObserveService.Check check() {
    return new ObserveService.Check() {
      @Override
      public String name() {
        return "helpDesk";
      }

      @Override
      public Result check() {
        Instant failedAt = lastFailure;
        Instant okAt = lastSuccess;
        boolean failing = failedAt != null && (okAt == null || failedAt.isAfter(okAt));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", helpDesk.kind());
        details.put("unsynced", links.unsynced());
        details.put("lastSuccessSecondsAgo", secondsSinceSuccess().<Object>map(Math::round).orElse("none yet"));
        if (failing) {
          details.put("lastError", lastError);
        }
        return failing ? Result.degraded(details) : new Result(true, details);
      }
    };
  }

  public HelpDeskSync start() {
    thread.start();
    return this;
  }

  /**
   * A message Temporal accepted for a ticket: kept until it is a comment on the ticket's twin;
   * not a reply that came from the help desk, which has it already.
   */
  void record(Classified.ForTicket t) {
    recorder(links).accept(t);
  }

  /**
   * What the process that delivers the updates to Temporal (the webhook role, or the one JVM) is
   * told of each accepted event: its messages are kept in the database for the sync, which may run
   * in another process (the worker role). Registered by that process, not by {@link #start()}: a
   * worker apart from the webhook delivers nothing, and the conversation never reached the help desk.
   */
  public static Consumer<Classified.ForTicket> recorder(HelpDeskLinks links) {
    return t -> {
      if (t.event() instanceof TicketEvent.MessagePosted m && !m.eventId().startsWith(REPLY_EVENT)) {
        links.message(t.ticketId(), m.eventId(), m.from().name(), m.role().name(), m.text(), m.at());
      }
    };
  }

  /**
   * Pass after pass; a pass that fails (the help desk down) makes the next wait with backoff, up to
   * {@link #PASS_RETRY}'s cap, and is logged at its first failure, then at most once a minute, then
   * once when a pass succeeds again: an outage of hours is a few lines and a request every 30 s,
   * not one of each per second.
   */
  private void loop() {
    Instant nextPull = Instant.now();
    Instant nextPass = Instant.now();
    int failedPasses = 0;
    while (thread.running()) {
      if (!Instant.now().isBefore(nextPass)) {
        try {
          pushPass();
          if (!Instant.now().isBefore(nextPull)) {
            pull();
            nextPull = Instant.now().plus(pullEvery);
          }
          if (failedPasses > 0) {
            log.info("help-desk sync works again after {} failed passes", failedPasses);
          }
          failedPasses = 0;
        } catch (RuntimeException e) {
          int failed = ++failedPasses;
          Duration wait = PASS_RETRY.after(failed);
          if (failed == 1) {
            log.warn("help-desk sync pass failed, retrying with backoff (up to {} s apart): {}",
                PASS_RETRY_CAP.toSeconds(), e.toString());
            stillFailing.mark(); // the first line counts as this minute's
          } else {
            stillFailing.run(() -> log.warn("help-desk sync still failing ({} passes), next try in {} s: {}",
                failed, wait.toSeconds(), e.toString()));
          }
          nextPass = Instant.now().plus(wait);
        }
      }
      LockSupport.parkNanos(PUSH_EVERY.toNanos());
    }
  }

  /**
   * The conversation, then the tickets, then the conversation of the twins made just now and the
   * statuses that waited for it: a comment written before a /resolve reaches the help desk before
   * the status, also when the twin was made only now (after an outage) or the comment could not go.
   */
  void pushPass() {
    Set<String> failing = new java.util.HashSet<>(); // tried once this pass: not again in it
    if (pushMessages(failing) == Comments.DOWN) {
      push(); // the statuses of tickets with nothing waiting, and the twins not made yet
      return;
    }
    boolean held = push();
    // the twins made just now (new, or again for one gone there) get their conversation in this
    // pass, also when another ticket's comments failed
    if (pushMessages(failing) != Comments.DOWN && held) {
      push();
    }
  }

  /**
   * One push pass: every due ticket once. A ticket with messages not yet added to its twin keeps
   * its status back (the messages written before it go first): it stays due.
   *
   * @return whether a ticket's status was kept back for its messages
   */
  boolean push() {
    boolean held = false;
    for (HelpDeskLinks.Due due : links.due(BATCH, Instant.now())) {
      if (!thread.running()) {
        return held;
      }
      TicketState t = due.ticket();
      Optional<String> external = due.externalId();
      Optional<String> titleThere = due.syncedTitle(); // empty: a twin older than the column, or none yet
      Optional<String> statusSent = Optional.empty();
      try {
        if (external.isEmpty()) {
          Optional<Instant> tried = due.createTriedAt(); // a twin made by an attempt whose answer was lost is adopted
          Optional<HelpDeskLinks.Recorded> content = firstMessage(t);
          String message = content.map(HelpDeskLinks.Recorded::body).orElse(null);
          Optional<String> contentEvent = content.map(HelpDeskLinks.Recorded::eventId);
          if (message == null && tried.isEmpty() && t.createdAt() != null
              && Instant.now().isBefore(t.createdAt().plus(firstMessageWait))) {
            continue; // a topic's first message comes a moment after it: the twin's content is that, not the title
          }
          if (tried.isEmpty()) {
            links.creating(t.id(), due.version(), Instant.now(), message != null, contentEvent);
          }
          HelpDesk.Created created = helpDesk.createOnce(
              new HelpDesk.NewTicket(t.id(), t.title(), message == null ? t.title() : message, t.customer()), tried);
          external = Optional.of(created.externalId());
          if (tried.isPresent() && !created.adopted()) {
            links.created(t.id(), message != null, contentEvent); // made by this attempt, with its content
          }
          // an adopted twin has the title of the attempt that made it: the topic may have been renamed since
          titleThere = created.adopted() ? Optional.empty() : Optional.of(t.title());
          log.info("help desk: {} mirrored as {} #{}", t.id(), helpDesk.kind(), external.get());
        }
        boolean twinChanged = due.externalId().isEmpty();
        if (!titleThere.equals(Optional.ofNullable(t.title())) && t.title() != null) {
          helpDesk.title(external.get(), t.title()); // the topic was renamed
          titleThere = Optional.of(t.title());
          twinChanged = true;
        }
        if (links.hasUnpushedMessages(t.id())) {
          // the messages written before this status go first (pushMessages); until then it waits, due
          if (twinChanged) {
            links.mirrored(t.id(), external.get(), titleThere.orElse(null));
          }
          held = true;
          continue;
        }
        String status = t.status().name();
        boolean sameThere = due.syncedStatus().map(Status::valueOf).map(s -> helpDesk.sameThere(s, t.status()))
            .orElse(t.status() == Status.NEW); // created there as new
        if (!sameThere || due.attempts() > 0) { // after a failure: sent again, whatever the last attempt reached
          statusSent = Optional.of(status);
          helpDesk.status(external.get(), t.status());
        }
        links.synced(t.id(), external.get(), due.version(), status, t.title());
        pushes.ok().increment();
        answered();
      } catch (HelpDeskException e) {
        pushes.failed().increment();
        if (external.isPresent() && gone(t.id(), e)) {
          failed(e);
          continue; // made again by the next pass
        }
        int attempts = due.attempts() + 1;
        // a status whose answer was lost may be set there later: its echo then is not a change made there
        Optional<String> there = statusSent.filter(s -> e.answerLost()).or(due::syncedStatus);
        links.failed(t.id(), external, due.version(), there, e.getMessage(), attempts,
            Instant.now().plus(RETRY.after(attempts)));
        failed(e);
        if (attempts == 1 || attempts % 10 == 0) {
          log.warn("help desk: {} not mirrored (attempt {}), retrying later: {}", t.id(), attempts, e.getMessage());
        }
      }
    }
    return held;
  }

  /**
   * The conversation, as comments on the twins, oldest first, each once (a comment whose answer was
   * lost is looked for before it is sent again); the message the twin was made with is its content
   * already (a follow-up run's first message is not: the twin it reuses holds the first run's), and
   * a twin made before the first message came has the title.
   *
   * <p>Each ticket's messages go in order, and one ticket's failure holds back only its own: a
   * failure that may pass (no answer, a 5xx, a 401) stops that ticket's messages for this pass, and
   * the ticket is FAILED with why until they go (after {@link #DOWN_AFTER} such tickets the help
   * desk is down for all: the pass ends, and every ticket with messages waiting is FAILED, the three
   * backed off as below all the same); a comment refused for good (HTTP 400, 413, 422) is
   * left out, logged and shown on the ticket, and the ticket's next message goes; a twin the help
   * desk no longer has (404, deleted there) is made again by {@link #push()}, with the ticket's
   * messages.
   *
   * <p>A ticket whose comments failed in two passes in a row (a help desk that times out for that
   * ticket only) is backed off ({@link #RETRY}, up to 5 minutes between tries), FAILED with why
   * meanwhile: the other tickets' messages are not held up by its timeout every pass. A twin that
   * is gone does not count towards {@link #DOWN_AFTER}: the help desk answered.
   *
   * @return whether every message waiting went (false: a ticket's messages wait for the next pass)
   */
  boolean pushMessages() {
    return pushMessages(new java.util.HashSet<>()) == Comments.ALL_SENT;
  }

  /** How a round of comments went. */
  enum Comments {
    ALL_SENT,
    /** A ticket's messages wait: its comment failed, or its twin is gone (made again by the push). */
    SOME_WAIT,
    /** {@link #DOWN_AFTER} tickets' comments failed: the help desk is down for all. */
    DOWN
  }

  /**
   * @param failing the tickets whose comments failed earlier in this pass, left out (one timeout a
   *     pass is enough), and those that fail now are added
   */
  private Comments pushMessages(Set<String> failing) {
    Set<String> stopped = new java.util.HashSet<>(); // tickets whose later messages wait for the next pass
    Set<String> leftOut = new java.util.HashSet<>(); // tickets with a message left out in this pass
    Map<String, String> failed = new LinkedHashMap<>(); // tickets whose comment failed now, and why
    for (HelpDeskLinks.Message m : links.unpushedMessages(BATCH, Instant.now())) {
      if (!thread.running()) {
        return Comments.SOME_WAIT;
      }
      String ticketId = m.ticket().id();
      if (stopped.contains(ticketId) || failing.contains(ticketId)) {
        continue; // in order: behind the one that could not go
      }
      if (!m.isContent()) {
        Optional<Instant> maybeSent = firstComment || commentsMaybeSent.contains(m.eventId())
            ? Optional.of(m.at()) : Optional.empty();
        try {
          firstComment = false;
          commentsMaybeSent.add(m.eventId()); // until its answer came
          helpDesk.comment(m.externalId(), m.author() + " (" + m.role().toLowerCase(java.util.Locale.ROOT) + "): "
              + m.body(), m.eventId(), maybeSent);
        } catch (HelpDeskException e) {
          comments.failed().increment();
          failed(e);
          if (e.refusedForGood()) {
            commentsMaybeSent.remove(m.eventId());
            String why = "message " + m.eventId() + " left out of " + helpDesk.kind() + " #" + m.externalId()
                + ", refused for good: " + e.getMessage();
            links.messageSkipped(m.eventId(), why); // FAILED, with why, until a later message goes
            leftOut.add(ticketId);
            log.warn("help desk: {} {}", ticketId, why);
            continue;
          }
          stopped.add(ticketId);
          if (gone(ticketId, e)) {
            commentsMaybeSent.remove(m.eventId()); // not on the twin made next
            continue;
          }
          log.debug("help desk: comment {} of {} not added yet: {}", m.eventId(), ticketId, e.getMessage());
          failing.add(ticketId);
          failed.put(ticketId, e.getMessage());
          if (failed.size() >= DOWN_AFTER) { // the help desk fails for all: the pass ends, as a ticket's does
            // the failing tickets are backed off all the same: tickets whose comments time out for
            // them alone would otherwise make every pass "down" and, their messages the oldest,
            // hold back every other ticket's for good; truly down for all, each is still tried
            // again within the backoff's bound (5 min) once the help desk is back
            backOff(failed);
            links.messagesFailed(e.getMessage()); // every ticket whose messages wait: FAILED, with why
            return Comments.DOWN;
          }
          continue;
        }
        comments.ok().increment();
        answered();
      }
      links.messagePushed(m.eventId(), !leftOut.contains(ticketId));
      commentsMaybeSent.remove(m.eventId());
    }
    backOff(failed);
    return stopped.isEmpty() ? Comments.ALL_SENT : Comments.SOME_WAIT;
  }

  /**
   * The tickets whose comments failed in this pass, FAILED with why until they go; tried again at
   * the next pass, and after a second failure in a row backed off ({@link #RETRY}).
   */
  private void backOff(Map<String, String> failed) {
    failed.forEach((ticketId, why) -> links.messagesFailed(ticketId, why,
        attempts -> attempts <= 1 ? Instant.now() : Instant.now().plus(RETRY.after(attempts - 1))));
  }

  /**
   * Whether {@code e} says the ticket's twin is gone from the help desk (404, deleted there): then
   * the next push makes a new one, with the ticket's messages, and a line says why. Only once a pull
   * went through: before that a 404 may be a wrong {@code help-desk.url}, which would otherwise make
   * every ticket again.
   */
  private boolean gone(String ticketId, HelpDeskException e) {
    if (!e.ticketGone() || !pulled) {
      return false;
    }
    String why = e.getMessage() + ": its twin is made again, with its messages";
    links.twinGone(ticketId, why);
    log.warn("help desk: {}: {}", ticketId, why);
    return true;
  }

  /**
   * The customer's first message as the read model has it, else as it was recorded when it was
   * delivered (the snapshot may not show it yet); empty before it came. Its event id is the
   * recorded message's (one not added to a twin yet with that text), or null when none was recorded.
   */
  private Optional<HelpDeskLinks.Recorded> firstMessage(TicketState t) {
    if (t.firstMessage() != null) {
      return Optional.of(links.unpushedCustomerMessage(t.id(), t.firstMessage())
          .orElse(new HelpDeskLinks.Recorded(null, t.firstMessage())));
    }
    return links.firstCustomerMessage(t.id());
  }

  /**
   * One pull pass: the help desk's status changes and agents' replies since the cursor, applied
   * oldest first (a reply before a change of the same instant). A failure stops the pass before
   * the cursor moves: the next pass asks again from the same point, and what was applied already
   * is recognised (a status seen, a reply's keys).
   */
  void pull() {
    Instant since = links.cursor().orElseGet(Instant::now).minus(OVERLAP);
    Instant newest = since.plus(OVERLAP);
    HelpDesk.Activity activity;
    try {
      activity = helpDesk.activitySince(since);
    } catch (HelpDeskException e) {
      failed(e);
      throw e;
    }
    answered();
    pulled = true;
    List<HelpDesk.Change> changes = activity.changes();
    List<HelpDesk.Reply> replies = activity.replies();
    record Step(Instant at, int order, Runnable apply) {}
    List<Step> steps = new ArrayList<>();
    for (HelpDesk.Reply r : replies) {
      steps.add(new Step(r.at(), 0, () -> links.byExternalId(r.externalId()).ifPresent(twin -> reply(twin, r))));
    }
    for (HelpDesk.Change c : changes) {
      steps.add(new Step(c.updatedAt(), 1, () -> links.byExternalId(c.externalId()).ifPresent(twin -> apply(twin, c))));
    }
    steps.sort(Comparator.comparing(Step::at).thenComparingInt(Step::order));
    for (Step step : steps) {
      step.apply().run();
      newest = step.at().isAfter(newest) ? step.at() : newest;
    }
    links.cursor(newest);
  }

  private void apply(HelpDeskLinks.Twin twin, HelpDesk.Change c) {
    String theirs = c.status().name();
    if (twin.syncedStatus().map(Status::valueOf).map(s -> helpDesk.sameThere(s, c.status())).orElse(false)) {
      return; // what we pushed (ESCALATED is "open" there too), or saw already
    }
    if (links.closed(twin.ticketId())) {
      // CLOSED here is final (its run has ended: no command reaches it, and only a message in its
      // topic starts a follow-up). RT opens a resolved ticket when someone replies in it, which
      // leaves a ticket CLOSED here (REPLY_WHILE_CLOSED): the twin is set back by the next push, and
      // its status there is recorded, so that this change is not taken again and the echo of the
      // status set back is ours
      links.setBack(twin.ticketId(), theirs);
      log.info("help desk: {} #{} is {} there, but {} is CLOSED: set back", helpDesk.kind(), c.externalId(), theirs,
          twin.ticketId());
      return;
    }
    Optional<Status> ours = twin.syncedStatus().map(Status::valueOf);
    String command = switch (c.status()) {
      case RESOLVED -> "resolve";
      case ON_HOLD -> "hold";
      // "open" again: after a resolve a reopen, after a hold a resume; new → open needs nothing here
      case IN_PROGRESS -> ours.map(s -> s.finished() ? "reopen" : s == Status.ON_HOLD || s == Status.STALE ? "resume" : null)
          .orElse(null);
      default -> null;
    };
    if (command == null) {
      links.statusSeen(twin.ticketId(), theirs);
      return;
    }
    Person desk = new Person(0, helpDesk.kind() + " #" + c.externalId(), null);
    String args = command.equals("hold") ? "on hold in " + helpDesk.kind() + " #" + c.externalId() : "";
    // one event per change there: Zammad's times have milliseconds, two changes can share a second
    CommandRequest request = new CommandRequest("hd:" + c.externalId() + ":" + c.updatedAt().toEpochMilli(),
        c.updatedAt(), desk, Role.SYSTEM, command, args, helpDesk.kind());
    // throws while Temporal is unreachable: the change stays unseen, and the next pass applies it
    TicketGateway.CommandOutcome outcome = tickets.command(twin.ticketId(), request);
    links.statusSeen(twin.ticketId(), theirs);
    log.info("help desk: {} #{} is {} there: /{} on {} → {}", helpDesk.kind(), c.externalId(), theirs, command,
        twin.ticketId(), outcome.getClass().getSimpleName());
    pulls.computeIfAbsent(command, name -> Counter.builder("forumdesk_helpdesk_pulls_total").tag("command", name)
            .description("changes pulled from the help desk and applied here, by command").register(metrics))
        .increment();
  }

  /**
   * An agent's reply written in the help desk: into the ticket's topic once (the outbox key), and
   * to the ticket as that agent's message (the workflow drops an event it has seen).
   */
  private void reply(HelpDeskLinks.Twin twin, HelpDesk.Reply r) {
    String eventId = REPLY_EVENT + helpDesk.kind() + ":" + r.replyId();
    if (links.seen(twin.ticketId(), eventId)) {
      return; // the ticket has it (a pull looking back over it again): nothing to post or deliver
    }
    String via = " (via " + displayName(helpDesk.kind()) + ")";
    String prefix = "💬 " + r.author() + via + ": ";
    String text = Cut.to(r.text(), TELEGRAM_TEXT_MAX - prefix.length());
    String head = "💬 " + Html.escape(r.author()) + Html.escape(via) + ": ";
    // the reply's links stay links (its HTML), cut as Telegram counts it
    String body = r.html() == null ? Html.escape(r.text()) : r.html();
    String html = head + TelegramHtml.fit(body, TELEGRAM_TEXT_MAX - TelegramHtml.length(head));
    boolean posted = outbox.enqueue(MessageKind.OTHER, new OutboundMessage("hd-reply:" + helpDesk.kind() + ":" + r.replyId(), twin.chatId(),
        twin.threadId(), html, OutboundMessage.NORMAL), twin.ticketId(), null);
    Person agent = new Person(0, r.author() + via, null);
    TicketEvent.MessagePosted message = new TicketEvent.MessagePosted(eventId, r.at(), agent, Role.AGENT, 0, text);
    Classified.ForTicket event = new Classified.ForTicket(twin.ticketId(), twin.chatId(), twin.threadId(), message,
        "help-desk-reply", false, null, body);
    if (!links.closed(twin.ticketId())) {
      // its run takes it, unless an earlier pass turned it away (then never the agent's message)
      if (!turnedAwayBefore(twin, r, eventId, agent) && !tickets.deliver(event)) {
        noRunRunning(twin, r, eventId, agent, "posted to the customer, not taken by the ticket (no first response)",
            () -> closedOrItsFollowUp(twin, r, eventId, agent, STAYS_CLOSED, event));
      }
    } else {
      // a CLOSED ticket's run has ended: the reply goes as an agent's message in its topic would
      // (relay mode), else it is in the ticket's trail once, and a follow-up carries it
      switch (tickets.whileClosed(new Classified.ForTicket(twin.ticketId(), twin.chatId(), twin.threadId(), message,
          "help-desk-reply", true, null, body))) {
        case ClosedTicket.StaysClosed s -> closedOrItsFollowUp(twin, r, eventId, agent, STAYS_CLOSED, event);
        case ClosedTicket.FollowUp f -> log.info("help desk: reply {} on {} #{} by {} started a follow-up of {},"
            + " which was CLOSED", r.replyId(), helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
        case ClosedTicket.TurnedAway away -> turnedAway(twin, r, eventId, agent, away.why());
      }
    }
    if (posted) {
      log.info("help desk: reply {} on {} #{} by {} posted to {}", r.replyId(), helpDesk.kind(), r.externalId(),
          r.author(), twin.ticketId());
      repliesPosted.increment();
    }
  }

  /**
   * The reply stays with the CLOSED ticket (group mode, or the customer has it already; relay mode,
   * turned away): in its trail once (REPLY_WHILE_CLOSED, {@code what} became of it); should a
   * follow-up have opened meanwhile, or be starting (its run read the closed snapshot, which its first
   * snapshot replaces), its run takes {@code forTheRun} instead; should that run have ended before its
   * first snapshot, the trail has it after all ({@link #noRunTookIt}).
   */
  private void closedOrItsFollowUp(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent,
      String what, Classified.ForTicket forTheRun) {
    if (recordWhileClosed(twin, r, eventId, agent, what) == TicketStore.WhileClosed.NOT_CLOSED
        && !tickets.deliver(forTheRun)) {
      noRunTookIt(twin, r, eventId, agent, what);
    }
  }

  /**
   * The reply reached no run of a ticket the read model did not show CLOSED: the customer has it
   * (the topic; in relay mode their copy went with the delivery), or it was turned away before
   * ({@code what} says which). Asked again under the row's lock: the run closed since the look (its
   * last snapshot is CLOSED now), and the reply goes as one for that CLOSED ticket ({@code
   * whileClosed}: for one the customer has, {@link #closedOrItsFollowUp}, REPLY_WHILE_CLOSED; no follow-up, no
   * "not sent"); else the run ended without closing (terminated by an operator, failed) and the reply
   * is recorded on the stored snapshot once (REPLY_WHILE_NO_RUN), its event id among the seen ones,
   * with a WARN: a later pull, a restart, a run started from that snapshot (a restore) neither deliver
   * nor record it again.
   */
  private void noRunRunning(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent, String what,
      Runnable whileClosed) {
    switch (links.replyWithoutRun(twin.ticketId(), eventId, replyEntry("REPLY_WHILE_NO_RUN", r, agent,
        "while no run of the ticket was running (it ended without closing: terminated or failed): " + what))) {
      case RECORDED -> log.warn("help desk: reply {} on {} #{} by {} reached no run of {} (none is running, and the"
          + " read model does not show it CLOSED): recorded on its stored snapshot (REPLY_WHILE_NO_RUN)", r.replyId(),
          helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
      case CLOSED -> {
        log.info("help desk: reply {} on {} #{} by {}: the run of {} closed before it came", r.replyId(),
            helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
        whileClosed.run();
      }
      case MISSING -> log.warn("help desk: reply {} on {} #{} by {} reached no run of {}, which is not in the read"
          + " model: not in the ticket", r.replyId(), helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
      case SEEN -> {}
    }
  }

  /**
   * Records the reply in the CLOSED ticket's trail once (REPLY_WHILE_CLOSED, by the help desk's user),
   * with its event id among the ticket's seen ones: a later pull, a restart, a follow-up run (which
   * starts from that snapshot) neither deliver nor record it again.
   *
   * @return {@link TicketStore.WhileClosed#NOT_CLOSED} when the ticket is no longer CLOSED (a
   *     follow-up opened meanwhile, or has read the closed snapshot it starts from): nothing recorded
   */
  private TicketStore.WhileClosed recordWhileClosed(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId,
      Person agent, String what) {
    TicketStore.WhileClosed closed = links.replyWhileClosed(twin.ticketId(), eventId, whileClosed(r, agent, what));
    switch (closed) {
      case RECORDED -> log.info("help desk: reply {} on {} #{} by {} recorded on {}, which is CLOSED", r.replyId(),
          helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
      case SEEN, NOT_CLOSED -> {}
    }
    return closed;
  }

  /** What became of a reply recorded on a CLOSED ticket in group mode. */
  private static final String STAYS_CLOSED =
      "posted to the customer, but the ticket stays closed (no follow-up opened, no first response)";

  /** The REPLY_WHILE_CLOSED entry of reply {@code r}, dated in the ticket's business hours' zone. */
  private java.util.function.Function<TicketState, AuditEntry> whileClosed(HelpDesk.Reply r, Person agent, String what) {
    return replyEntry("REPLY_WHILE_CLOSED", r, agent, "while the ticket was closed: " + what);
  }

  /**
   * The {@code event} entry of reply {@code r}, by the help desk's user: "… replied on {date} {when}",
   * dated in the ticket's business hours' zone.
   */
  private java.util.function.Function<TicketState, AuditEntry> replyEntry(String event, HelpDesk.Reply r, Person agent,
      String when) {
    return s -> new AuditEntry(r.at(), event, agent.name() + " replied on " + HumanTime.dated(r.at(),
        BusinessCalendar.of(s.policy() == null ? null : s.policy().businessHours()).zone()) + " " + when,
        helpDesk.kind() + ":" + r.author(), agent);
  }

  /**
   * Group mode: the reply was for a follow-up run that had read the CLOSED snapshot, but no run of
   * the ticket was running to take it: that run ended before its first snapshot (terminated by an
   * operator, failed), so nothing replaces the closed snapshot. The reply is recorded there after
   * all, as while CLOSED, and the stale read cleared ({@link TicketStore#recordWhileClosedNoRunTookIt});
   * once, with a WARN. Nothing is recorded when a follow-up's snapshot replaced the closed one.
   */
  private void noRunTookIt(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent, String what) {
    TicketStore.WhileClosed closed = links.replyWhileClosedNoRunTookIt(twin.ticketId(), eventId,
        whileClosed(r, agent, what));
    switch (closed) {
      case RECORDED -> log.warn("help desk: reply {} on {} #{} by {} reached no run of {}: the follow-up run that read"
          + " its CLOSED snapshot ended before its first snapshot; recorded on the CLOSED ticket instead", r.replyId(),
          helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
      case NOT_CLOSED -> log.warn("help desk: reply {} on {} #{} by {} reached no run of {}, which is no longer CLOSED:"
          + " not in the ticket", r.replyId(), helpDesk.kind(), r.externalId(), r.author(), twin.ticketId());
      case SEEN -> {}
    }
  }

  /**
   * Relay mode: the reply was not sent to the customer, who has another open ticket (the topic was
   * told, as for an agent's message there). The help desk's agent is told too, as a comment on the
   * ticket they wrote in: not sent, and where to write (the open ticket's twin, and its topic); and
   * the CLOSED ticket's trail has it once.
   */
  private void turnedAway(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent,
      Relay.TurnedAway why) {
    String topic = new ForumTopic(why.open().chatId(), why.open().threadId()).url();
    String there = links.find(why.open().ticketId()).map(HelpDeskLinks.Link::externalId)
        .map(external -> helpDesk.url(external) + " (its Telegram topic: " + topic + ")")
        .orElse("in Telegram, " + topic);
    links.message(twin.ticketId(), NOT_SENT_EVENT + helpDesk.kind() + ":" + r.replyId(), "Forumdesk", Role.SYSTEM.name(),
        "🚫 Your reply was not sent to " + why.customer() + ": this ticket is closed, and " + why.customer()
            + " has an open ticket, " + there + ". Write there: their answers go to that ticket.", r.at());
    String notSent = "not sent to " + why.customer() + ", who has an open ticket (topic " + why.open().threadId() + ")";
    String closedWhat = notSent + "; the ticket stays closed, and " + displayName(helpDesk.kind()) + " was told";
    // a follow-up run that opened or is starting meanwhile takes it as not sent: as the agent's message
    // it would count a reply the customer never got as its first response
    closedOrItsFollowUp(twin, r, eventId, agent, closedWhat,
        notSent(twin, r, eventId, agent, notSent + "; " + displayName(helpDesk.kind()) + " was told"));
  }

  /**
   * Relay mode: a reply turned away by an earlier pass (the help desk was told it was not sent) that a
   * pass sees again (the pull's overlap, a restart) while a follow-up of its ticket is open and does
   * not show it yet: never the agent's message now, which would reach the customer and count as that
   * run's response, but not sent again for that run, which drops it once it has it.
   */
  private boolean turnedAwayBefore(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent) {
    if (!links.hasMessage(NOT_SENT_EVENT + helpDesk.kind() + ":" + r.replyId())) {
      return false;
    }
    String why = "not sent to the customer, who had another open ticket; " + displayName(helpDesk.kind()) + " was told";
    if (!tickets.deliver(notSent(twin, r, eventId, agent, why))) {
      noRunRunning(twin, r, eventId, agent, why, () -> recordWhileClosed(twin, r, eventId, agent, why));
    }
    return true;
  }

  /** Reply {@code r}, not sent to the customer, for the ticket's run: audited there (REPLY_NOT_SENT), no response. */
  private Classified.ForTicket notSent(HelpDeskLinks.Twin twin, HelpDesk.Reply r, String eventId, Person agent,
      String why) {
    return new Classified.ForTicket(twin.ticketId(), twin.chatId(), twin.threadId(), new TicketEvent.ReplyNotSent(
        eventId, r.at(), agent, Role.AGENT, helpDesk.kind() + ":" + r.author(), why), "help-desk-reply-not-sent", false);
  }

  /** How the topic names the help desk. */
  static String displayName(String kind) {
    return switch (kind) {
      case "request-tracker" -> "Request Tracker";
      case "zammad" -> "Zammad";
      default -> kind;
    };
  }

  @Override
  public void close() {
    thread.close();
  }
}
