package dev.forumdesk.ticket;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

  @SignalMethod
  void event(TicketEvent event);

  @QueryMethod
  TicketState state();
}
