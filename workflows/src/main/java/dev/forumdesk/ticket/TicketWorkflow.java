package dev.forumdesk.ticket;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One support ticket = one forum topic, alive from the topic's creation until CLOSED. */
@WorkflowInterface
public interface TicketWorkflow {
  static String id(long chatId, long threadId) {
    return "ticket-" + chatId + "-" + threadId;
  }

  @WorkflowMethod
  void run(TicketState state);

  /** Messages and topic changes: they need no answer. */
  @SignalMethod
  void event(TicketEvent event);

  /**
   * An agent's slot may have freed (a resolve, a reassignment, /back, a shift start): a ticket
   * waiting for an agent asks again at once instead of at its next retry. Harmless otherwise.
   */
  @SignalMethod
  void capacityFreed();

  /** Bot commands and API actions: accepted (reply) or refused by the validator (reason). */
  @UpdateMethod
  CommandReply command(CommandRequest request);

  @UpdateValidatorMethod(updateName = "command")
  void validateCommand(CommandRequest request);

  @QueryMethod
  TicketState state();
}
