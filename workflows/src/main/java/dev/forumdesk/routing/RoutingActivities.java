package dev.forumdesk.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.temporal.activity.ActivityInterface;

/**
 * Phase 2's side effects. Enrichments never throw for bad data (they answer a fallback with a
 * reason); a thrown failure or timeout is handled by {@link RoutingStep} the same way.
 */
@ActivityInterface
public interface RoutingActivities {
  /** The routing rules of the current configuration (reloaded when the file changes). */
  RoutingRules rules();

  /**
   * The rules' digest, and the rules themselves only when their digest is not {@code known}: a
   * local activity's result stays in the workflow history, and the whole rule set (about 2.4 KB)
   * was recorded again at every routing decision and command.
   *
   * @param known the digest of the rules the workflow holds, or null
   */
  RulesAnswer rulesUnless(String known);

  /** @param rules null when the caller's digest is current */
  record RulesAnswer(String digest, RoutingRules rules) {}

  LanguageGuess detectLanguage(LanguageRequest request);

  SentimentScore sentiment(SentimentRequest request);

  /** CRM tier (or the built-in tier table), recent tickets and last agent from the read model. */
  CustomerProfile customer(CustomerRequest request);

  /**
   * Atomically picks an agent under the requirements and records the assignment, or answers
   * without an agent when every capable agent is away or at cap. Idempotent per ticket.
   */
  AssignResult assign(AssignRequest request);

  /** Puts the agent's name in the topic title via editForumTopic (outbox, idempotent). */
  void lockTitle(TitleLock lock);

  /**
   * /reassign, /assign, /away, /back and /why against the roster, atomically under the
   * assignment lock. A refusal is an answer with {@code refused}, not a failure.
   */
  CommandResult command(RoutingCommand command);

  /**
   * @param requirements and weight of the ticket as routing decided them
   * @param source "telegram" (a bot command, answered in a topic) or "api" (a dashboard action,
   *     answered to whoever sent it); null in commands scheduled before it was passed, taken as a
   *     bot command. Left out when null
   */
  record RoutingCommand(String ticketId, long actorId, boolean supervisor, String name, String args,
      AgentRequirements requirements, double weight, java.util.List<String> reasons,
      @JsonInclude(JsonInclude.Include.NON_NULL) String source) {
    /** Whether the answer is read in a topic (a bot command), not only by the one who sent it (the API). */
    public boolean answeredInATopic() {
      return !"api".equals(source);
    }
  }

  /**
   * {@code reply}: HTML for the topic when accepted, plain text when refused; {@code assignee}: the
   * new assignee when the command moved the ticket; {@code kind}: what a refusal is about (null when
   * accepted, and in results recorded before refusals had kinds). Left out when null: an accepted
   * result reads as before, also to a worker of the version before. {@code reason}: for a move, the
   * audit's and /why's plain phrase ("reassigned to Boris as asked") beside the topic's sentence
   * with its emoji; null in results recorded before it existed, which audited the reply.
   */
  /**
   * @param released the ticket's assignment was released and it waits in the waiting line: its
   *     assignee is no longer in {@code agents} and nobody else can take it now ({@code reason} says
   *     so). Left out of the payload when false: a result recorded before it existed reads false,
   *     so a replayed history takes the branch it took.
   */
  record CommandResult(boolean refused, String reply, dev.forumdesk.ticket.Person assignee,
      @JsonInclude(JsonInclude.Include.NON_NULL) dev.forumdesk.ticket.RefusalKind kind,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean released) {
    public CommandResult(boolean refused, String reply, dev.forumdesk.ticket.Person assignee,
        dev.forumdesk.ticket.RefusalKind kind, String reason) {
      this(refused, reply, assignee, kind, reason, false);
    }

    public static CommandResult done(String reply, dev.forumdesk.ticket.Person assignee) {
      return new CommandResult(false, reply, assignee, null, null);
    }

    /** A move: {@code reply} for the topic, {@code reason} for the audit and /why. */
    public static CommandResult moved(String reply, dev.forumdesk.ticket.Person assignee, String reason) {
      return new CommandResult(false, reply, assignee, null, reason);
    }

    /** Released into the waiting line: {@code reply} for the topic, {@code reason} for the audit and /why. */
    public static CommandResult released(String reply, String reason) {
      return new CommandResult(false, reply, null, null, reason, true);
    }

    public static CommandResult refused(dev.forumdesk.ticket.RefusalKind kind, String reason) {
      return new CommandResult(true, reason, null, kind, null);
    }

    /** What the audit says of a move. */
    public String auditReason() {
      return reason != null ? reason : reply;
    }
  }

  record LanguageRequest(String ticketId, long customerId, String text) {}

  record LanguageGuess(String language, String reason) {}

  record SentimentRequest(String ticketId, String text) {}

  record SentimentScore(double score, String reason) {}

  record CustomerRequest(String ticketId, long customerId) {}

  record CustomerProfile(String tier, int recentTickets, Long lastAgentId, java.util.List<String> reasons) {}

  /** {@code cause}: what made this lock (first assignment, a command's event id), part of the outbox key. */
  record TitleLock(String ticketId, long chatId, long threadId, String title, dev.forumdesk.ticket.Person agent,
      String cause) {}
}
