package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.text.Cut;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The lifecycle: what each message, topic change and command does to a ticket. */
final class Transitions {
  /** Version marker of the lifecycle rules of {@link Ticket#lifecycle} 1. */
  static final String LIFECYCLE = "lifecycle-audit-fixes";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 2, recorded beside {@link
   * #LIFECYCLE}; named after the first of its changes.
   */
  static final String LIFECYCLE_2 = "lifecycle-customer-resume-notice";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 3, recorded beside {@link
   * #LIFECYCLE_2}; named after the first of its changes.
   */
  static final String LIFECYCLE_3 = "lifecycle-staff-note-off-topic";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 4, recorded beside {@link
   * #LIFECYCLE_3}; named after the first of its changes.
   */
  static final String LIFECYCLE_4 = "lifecycle-relay-reopen-notice";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 5, recorded beside {@link
   * #LIFECYCLE_4}; named after the first of its changes.
   */
  static final String LIFECYCLE_5 = "lifecycle-resolution-breach-notice";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 6, recorded beside {@link
   * #LIFECYCLE_5}; named after the first of its changes.
   */
  static final String LIFECYCLE_6 = "lifecycle-level2-forum-of-now";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 7, recorded beside {@link
   * #LIFECYCLE_6}; named after the first of its changes.
   */
  static final String LIFECYCLE_7 = "lifecycle-level2-topic-in-background";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 8, recorded beside {@link
   * #LIFECYCLE_7}; named after the first of its changes.
   */
  static final String LIFECYCLE_8 = "lifecycle-level2-topic-interrupted-before";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 9, recorded beside {@link
   * #LIFECYCLE_8}; named after the first of its changes.
   */
  static final String LIFECYCLE_9 = "lifecycle-opening-effects-before-visible";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 10, recorded beside {@link
   * #LIFECYCLE_9}; named after the first of its changes.
   */
  static final String LIFECYCLE_10 = "lifecycle-level2-notice-after-its-topic";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 11, recorded beside {@link
   * #LIFECYCLE_10}; named after the first of its changes.
   */
  static final String LIFECYCLE_11 = "lifecycle-customer-line-at-once";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 12, recorded beside {@link
   * #LIFECYCLE_11}; named after the first of its changes.
   */
  static final String LIFECYCLE_12 = "lifecycle-resolved-in-time-withdraws-breach";
  /**
   * Version marker of the lifecycle rules of {@link Ticket#lifecycle} 13, recorded beside {@link
   * #LIFECYCLE_12}; named after the first of its changes.
   */
  static final String LIFECYCLE_13 = "lifecycle-late-deadlines-wait-for-backlog";
  /** What new runs follow; {@link Opening} previews with it too. */
  static final int LIFECYCLE_VERSION = 13;
  /** How the audit says that a message or command written by a deadline reached Forumdesk after it. */
  static final String IN_TIME = "in time: written by the deadline, it reached Forumdesk after it (breach withdrawn)";

  private static final Set<Status> ACTIVE = Set.of(Status.NEW, Status.IN_PROGRESS, Status.ESCALATED, Status.STALE);

  private Transitions() {}

  static void apply(Ticket t, TicketEvent event) {
    if (!t.opened && !(event instanceof TicketEvent.ReplyNotSent)) { // nobody's word in the topic: it opens nothing
      open(t, event);
    }
    switch (event) {
      case TicketEvent.TopicOpened o -> {}
      case TicketEvent.MessagePosted m -> {
        if (m.role().isStaff() && repliedBeforeThisRun(t, m)) {
          t.record(m.at(), "REPLY_WHILE_CLOSED", t.earlierReplyReason(m.from(), m.at()),
              m.role().actor(m.from()), m.from());
        } else if (m.role().isStaff()) {
          agentReply(t, m.eventId(), m.at(), m.from(), m.role());
        } else {
          customerMessage(t, m.eventId(), m.at(), m.from(), m.text());
        }
      }
      case TicketEvent.TopicClosed c -> {
        if (!t.status.finished()) {
          resolve(t, c.at(), "topic closed in Telegram", c.role().actor(c.from()));
        }
      }
      case TicketEvent.TopicReopened r -> {
        if (t.status == Status.RESOLVED) {
          reopen(t, r.at(), "topic reopened in Telegram", r.role().actor(r.from()));
        }
      }
      case TicketEvent.TopicRenamed r -> rename(t, r);
      case TicketEvent.Level2Reply r ->
          t.record(r.at(), "L2_REPLY", abbreviate(r.text(), 200), r.role().actor(r.from()));
      case TicketEvent.DeliveryRefused d -> {
        String what = d.to() == null ? d.what() : t.person(d.to()).map(p -> "DM to " + p.name()).orElse(d.what());
        String instead = d.instead() == null ? TicketEvent.DeliveryRefused.IN_THE_TOPIC : d.instead();
        t.record(d.at(), "NOTIFICATION_FALLBACK", what + " refused (" + d.reason() + "); " + instead, "system");
      }
      case TicketEvent.NotDelivered n -> notDelivered(t, n);
      case TicketEvent.ReplyNotSent n -> t.record(n.at(), "REPLY_NOT_SENT", t.notSentReason(n.from(), n.at(), n.why()),
          n.actor() == null ? n.role().actor(n.from()) : n.actor(), n.from());
    }
  }

  /**
   * The topic's new name is the ticket's title, less the assignee's tag the bot puts in front of it
   * ("[Alice] "): whoever renames a tagged topic usually keeps the tag. A name without it (a person
   * typed a new one) no longer shows who has the ticket: since lifecycle rules 2 the title lock tags
   * it again at once, not only at the next assignment. The bot's own edit comes back tagged, so it
   * changes nothing and locks nothing again.
   */
  private static void rename(Ticket t, TicketEvent.TopicRenamed r) {
    String title = r.title();
    String tag = t.assignee == null ? null : "[" + t.assignee.name() + "] ";
    while (tag != null && title.startsWith(tag)) {
      title = title.substring(tag.length()).strip();
    }
    if (title.isEmpty()) {
      return;
    }
    if (!title.equals(t.title)) {
      t.record(r.at(), "RENAMED", "topic renamed from '" + t.title + "' to '" + title + "'", r.role().actor(r.from()));
      t.title = title;
    }
    if (tag != null && !r.title().startsWith(tag) && t.lifecycle >= 2) {
      t.lockTitleAgain("renamed:" + r.eventId());
    }
  }

  /** forum_topic_created, or the first message we see of a topic we did not know. */
  private static void open(Ticket t, TicketEvent event) {
    String title = t.title != null ? t.title : switch (event) {
      case TicketEvent.TopicOpened o -> o.title();
      case TicketEvent.TopicRenamed r -> r.title();
      // the topic's own name when Telegram gave it: renaming the topic after the message would
      // overwrite what its creator named it (with text that may be long or personal)
      case TicketEvent.MessagePosted m -> m.topicName() != null ? m.topicName() : abbreviate(m.text(), 80);
      default -> "Topic " + t.threadId();
    };
    t.opened = true;
    // rules 13: a follow-up keeps its predecessor's customer whoever opens it; another member who
    // writes in the closed ticket's topic opens it (their message is in the topic), and its OPENED
    // entry names them as its actor and says the customer stays (FollowUp.reason). Before, they
    // became the customer: the ?customer= filter, recurring count and routing's sticky agent followed them
    boolean keepsCustomer = t.lifecycle >= 13 && t.followUpOf() != null && t.customer != null;
    if (!keepsCustomer && (t.lifecycle < 1 || !event.role().isStaff())) {
      // version 1: an agent who opens (or reopens) a topic is not its customer; a follow-up keeps
      // its predecessor's, a new topic gets the first non-staff writer (customerMessage)
      t.customer = event.from();
    }
    t.title = title;
    t.status = Status.NEW;
    t.createdAt = event.at();
    t.lastActivityAt = event.at();
    if (t.lifecycle >= 2 && event.role().isStaff()) {
      t.awaitingCustomer = true; // nothing asked yet: the clock starts with the customer's first word
    } else {
      t.startFirstResponseClocks();
      t.customerWaitingSince = event.at(); // the topic's name is their question
    }
    t.clocks.start(Clock.RESOLUTION, event.at(), t.policy.resolution());
    t.restartStaleClock(event.at());
    t.record(event.at(), "OPENED",
        t.followUpOf() == null ? "topic created: " + title : t.followUpReason(event),
        event.role().actor(event.from()));
    // rules 13: a run staff opened has no request yet (awaitingCustomer): "we got your request" waits
    // for the customer's first word (customerMessage); before, an agent's reopening of a CLOSED
    // ticket's topic had the customer thanked for a request they had not made
    if (!(t.lifecycle >= 13 && t.awaitingCustomer)) {
      acknowledge(t);
    }
  }

  /** The customer's acknowledgement of their request, in the topic (group mode), once per run (its key). */
  private static void acknowledge(Ticket t) {
    if (!t.policy.relay()) { // in relay mode the customer's private chat got its own acknowledgement
      t.post(MessageKind.OTHER, "ack", t.acknowledgement(t.title), OutboundMessage.LOW);
    }
  }

  /**
   * Lifecycle rules 13: an agent's message dated before this follow-up run opened (in an earlier
   * second: Telegram and the help desks date in whole seconds) answers nothing it asks. A help desk's
   * reply written while the ticket was CLOSED is pulled and posted to the topic at once, and reached the
   * next run when the pull delivered it again: it was that run's first response, given before its
   * request (audit 17, F2). Such a message is audited (REPLY_WHILE_CLOSED), nothing else.
   */
  private static boolean repliedBeforeThisRun(Ticket t, TicketEvent.MessagePosted m) {
    return t.lifecycle >= 13 && t.followUpOf() != null && t.createdAt != null && m.at() != null
        && m.at().getEpochSecond() < t.createdAt.getEpochSecond();
  }

  private static void customerMessage(Ticket t, String eventId, Instant at, Person from, String text) {
    if (t.customer == null && t.lifecycle >= 1) {
      t.customer = from; // a topic an agent opened: its customer is the first to write who is not staff
    }
    if (t.firstMessage == null) {
      t.firstMessage = text;
    }
    t.noteActivity(at);
    t.customerUnreachable = false; // they wrote to the bot: messages reach them again
    String actor = Role.CUSTOMER.actor(from);
    switch (t.status) {
      case ON_HOLD -> {
        resume(t, at, "customer wrote", actor);
        if (t.lifecycle >= 2) {
          // the agents read the topic (in relay mode theirs alone): their SLA clocks run again
          t.post(MessageKind.OTHER, "resumed:" + eventId, Notices.resumed("the customer wrote", t.status), OutboundMessage.NORMAL);
        }
      }
      case STALE -> backFromStale(t, at, "customer wrote", actor);
      case RESOLVED -> {
        reopen(t, at, "customer wrote after resolution", actor);
        if (t.lifecycle >= 4 && t.policy.relay()) {
          // in relay mode the agents see the customer's words, not the status they changed
          t.post(MessageKind.OTHER, "reopened:" + t.reopenCount, Notices.reopened("the customer wrote", t.reopenCount, t.status),
              OutboundMessage.NORMAL);
        }
      }
      default -> {}
    }
    if (t.awaitingCustomer) {
      t.awaitingCustomer = false;
      t.startFirstResponseClocks(at);
      if (t.lifecycle >= 13) {
        acknowledge(t); // their request has come: the acknowledgement the opening held back (open)
      }
    }
    if (t.customerWaitingSince == null) {
      t.customerWaitingSince = at;
    }
    t.restartStaleClock(t.lastActivityAt);
    if (t.firstResponseAt != null && !t.clocks.running(Clock.NEXT_RESPONSE)) {
      t.clocks.start(Clock.NEXT_RESPONSE, at, t.policy.nextResponse());
    }
    t.touch();
  }

  private static void agentReply(Ticket t, String eventId, Instant at, Person agent, Role role) {
    t.noteActivity(at);
    String actor = role.actor(agent);
    if (t.status == Status.STALE) {
      backFromStale(t, at, "agent wrote", actor);
    }
    if (t.firstResponseAt == null && !t.awaitingCustomer) { // an answer, once there is a question
      t.firstResponseAt = at;
      t.firstResponseEvent = eventId;
      t.clocks.stop(Clock.FIRST_RESPONSE);
      t.clocks.stop(Clock.FIRST_RESPONSE_WARNING);
      t.clocks.stop(Clock.ESCALATION_CHAIN);
      if (t.status == Status.NEW || (t.status == Status.ESCALATED && t.level == 1)) {
        t.status = Status.IN_PROGRESS;
      } else if (t.lifecycle >= 9 && t.status == Status.ON_HOLD && (t.previousStatus == Status.NEW
          || (t.previousStatus == Status.ESCALATED && t.level == 1))) {
        // answered while on hold: the resume brings it back answered, not NEW (audit 13, F2)
        t.previousStatus = Status.IN_PROGRESS;
      }
      boolean inTime = t.withdrawBreach("first-response", at);
      t.record(at, "FIRST_RESPONSE", inTime
          ? "first agent reply, " + IN_TIME
          : "first agent reply", actor, agent);
    }
    if (t.lifecycle >= 12 && t.withdrawBreach(Clock.NEXT_RESPONSE, at, t.policy.nextResponse())) {
      // written by the next-response deadline, it reached Forumdesk after it (webhook retry, inbox
      // backlog, Telegram redelivering after an outage): the customer had their answer in time
      t.record(at, "NEXT_RESPONSE", "agent reply, " + IN_TIME, actor, agent);
    }
    t.clocks.stop(Clock.NEXT_RESPONSE);
    if (!t.awaitingCustomer) {
      t.customerWaitingSince = null; // answered
    }
    if (t.status != Status.ON_HOLD && t.status != Status.RESOLVED) {
      t.restartStaleClock(t.lastActivityAt);
    }
    t.touch();
  }

  /**
   * Relay mode: the customer never got a message (they blocked the bot). The audit says so; the
   * agents read it in the topic, once until the customer writes again; and the reply that never
   * reached them is no first response: its clock runs again from where it started, so a deadline
   * passed meanwhile is a breach. A new event type: no history from before it holds one.
   */
  private static void notDelivered(Ticket t, TicketEvent.NotDelivered n) {
    String name = t.customer == null ? "the customer" : t.customer.name();
    boolean relay = t.policy.relay(); // in group mode the customer reads the topic: nothing to tell or take back
    boolean withdrawn = relay && n.reply() != null && n.reply().equals(t.firstResponseEvent)
        && ACTIVE.contains(t.status);
    t.record(n.at(), "NOT_DELIVERED", name + " did not get " + n.what() + ": " + n.reason()
        + (withdrawn ? "; it is no first response" : ""), "system");
    if (withdrawn) {
      t.firstResponseAt = null;
      t.firstResponseEvent = null;
      if (t.status == Status.IN_PROGRESS) {
        t.status = Status.NEW;
      }
      t.clocks.stop(Clock.NEXT_RESPONSE);
      t.startFirstResponseClocks(t.firstResponseFrom != null ? t.firstResponseFrom : t.createdAt);
      t.customerWaitingSince = t.firstResponseFrom != null ? t.firstResponseFrom : t.createdAt;
    }
    if (relay && !t.customerUnreachable) {
      t.customerUnreachable = true;
      t.post(MessageKind.OTHER, "not-delivered:" + n.eventId(), Notices.notDelivered(name, n.reason()), OutboundMessage.NORMAL);
    }
    t.touch();
  }

  private static void backFromStale(Ticket t, Instant at, String why, String actor) {
    t.status = t.previousStatus == null ? Status.IN_PROGRESS : t.previousStatus;
    t.previousStatus = null;
    t.record(at, "ACTIVE", why + " (was STALE)", actor);
  }

  static CommandReply command(Ticket t, CommandRequest c) {
    Instant at = c.at();
    String actor = c.role().actor(c.from());
    String args = c.args() == null ? "" : c.args().strip();
    String reply = switch (c.name().toLowerCase(Locale.ROOT)) {
      case "hold" -> {
        hold(t, at, args.isEmpty() ? "no reason given" : args, actor);
        yield StaffNotice.ON_HOLD.start() + (args.isEmpty() ? "" : ": " + Html.escape(Cut.to(args, Level2Summary.REASON_MAX)))
            + ". SLA clocks paused.";
      }
      case "resume" -> {
        resume(t, at, "resumed by " + c.from().name(), actor);
        yield Notices.resumed(null, t.status);
      }
      case "resolve" -> {
        resolve(t, at, "resolved by " + c.from().name(), actor);
        if (c.answerIn() == null && !t.policy.relay()) {
          yield "✅ Resolved. Write here if you need anything else; the ticket reopens."; // the customer reads the topic
        }
        // typed elsewhere (a Level 2 topic), or relay mode, where only agents read the topic and
        // the customer heard privately (resolve): the answer is for the agents
        t.tellTopicOfCommandElsewhere("resolved:" + t.reopenCount, Notices.resolvedForCustomer(t.requestTitle()));
        yield "✅ Resolved. The customer has been told; if they write again, the ticket reopens.";
      }
      case "reopen" -> {
        reopen(t, at, "reopened by " + c.from().name(), actor);
        yield "↩️ Reopened (" + t.status + ").";
      }
      case "escalate" -> {
        String reason = args.isEmpty() ? "escalated by " + c.from().name() : args;
        escalateToLevel2(t, at, reason, actor);
        // in the reply, not a message of its own: the supervisors are @mentioned on every escalation
        yield Notices.escalatedToLevel2(reason, t.policy.supervisors());
      }
      case "priority" -> {
        Priority p = Priority.of(args).orElseThrow();
        if (p == t.priority && t.lifecycle >= 1) {
          yield "Priority is already " + p + "."; // nothing changed, nothing audited
        }
        setPriority(t, at, p, "set by " + c.from().name(), actor);
        yield "Priority is now " + p + ".";
      }
      case "status" -> Notices.statusCard(t.snapshot(), t.zone());
      case "why" -> Notices.why(t.snapshot());
      default -> throw new IllegalArgumentException("unvalidated command " + c.name());
    };
    // /escalate's answer is the escalation's notice, sent after the Level 2 topic it opens (PrivateNotes)
    t.answer(c, reply, c.name().equalsIgnoreCase("escalate") ? MessageKind.ESCALATED : MessageKind.OTHER);
    return new CommandReply(reply, t.status);
  }

  static void hold(Ticket t, Instant at, String reason, String actor) {
    // rules 12: a hold dated by a running clock's deadline that reached Forumdesk after it (webhook
    // retry, inbox backlog, Telegram redelivering after an outage) paused that clock in time: its
    // breach is withdrawn, and the clock, which fired and is gone, waits paused with what it had left
    // at the hold's date (after /resume: due = resume + (due − hold)). The notice sent stays.
    Map<Clock, Duration> inTime = new EnumMap<>(Clock.class);
    if (t.lifecycle >= 12) {
      if (t.firstResponseAt == null) {
        t.withdrawBreachLeft(Clock.FIRST_RESPONSE, at, t.policy.firstResponseFor(t.priority))
            .ifPresent(left -> inTime.put(Clock.FIRST_RESPONSE, left));
      }
      t.withdrawBreachLeft(Clock.NEXT_RESPONSE, at, t.policy.nextResponse())
          .ifPresent(left -> inTime.put(Clock.NEXT_RESPONSE, left));
      t.withdrawBreachLeft(Clock.RESOLUTION, at, t.policy.resolution())
          .ifPresent(left -> inTime.put(Clock.RESOLUTION, left));
    }
    if (inTime.containsKey(Clock.FIRST_RESPONSE)) {
      // as a late first reply does: the chain the breach started stops, and a ticket its breach made
      // ESCALATED at Level 1 is no longer (still unanswered: NEW, what the resume brings back); one
      // at Level 2 stays there. The ESCALATED entry and the supervisors' @mention stay, they happened
      t.clocks.stop(Clock.ESCALATION_CHAIN);
      if (t.status == Status.ESCALATED && t.level == 1) {
        t.status = Status.NEW;
      }
    }
    t.previousStatus = t.status == Status.STALE ? t.previousStatus : t.status;
    t.status = Status.ON_HOLD;
    t.holdReason = reason;
    t.clocks.pause(at);
    inTime.forEach((clock, left) -> {
      if (!t.clocks.running(clock)) { // one started since (a later wait) keeps its own
        t.clocks.start(clock, at, left); // paused: kept as what is left
      }
    });
    t.record(at, "ON_HOLD", inTime.isEmpty() ? reason : reason + ", " + IN_TIME.replace("(breach withdrawn)",
        "(" + String.join(", ", inTime.keySet().stream().map(Clock::label).toList()) + " breach withdrawn)"), actor);
  }

  static void resume(Ticket t, Instant at, String why, String actor) {
    t.status = t.previousStatus == null || !ACTIVE.contains(t.previousStatus) ? Status.IN_PROGRESS : t.previousStatus;
    t.previousStatus = null;
    t.holdReason = null;
    t.clocks.resume(at);
    if (t.lifecycle >= 1) {
      t.restartStaleClock(at); // a stale clock that fired before the hold would never run again
    }
    t.record(at, "RESUMED", why, actor);
  }

  static void resolve(Ticket t, Instant at, String why, String actor) {
    if (t.status == Status.ON_HOLD) {
      t.clocks.resume(at);
    }
    t.status = Status.RESOLVED;
    t.resolvedAt = at;
    t.holdReason = null;
    t.customerWaitingSince = null;
    for (Clock c : Clock.values()) {
      t.clocks.stop(c);
    }
    t.clocks.start(Clock.AUTO_CLOSE, at, t.policy.autoCloseResolved());
    // rules 12: a resolve (or the topic's close) dated by the resolution deadline that reached
    // Forumdesk after it is in time, as a first reply is; its breach's notice has gone all the same
    boolean inTime = t.lifecycle >= 12 && t.withdrawBreach(Clock.RESOLUTION, at, t.policy.resolution());
    t.record(at, "RESOLVED", inTime ? why + ", " + IN_TIME : why, actor);
    t.tellCustomer("resolved:" + t.reopenCount, Notices.resolvedForCustomer(t.requestTitle()));
  }

  static void reopen(Ticket t, Instant at, String why, String actor) {
    t.reopenCount++;
    t.resolvedAt = null;
    t.status = t.firstResponseAt == null ? Status.NEW : Status.IN_PROGRESS;
    t.clocks.stop(Clock.AUTO_CLOSE);
    if (t.firstResponseAt == null && !t.awaitingCustomer) {
      // version 1: a fresh first-response time from the reopen, not from the creation (which
      // charged the agents with the hold and the time it stood resolved)
      t.startFirstResponseClocks(t.lifecycle >= 1 ? at : t.createdAt);
    }
    t.clocks.start(Clock.RESOLUTION, at, t.policy.resolution());
    t.restartStaleClock(at);
    t.record(at, "REOPENED", why + " (reopen #" + t.reopenCount + ")", actor);
  }

  static void close(Ticket t, Instant at, String why) {
    t.status = Status.CLOSED;
    t.clocks.stop(Clock.AUTO_CLOSE);
    t.record(at, "CLOSED", why, "system");
  }

  static void escalateToLevel2(Ticket t, Instant at, String reason, String actor) {
    t.level = 2;
    t.queue = RoutedQueue.LEVEL2;
    if (t.status != Status.ON_HOLD) {
      t.status = Status.ESCALATED;
    }
    t.record(at, "ESCALATED", "Level 2: " + reason, actor);
    t.openLevel2Topic(reason);
  }

  static void setPriority(Ticket t, Instant at, Priority p, String why, String actor) {
    Priority old = t.priority;
    t.priority = p;
    if (t.lifecycle >= 1) {
      if (t.firstResponseAt == null && t.clocks.running(Clock.FIRST_RESPONSE)) {
        t.changeFirstResponseLimit(at, t.policy.firstResponseFor(old), t.policy.firstResponseFor(p));
      }
    } else if (t.firstResponseAt == null && !t.clocks.paused() && t.clocks.running(Clock.FIRST_RESPONSE)) {
      t.startFirstResponseClocks(); // the first-response time depends on priority
    }
    t.record(at, "PRIORITY", old + " → " + p + ": " + why, actor);
  }

  static String abbreviate(String text, int max) {
    if (text == null || text.isBlank()) {
      return "(no text)";
    }
    String line = text.strip().lines().findFirst().orElse("");
    return Cut.to(line, max);
  }
}
