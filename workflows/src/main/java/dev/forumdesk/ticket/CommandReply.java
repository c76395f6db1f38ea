package dev.forumdesk.ticket;

/**
 * What a command did, in one line, and the ticket's status afterwards. {@code refused}: the handler
 * itself turned the command down (a roster command the database decided against, e.g. /assign of an
 * unknown or full agent) and {@code message} is the reason; nothing changed. A refusal is an answer,
 * not a failure: throwing it would make the SDK log a WARN with a stack trace for expected behaviour.
 * Refusals the validator can decide alone still reject the update before it reaches the history.
 */
public record CommandReply(String message, Status status, boolean refused) {
  public CommandReply(String message, Status status) {
    this(message, status, false);
  }

  public static CommandReply refusal(String reason, Status status) {
    return new CommandReply(reason, status, true);
  }
}
