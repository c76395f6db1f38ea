package dev.forumdesk.ticket;

import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The customer's first message for a Level 2 summary the workflow wrote without it (audit 12, F1):
 * an escalation by the API or a supervisor's /escalate in a ticket's first seconds, or one that
 * overtook the customer's message in a burst (the message waits in the inbox, or the command's update
 * ran before the loop took the message). Level 2 reads the summary instead of the customer's topic.
 * The workflow's summary stays as it was written, so its history does; the activity that posts it
 * adds the message from the read model, and waits a little for it while it is on its way.
 */
public final class SummaryFirstMessage {
  /** How long an update PENDING in the inbox is waited for: the dispatcher's lag in a burst. */
  static final Duration PENDING_AT_MOST = Duration.ofMinutes(2);
  /**
   * How long a DELIVERED update is waited for: its workflow projects it in its next task, except a run
   * of lifecycle rules before 7, whose loop waits for this very activity.
   */
  static final Duration DELIVERED_AT_MOST = Duration.ofSeconds(15);

  private final TicketStore tickets;
  private final Inbox inbox;
  private final Supplier<Duration> firstMessageWait;
  private final Clock clock;

  /**
   * @param firstMessageWait {@code routing.first-message-wait}: how long after a topic opened without
   *     text its customer's first message is waited for, as phase 2 routing waits for it
   */
  public SummaryFirstMessage(TicketStore tickets, Inbox inbox, Supplier<Duration> firstMessageWait, Clock clock) {
    this.tickets = tickets;
    this.inbox = inbox;
    this.firstMessageWait = firstMessageWait;
    this.clock = clock;
  }

  /** The summary as the workflow wrote it: what a desk without an inbox to look at posts. */
  public static SummaryFirstMessage asWritten() {
    return new SummaryFirstMessage(null, null, () -> Duration.ZERO, Clock.systemUTC());
  }

  /**
   * The summary to post now, with the first message if the ticket has one; empty while it may still
   * come: an update of the ticket is on its way to the read model, or the topic opened without text
   * less than {@code routing.first-message-wait} ago.
   */
  public Optional<String> whenItCame(String ticketId, String summaryHtml) {
    if (tickets == null || !Level2Summary.mayLackFirstMessage(summaryHtml)) {
      return Optional.of(summaryHtml);
    }
    Optional<TicketState> ticket = tickets.find(ticketId);
    String first = ticket.map(TicketState::firstMessage).orElse(null);
    if (first != null) {
      return Optional.of(Level2Summary.withFirstMessage(summaryHtml, first));
    }
    Instant now = clock.instant();
    boolean coming = inbox.onItsWay(ticketId, now.minus(PENDING_AT_MOST), now.minus(DELIVERED_AT_MOST))
        || ticket.map(TicketState::createdAt).filter(at -> now.isBefore(at.plus(firstMessageWait.get()))).isPresent();
    return coming ? Optional.empty() : Optional.of(summaryHtml);
  }

  /** The summary with the first message the read model has now, without waiting for one. */
  public String now(String ticketId, String summaryHtml) {
    if (tickets == null || !Level2Summary.mayLackFirstMessage(summaryHtml)) {
      return summaryHtml;
    }
    return tickets.find(ticketId).map(TicketState::firstMessage)
        .map(first -> Level2Summary.withFirstMessage(summaryHtml, first)).orElse(summaryHtml);
  }
}
