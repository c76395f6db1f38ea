package dev.forumdesk.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.IdempotencyKeys;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.Role;
import io.temporal.client.WorkflowServiceException;
import io.grpc.StatusRuntimeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/tickets/{id}/actions}: the dashboard's way to run the bot commands, through the
 * same Temporal update and the same rules. A refusal answers by its kind: 403 for who asked (not
 * the assignee, not a supervisor), 400 for what was asked (an unknown agent), 409 when the
 * lifecycle forbids it (not on hold, already resolved).
 */
final class TicketActions {
  private static final Logger log = LoggerFactory.getLogger(TicketActions.class);

  /** The 503's Retry-After: Temporal back from a blip, or still down and answered at once again. */
  static final String RETRY_AFTER_SECONDS = "5";

  /** 422: Helidon names no such status. */
  private static final Status REQUEST_CHANGED = Status.create(422, "Unprocessable Content");
  private static final io.helidon.http.HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

  /** In CONTRACT.md's order, which the 400 for an unknown action repeats. */
  static final List<String> ACTIONS = List.of("hold", "resume", "resolve", "reopen", "escalate", "assign", "priority");

  private final TicketGateway gateway;
  private final TicketStore tickets;
  private final QueuedTickets queued;
  private final java.util.function.Supplier<ForumdeskConfig> config;
  private final Duration timeout;
  private final IdempotencyKeys keys;
  private final ApiActions actions;

  /**
   * @param timeout how long an action waits for Temporal ({@code temporal.action-timeout})
   * @param keys the Idempotency-Keys used, each with the request it was for
   * @param actions the accepted actions their tickets' projections do not show yet
   */
  TicketActions(TicketGateway gateway, TicketStore tickets, QueuedTickets queued,
      java.util.function.Supplier<ForumdeskConfig> config,
      Duration timeout, IdempotencyKeys keys, ApiActions actions) {
    this.keys = keys;
    this.actions = actions;
    this.gateway = gateway;
    this.tickets = tickets;
    this.queued = queued;
    this.config = config;
    this.timeout = timeout;
  }

  /** An action's body: a reason of {@link #MAX_ARGS} characters and then some. */
  static final int MAX_BODY = 64 * 1024;
  /** A reason, priority or username: posted in the topic (Telegram takes 4,096) and kept in the audit. */
  static final int MAX_ARGS = dev.forumdesk.ingress.CommandArgs.MAX;

  void handle(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    JsonNode body;
    try {
      Optional<byte[]> bytes = RequestBodies.atMost(req, MAX_BODY);
      if (bytes.isEmpty()) {
        JsonResponses.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "an action is at most " + MAX_BODY / 1024 + " KiB");
        return;
      }
      body = Json.mapper().readTree(bytes.get());
    } catch (Exception e) {
      JsonResponses.error(res, Status.BAD_REQUEST_400, "body must be JSON like {\"action\":\"hold\",\"actor\":1001}");
      return;
    }
    Optional<String> unusable = actionAndActor(body);
    if (unusable.isPresent()) {
      JsonResponses.error(res, Status.BAD_REQUEST_400, unusable.get());
      return;
    }
    String action = body.path("action").asText("");
    long actorId = body.path("actor").asLong();
    ForumdeskConfig config = this.config.get();
    Role role = config.roleOf(actorId);
    if (!role.isStaff()) {
      JsonResponses.error(res, Status.FORBIDDEN_403, "actor " + actorId + " is not a configured agent or supervisor");
      return;
    }
    if (tickets.find(id).isEmpty()) {
      if (queued.find(id).isPresent()) {
        JsonResponses.error(res, Status.CONFLICT_409,
            "ticket " + id + " is still waiting in the inbox for its workflow; try again in a moment");
      } else {
        JsonResponses.error(res, Status.NOT_FOUND_404, "no ticket " + id);
      }
      return;
    }
    Person actor = config.staffMember(actorId);
    String args = switch (action) {
      case "priority" -> body.path("priority").asText(body.path("level").asText(""));
      case "assign" -> body.path("username").asText(body.path("assignee").asText(""));
      default -> body.path("reason").asText("");
    };
    Optional<String> malformed = malformed(action, args);
    if (malformed.isPresent()) {
      JsonResponses.error(res, Status.BAD_REQUEST_400, malformed.get());
      return;
    }
    Optional<String> key = req.headers().first(IDEMPOTENCY_KEY);
    if (key.isPresent() && (key.get().isBlank() || key.get().length() > IdempotencyKeys.MAX_LENGTH)) {
      JsonResponses.error(res, Status.BAD_REQUEST_400,
          "Idempotency-Key must be 1 to " + IdempotencyKeys.MAX_LENGTH + " characters");
      return;
    }
    if (key.isPresent() && !keys.claim(key.get(), digest(id, action, actorId, args))) {
      // answered from the record, the first request's result would read as this one's while it is dropped
      JsonResponses.error(res, REQUEST_CHANGED,
          "Idempotency-Key " + key.get() + " was already used for a different request");
      return;
    }
    String eventId = "api:" + key.orElse(UUID.randomUUID().toString());
    var request = new CommandRequest(eventId, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), actor, role, action, args, "api");
    TicketGateway.CommandOutcome outcome;
    actions.sending(id, request); // kept from before Temporal has it, so its projection finds it
    try {
      outcome = gateway.command(id, request, timeout);
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      actions.notAccepted(eventId);
      // Temporal unreachable, frozen (no answer within the timeout) or its answer lost: the action
      // may or may not have been applied; a retry with the same Idempotency-Key (the same update id)
      // is applied at most once. A JSON 503 the dashboard shows, like the webhook's and the
      // database's, and one log line
      log.warn("{} on {} not confirmed, Temporal unavailable: {}", action, id,
          e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
      JsonResponses.error(res, Status.SERVICE_UNAVAILABLE_503, "Temporal unavailable, retry later");
      return;
    }
    if (outcome instanceof TicketGateway.CommandOutcome.Accepted) {
      actions.accepted(eventId); // before the 200: a restart of the embedded server applies it again
    } else {
      actions.notAccepted(eventId);
    }
    switch (outcome) {
      case TicketGateway.CommandOutcome.Accepted a ->
          JsonResponses.ok(res, Map.of("message", PlainText.of(a.reply().message()), "status", a.reply().status().name()));
      case TicketGateway.CommandOutcome.Refused r -> JsonResponses.error(res, status(r.kind()), r.reason());
      case TicketGateway.CommandOutcome.NoTicket n -> JsonResponses.error(res, Status.CONFLICT_409, "ticket " + id + " is closed");
    }
  }

  /**
   * The request a key is kept for, normalised: the ticket, the action, the actor and the action's
   * argument as the command gets them (key order, spacing and the alias fields do not count).
   */
  static String digest(String ticketId, String action, long actorId, String args) {
    try {
      byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(
          (ticketId + "\n" + action + "\n" + actorId + "\n" + args).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** What is wrong with the body's "action" and "actor", saying which and what was sent. */
  static Optional<String> actionAndActor(JsonNode body) {
    JsonNode action = body.path("action");
    if (!ACTIONS.contains(action.asText(""))) {
      return Optional.of((action.isMissingNode() || action.isNull() ? "\"action\" is required" : "unknown action " + action)
          + "; it must be one of " + String.join(", ", ACTIONS));
    }
    JsonNode actor = body.path("actor");
    if (actor.isMissingNode() || actor.isNull()) {
      return Optional.of("\"actor\" is required: the Telegram user id of an agent or supervisor, e.g. 1001");
    }
    // a whole number: 1001.7 is nobody, not agent 1001
    if (!actor.isNumber() || !actor.canConvertToLong()
        || !actor.isIntegralNumber() && actor.decimalValue().stripTrailingZeros().scale() > 0) {
      return Optional.of("\"actor\" must be a Telegram user id (a whole number) of an agent or supervisor, not " + actor);
    }
    return Optional.empty();
  }

  private static Status status(RefusalKind kind) {
    return switch (kind) {
      case FORBIDDEN -> Status.FORBIDDEN_403;
      case INVALID -> Status.BAD_REQUEST_400;
      case CONFLICT -> Status.CONFLICT_409;
    };
  }

  /**
   * What is wrong with the request itself (400), before the ticket's rules are asked: a priority
   * that is none, an assignment to nobody.
   */
  static Optional<String> malformed(String action, String args) {
    Optional<String> tooLong = dev.forumdesk.ingress.CommandArgs.tooLong(action, args);
    if (tooLong.isPresent()) {
      return tooLong;
    }
    return switch (action) {
      case "priority" -> args.isBlank()
          ? Optional.of("priority needs \"priority\": one of " + Priority.names())
          : Priority.unknown(args);
      case "assign" -> args.isBlank()
          ? Optional.of("assign needs \"username\": the agent's Telegram username, e.g. \"alice\"")
          : Optional.empty();
      default -> Optional.empty();
    };
  }
}
