package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One thing a restored ticket was told before the restart that its snapshot does not show yet
 * ({@link TicketWorkflow#run}'s journal): an API action answered 200, or a Telegram update answered
 * 200 and waiting in the inbox (a topic event, or a bot command, whose {@code source} is "telegram").
 * Exactly one of the two is set.
 *
 * @param acceptedAt when Forumdesk answered it 200 (the action's or the inbox row's time): the
 *     deadlines due before it fire before it, those due after it after it. Null: before every
 *     deadline that passed while the process was down.
 */
public record JournalEntry(
    @JsonInclude(JsonInclude.Include.NON_NULL) CommandRequest command,
    @JsonInclude(JsonInclude.Include.NON_NULL) TicketEvent event,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant acceptedAt) {
  public JournalEntry {
    if ((command == null) == (event == null)) {
      throw new IllegalArgumentException("a journal entry is a command or an event");
    }
  }

  public static JournalEntry of(CommandRequest command) {
    return new JournalEntry(command, null, null);
  }

  public static JournalEntry of(TicketEvent event) {
    return new JournalEntry(null, event, null);
  }

  /** The same entry, accepted at {@code at}. */
  public JournalEntry accepted(Instant at) {
    return new JournalEntry(command, event, at);
  }

  /** The update's or action's id, as the ticket's seen events keep it. */
  @JsonIgnore
  public String eventId() {
    return command != null ? command.eventId() : event.eventId();
  }
}
