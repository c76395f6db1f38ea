package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a command did, in one line, and the ticket's status afterwards. {@code refused}: the handler
 * itself turned the command down (a roster command the database decided against, e.g. /assign of an
 * unknown or full agent) and {@code message} is the reason; nothing changed. A refusal is an answer,
 * not a failure: throwing it would make the SDK log a WARN with a stack trace for expected behaviour.
 * Refusals the validator can decide alone still reject the update before it reaches the history.
 *
 * @param kind what a refusal is about, for the API's status; null when accepted, and in replies
 *     recorded before refusals had kinds (read as {@link RefusalKind#CONFLICT}, as they were answered);
 *     left out when null, so an accepted reply reads as before, also to a client of the version before
 */
public record CommandReply(
    String message, Status status, boolean refused, @JsonInclude(JsonInclude.Include.NON_NULL) RefusalKind kind) {
  public CommandReply(String message, Status status) {
    this(message, status, false, null);
  }

  public static CommandReply refusal(String reason, Status status, RefusalKind kind) {
    return new CommandReply(reason, status, true, kind);
  }
}
