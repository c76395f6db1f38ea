package dev.forumdesk.ingress;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.TicketState;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How events and commands reach ticket workflows: topic events by signalWithStart (the first one
 * opens the ticket), Level 2 replies by signal, commands by an update whose id is the event id, so
 * a redelivered command is answered from Temporal's record instead of running twice.
 */
public final class TicketGateway {
  private static final Logger log = LoggerFactory.getLogger(TicketGateway.class);

  /** What became of a command. */
  public sealed interface CommandOutcome {
    record Accepted(CommandReply reply) implements CommandOutcome {}

    /** @param kind who asked, what was asked or the ticket's state: the API's 403, 400 or 409 */
    record Refused(String reason, RefusalKind kind) implements CommandOutcome {}

    /** No running ticket: never opened, or CLOSED. */
    record NoTicket() implements CommandOutcome {}
  }

  /** Ends the gRPC deadlines of {@link #command(String, CommandRequest, java.time.Duration)}. */
  private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("temporal-deadlines").daemon().factory());

  private final WorkflowClient client;
  /** Read at each new ticket: a reload's SLA times apply to tickets opened after it (an open one keeps its policy). */
  private final java.util.function.Supplier<ForumdeskConfig> config;
  private final String taskQueue;
  /** Whether new tickets set the Ticket* search attributes: a cluster's namespace that has them. */
  private final java.util.function.BooleanSupplier searchAttributes;
  private volatile java.util.function.Consumer<Classified.ForTicket> delivered = t -> {};

  public TicketGateway(WorkflowClient client, ForumdeskConfig config, String taskQueue, boolean searchAttributes) {
    this(client, config, taskQueue, () -> searchAttributes);
  }

  public TicketGateway(WorkflowClient client, ForumdeskConfig config, String taskQueue,
      java.util.function.BooleanSupplier searchAttributes) {
    this(client, () -> config, taskQueue, searchAttributes);
  }

  /** @param config the live configuration (LiveConfig) */
  public TicketGateway(WorkflowClient client, java.util.function.Supplier<ForumdeskConfig> config, String taskQueue,
      java.util.function.BooleanSupplier searchAttributes) {
    this.client = client;
    this.config = config;
    this.taskQueue = taskQueue;
    this.searchAttributes = searchAttributes;
  }

  /** Told every event Temporal accepted for a ticket (the help desk mirrors the conversation). */
  public void onDelivered(java.util.function.Consumer<Classified.ForTicket> listener) {
    this.delivered = listener;
  }

  /**
   * An event to its ticket's run: signalled to the running one, or (an event that starts a ticket)
   * signalWithStart.
   *
   * @return whether a run took it: false when the event starts no ticket and no run of the ticket
   *     is running (it never started, or it ended: CLOSED, terminated, failed), so nothing took it
   *     and the caller decides what becomes of it
   */
  public boolean deliver(Classified.ForTicket t) {
    if (!t.startsTicket()) {
      try {
        client.newUntypedWorkflowStub(t.ticketId()).signal("event", t.event());
        delivered.accept(t);
        return true;
      } catch (WorkflowNotFoundException e) {
        return false; // no run of the ticket is running
      } catch (WorkflowServiceException e) {
        if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return false;
        }
        throw e;
      }
    }
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "TicketWorkflow",
            WorkflowOptions.newBuilder().setWorkflowId(t.ticketId()).setTaskQueue(taskQueue).build());
    stub.signalWithStart("event", new Object[] {t.event()}, new Object[] {unopened(t)});
    delivered.accept(t);
    return true;
  }

  /** The state a ticket's workflow starts from, before its first event. */
  public TicketState unopened(Classified.ForTicket t) {
    return TicketState.unopened(t.chatId(), t.threadId(), config.get().ticketPolicy(searchAttributes.getAsBoolean()));
  }

  /**
   * A command on behalf of someone who waits (an API action): the same update, but Temporal's
   * answer is waited for at most {@code timeout} (a gRPC deadline on every call it makes), not the
   * update call's own 60 s. Past it, a {@link WorkflowServiceException} like an unreachable server's.
   * The update may still be applied afterwards: its id (the request's event id) makes a retry with
   * the same id answer from the record instead of acting twice.
   */
  public CommandOutcome command(String ticketId, CommandRequest request, java.time.Duration timeout) {
    Context.CancellableContext bounded =
        Context.current().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS, DEADLINES);
    try {
      return bounded.call(() -> command(ticketId, request));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // command throws no checked exception
    } finally {
      bounded.cancel(null);
    }
  }

  /**
   * A command the dispatcher delivers (a bot command): waited for up to the update call's own 60 s.
   * A timeout there throws, the inbox row stays and is retried under the same update id
   * ({@code u<update_id>}), which Temporal and the ticket's seen events answer without acting twice.
   */
  public CommandOutcome command(String ticketId, CommandRequest request) {
    UpdateOptions<CommandReply> options =
        UpdateOptions.newBuilder(CommandReply.class)
            .setUpdateName("command")
            .setUpdateId(request.eventId())
            .setWaitForStage(WorkflowUpdateStage.COMPLETED)
            .build();
    try {
      CommandReply reply = client.newUntypedWorkflowStub(ticketId).startUpdate(options, request).getResult();
      if (reply.refused()) {
        return refused(ticketId, request, reply.message(), RefusalKind.orConflict(reply.kind()));
      }
      return new CommandOutcome.Accepted(reply);
    } catch (WorkflowUpdateException e) {
      Optional<RefusalKind> kind = validatorRefusal(e);
      if (kind.isEmpty()) {
        // the handler failed: a bug or an outage, not a rule; still answered, but loudly here
        log.error("/{} on {} failed in the workflow", request.name(), ticketId, e);
        return new CommandOutcome.Refused(reason(e), RefusalKind.CONFLICT);
      }
      return refused(ticketId, request, reason(e), kind.get());
    } catch (WorkflowNotFoundException e) {
      return new CommandOutcome.NoTicket();
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new CommandOutcome.NoTicket();
      }
      throw e;
    }
  }

  /** Expected behaviour, answered in the topic (or as 403, 400, 409): one line, no stack trace. */
  private static CommandOutcome refused(String ticketId, CommandRequest request, String reason, RefusalKind kind) {
    log.info("/{} on {} by {} refused: {}", request.name(), ticketId, request.from().id(), reason);
    return new CommandOutcome.Refused(reason, kind);
  }

  /**
   * The kind of the update validator's refusal (CommandRules), named by the type of the exception
   * the SDK hands back; empty when the update failed for another reason.
   */
  private static Optional<RefusalKind> validatorRefusal(WorkflowUpdateException e) {
    return e.getCause() instanceof ApplicationFailure af ? RefusalKind.ofFailureType(af.getType()) : Optional.empty();
  }

  private static String reason(WorkflowUpdateException e) {
    Throwable cause = e.getCause();
    String message = cause instanceof ApplicationFailure af ? af.getOriginalMessage() : cause == null ? null : cause.getMessage();
    return Optional.ofNullable(message).orElse("refused");
  }
}
