package dev.forumdesk.ticket;

import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The first message from the read model ({@link SummaryFirstMessage}): the ticket's as projected, or,
 * while an update of the ticket is on its way to the read model (the message waits in the inbox, or
 * the command's update ran before the loop took the message), none yet: the caller waits a little.
 */
public final class FirstMessageFromReadModel implements SummaryFirstMessage {
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
  public FirstMessageFromReadModel(TicketStore tickets, Inbox inbox, Supplier<Duration> firstMessageWait, Clock clock) {
    this.tickets = tickets;
    this.inbox = inbox;
    this.firstMessageWait = firstMessageWait;
    this.clock = clock;
  }

  /**
   * The summary to post now, with the first message if the ticket has one; empty while it may still
   * come: an update of the ticket is on its way to the read model, or the topic opened without text
   * less than {@code routing.first-message-wait} ago.
   */
  @Override
  public Optional<String> whenItCame(String ticketId, String summaryHtml) {
    if (!Level2Summary.mayLackFirstMessage(summaryHtml)) {
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
  @Override
  public String now(String ticketId, String summaryHtml) {
    if (!Level2Summary.mayLackFirstMessage(summaryHtml)) {
      return summaryHtml;
    }
    return tickets.find(ticketId).map(TicketState::firstMessage)
        .map(first -> Level2Summary.withFirstMessage(summaryHtml, first)).orElse(summaryHtml);
  }
}
