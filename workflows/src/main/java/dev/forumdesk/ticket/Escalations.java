package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.text.IsoDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * What happens when a deadline passes, and the escalations that come from who the customer is
 * (recurring) or how they sound (sentiment). Each cause fires once and leaves an audit entry.
 */
final class Escalations {
  private Escalations() {}

  static void deadline(Ticket t, Clock clock, Instant due, Instant now) {
    switch (clock) {
      case FIRST_RESPONSE_WARNING -> {
        if (t.lifecycle >= 1 && t.clocks.due(Clock.FIRST_RESPONSE).isEmpty()) {
          break; // due in the same pass as the breach itself (a priority raised late): the breach says it
        }
        if (t.level >= 2 && t.lifecycle >= 10) {
          // at Level 2 already, where the supervisors heard of it: no warning to anyone (the outbox
          // dropped the one queued, "the ticket is ESCALATED", while the audit said it was given:
          // audit 14, F4); the audit says so, as the breach's entry does
          t.record(now, "SLA_WARNING", "80% of the first-response time used (already at Level 2: nobody warned)",
              "system");
          break;
        }
        t.record(now, "SLA_WARNING", "80% of the first-response time used", "system");
        String text = Notices.firstResponseWarning(t.link(), t.clocks.due(Clock.FIRST_RESPONSE).orElse(due), t.zone());
        notifyAssignee(t, MessageKind.FIRST_RESPONSE_WARNING, "first-response-warning", text);
      }
      case FIRST_RESPONSE -> {
        t.breach(clock, due, now);
        if (t.level >= 2 && t.lifecycle >= 9) {
          // /escalate or the API put it at Level 2 already, and the supervisors heard of it then:
          // the breach counts, nobody is called again and no chain starts (audit 13, F6: mentioned
          // again 30 s after the escalation); the audit keeps it
          t.record(now, "SLA_BREACH", "first response over " + t.policy.firstResponseFor(t.priority)
              + " (already at Level 2: nobody called again)", "system");
          break;
        }
        if (t.status != Status.ON_HOLD) {
          t.previousStatus = t.status;
          t.status = Status.ESCALATED;
        }
        t.record(now, "ESCALATED", "first response over " + t.policy.firstResponseFor(t.priority), "system");
        notifySupervisors(t, MessageKind.FIRST_RESPONSE_BREACH, "first-response-breach", Notices.firstResponseBreached(t.policy.supervisors(), t.policy.firstResponseFor(t.priority)));
        t.clocks.start(Clock.ESCALATION_CHAIN, now, t.policy.firstResponseFor(t.priority));
      }
      case ESCALATION_CHAIN -> {
        boolean raised = t.level < 2;
        if (!raised && t.lifecycle >= 5) {
          // /escalate put it there already, and the supervisors heard of it then: nothing moves,
          // nobody is called again; the audit keeps the silence
          t.record(now, "UNANSWERED", "still no first response " + t.policy.firstResponseFor(t.priority)
              + " after the escalation (already at Level 2)", "system");
          break;
        }
        if (raised) {
          t.level = 2;
          t.queue = RoutedQueue.LEVEL2;
        }
        Duration limit = t.policy.firstResponseFor(t.priority);
        t.record(now, "ESCALATED", "still no first response " + limit + " after the escalation: Level 2", "system");
        if (raised && t.lifecycle >= 1) {
          // the Level 2 group hears of it, as on /escalate; people read "1 min", the audit keeps PT1M
          t.openLevel2Topic("still no first response " + Notices.human(limit) + " after the escalation");
        }
        notifySupervisors(t, MessageKind.ESCALATION_CHAIN, "escalation-chain", Notices.chainEscalated(t.policy.supervisors(), t.policy.firstResponseFor(t.priority)));
      }
      case NEXT_RESPONSE -> {
        t.breach(clock, due, now);
        t.record(now, "SLA_BREACH", "no agent reply within " + t.policy.nextResponse() + " of the customer's message", "system");
        notifyAssignee(t, MessageKind.NEXT_RESPONSE_BREACH, "next-response-breach:" + due, "⏰ " + t.link() + ": the customer has waited " + Notices.human(t.policy.nextResponse()) + " for a reply.");
      }
      case RESOLUTION -> {
        t.breach(clock, due, now);
        t.record(now, "SLA_BREACH", "not resolved within " + t.policy.resolution(), "system");
        if (t.lifecycle >= 5) {
          // the assignee, else the supervisors, else where staff read: as the next-response breach
          notifyAssignee(t, MessageKind.RESOLUTION_BREACH, "resolution-breach:" + due, Notices.resolutionBreached(t.link(), t.policy.resolution()));
        }
      }
      case STALE -> {
        if (t.status == Status.ESCALATED && t.lifecycle >= 1) {
          // stays ESCALATED, where supervisors look for it; the silence is audited and reminded
          t.record(now, "STALE", "no customer or agent message for " + t.policy.staleAfter() + " (stays ESCALATED)", "system");
          notifyAssignee(t, MessageKind.STALE_REMINDER, "stale:" + due, staleReminder(t));
        } else if (t.status != Status.STALE && t.status != Status.ON_HOLD) {
          t.previousStatus = t.status;
          t.status = Status.STALE;
          t.record(now, "STALE", "no customer or agent message for " + t.policy.staleAfter(), "system");
          notifyAssignee(t, MessageKind.STALE_REMINDER, "stale:" + due, staleReminder(t));
        }
      }
      case AUTO_CLOSE -> {
        // how long it was resolved in fact, which a held auto-close (temporal.auto-close-after-restore)
        // makes longer than the policy's period; text only (the audit), no command depends on it
        Duration resolvedFor = t.resolvedAt == null ? t.policy.autoCloseResolved() : Duration.between(t.resolvedAt, now);
        Transitions.close(t, now, "resolved for " + Notices.human(resolvedFor) + " without a customer message");
        if (t.lifecycle >= 3) {
          // its audit entry was the change: one version, not two. A signal that reaches the ticket
          // while this task runs makes Temporal discard it and run it again with the signal, which
          // may reopen the ticket; the discarded attempt projected CLOSED already. Any reopen adds a
          // version at least, so the read model sees the re-run as this version or a newer one
          // (Projection.onto, TicketStore), never as an older one it would drop
          return;
        }
      }
    }
    t.touch();
  }

  /**
   * Whose silence it is: since lifecycle rules 5, a ticket whose customer waits for an answer (the
   * last word is theirs) reminds of that, with no /resolve hint that would close an unanswered
   * request.
   */
  private static String staleReminder(Ticket t) {
    Instant waiting = t.lifecycle >= 5 ? t.customerWaitingSince : null;
    return waiting == null ? Notices.stale(t.link(), t.policy.staleAfter())
        : Notices.customerWaiting(t.link(), t.policy.staleAfter(), waiting, t.zone());
  }

  /** Sentiment of the first or a later customer message: below the threshold raises priority. */
  static void sentiment(Ticket t, double score, Instant at, String source) {
    if (t.sentiment == null || score < t.sentiment) {
      t.sentiment = score; // the ticket shows the customer's worst mood so far
      t.touch();
    }
    if (score >= t.policy.negativeSentimentThreshold() || t.priority == Priority.URGENT || !t.fireOnce("sentiment:" + source)) {
      return;
    }
    Priority raised = t.priority == Priority.HIGH ? Priority.URGENT : Priority.HIGH;
    Transitions.setPriority(t, at, raised,
        "negative sentiment " + String.format("%.2f", score) + " below " + t.policy.negativeSentimentThreshold() + " (" + source + ")", "system");
    notifyAssignee(t, MessageKind.OTHER, "sentiment:" + source, Notices.negativeSentiment(t.link(), score, raised));
  }

  /** Customers with many recent tickets go to the senior group, whose agents hear about it. */
  static void recurring(Ticket t, int recentTickets, Instant at) {
    if (recentTickets < t.policy.recurringTickets() || !t.fireOnce("recurring")) {
      return;
    }
    t.queue = t.policy.seniorGroup();
    t.record(at, "ESCALATED", AuditEntry.RECURRING + recentTickets + " tickets within " + IsoDuration.of(t.policy.recurringWithin())
        + " → " + t.policy.seniorGroup(), "system");
    String text = Notices.recurring(t.link(), t.customer, recentTickets, t.policy.recurringWithin());
    for (Person senior : t.policy.seniorAgents()) {
      t.directMessage(MessageKind.OTHER, "recurring", senior, text, OutboundMessage.NORMAL);
    }
  }

  /**
   * The topic gets it, @mentioning the supervisors. With none configured it addresses nobody
   * ("supervisors, please take a look"), and in group mode the customer would read it: since
   * lifecycle rules 3 it goes where staff read instead.
   */
  private static void notifySupervisors(Ticket t, MessageKind kind, String cause, String html) {
    if (t.policy.supervisors().isEmpty() && t.lifecycle >= 3) {
      t.staffNote(kind, cause, html, "no supervisors");
    } else {
      t.post(kind, cause, html, OutboundMessage.URGENT);
    }
  }

  /**
   * The assignee hears it privately; without one, the supervisors do; without those, it goes where
   * staff read and customers do not (lifecycle rules 3; before, the topic got it).
   */
  private static void notifyAssignee(Ticket t, MessageKind kind, String cause, String html) {
    if (t.assignee != null) {
      t.directMessage(kind, cause, t.assignee, html, OutboundMessage.URGENT);
    } else if (!t.policy.supervisors().isEmpty()) {
      for (Person s : t.policy.supervisors()) {
        t.directMessage(kind, cause, s, html, OutboundMessage.URGENT);
      }
    } else if (t.lifecycle >= 3) {
      t.staffNote(kind, cause, html, "no assignee, no supervisors");
    } else {
      t.post(kind, cause, html, OutboundMessage.URGENT);
    }
  }
}
