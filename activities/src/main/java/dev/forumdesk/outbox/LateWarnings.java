package dev.forumdesk.outbox;

import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.util.Optional;

/**
 * The "⏰ First response due soon (80%)" warning is decided by the ticket's workflow when 80% of the
 * time is used, and waits in the outbox for its turn. After a kill -9 and the restore, the restored
 * tickets' warnings went out 2 minutes after the due, to tickets escalated meanwhile, and as refused
 * DMs' fallbacks "@sue_lead ⏰ First response due soon … due 22:53 UTC" at 22:55 (audit 12, F5). When
 * its turn comes, a warning (its DM, its fallback, its note where staff read) whose ticket has its
 * first response, is escalated, at Level 2 or finished, or is past the due, is not sent: the breach
 * and the escalation have their own notices. The ticket as the read model has it, which may lag the
 * workflow; a ticket it does not know is warned.
 */
public final class LateWarnings implements OutboxSender.Obsolete {
  private final TicketStore tickets;

  public LateWarnings(TicketStore tickets) {
    this.tickets = tickets;
  }

  /** A warning is known by its row's kind ({@link MessageKind#FIRST_RESPONSE_WARNING}); its ticket by its key's start. */
  @Override
  public Optional<String> why(OutboxRow row, Instant now) {
    if (row.kind() != MessageKind.FIRST_RESPONSE_WARNING) {
      return Optional.empty();
    }
    return tickets.find(PrivateNotes.ticketOf(row.key())).flatMap(t -> stale(t, now));
  }

  private static Optional<String> stale(TicketState t, Instant now) {
    if (t.firstResponseAt() != null) {
      return Optional.of("not sent: the first response was given at " + t.firstResponseAt());
    }
    if (t.status() == Status.ESCALATED || t.status().finished()) {
      return Optional.of("not sent: the ticket is " + t.status());
    }
    if (t.level() >= 2) {
      return Optional.of("not sent: the ticket is at Level 2");
    }
    Instant due = t.sla() == null ? null : t.sla().firstResponseDue();
    if (due != null && !now.isBefore(due)) {
      return Optional.of("not sent: the first response was due at " + due + ", before the warning's turn");
    }
    return Optional.empty();
  }
}
