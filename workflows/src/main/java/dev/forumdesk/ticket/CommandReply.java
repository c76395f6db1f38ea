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
 * @param assignee who a /reassign or /assign moved the ticket to, for a caller that acts on it
 *     (DepartedAgents' notice) without reading {@code message}, a sentence for the topic whose
 *     wording may change; null for any other answer, and in replies recorded before it existed;
 *     left out when null
 * @param released whether a /reassign released the ticket into the waiting line (no assignee now);
 *     left out when false
 */
public record CommandReply(
    String message, Status status, boolean refused, @JsonInclude(JsonInclude.Include.NON_NULL) RefusalKind kind,
    @JsonInclude(JsonInclude.Include.NON_NULL) Person assignee,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean released) {
  public CommandReply(String message, Status status) {
    this(message, status, false, null, null, false);
  }

  public static CommandReply refusal(String reason, Status status, RefusalKind kind) {
    return new CommandReply(reason, status, true, kind, null, false);
  }

  /** A move by /reassign or /assign: {@code message} for the topic, {@code assignee} who has it now. */
  public static CommandReply moved(String message, Status status, Person assignee) {
    return new CommandReply(message, status, false, null, assignee, false);
  }

  /** A /reassign that released the ticket into the waiting line: nobody has it now. */
  public static CommandReply released(String message, Status status) {
    return new CommandReply(message, status, false, null, null, true);
  }
}
