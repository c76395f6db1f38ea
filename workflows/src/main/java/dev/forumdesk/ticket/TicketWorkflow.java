package dev.forumdesk.ticket;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** One support ticket = one forum topic, alive from the topic's creation until CLOSED. */
@WorkflowInterface
public interface TicketWorkflow {
  static String id(long chatId, long threadId) {
    return "ticket-" + chatId + "-" + threadId;
  }

  /** The topic a ticket id names: {@link #id} read back. */
  static ForumTopic topicOf(String ticketId) {
    int dash = ticketId.lastIndexOf('-');
    if (!ticketId.startsWith("ticket-") || dash <= "ticket-".length()) {
      throw new IllegalArgumentException("not a ticket id: " + ticketId);
    }
    return new ForumTopic(Long.parseLong(ticketId.substring("ticket-".length(), dash)),
        Long.parseLong(ticketId.substring(dash + 1)));
  }

  /**
   * @param state where the ticket starts from: a new topic's unopened state, a continue-as-new's
   *     snapshot, or the read model's snapshot of an open ticket restored on a fresh embedded server
   * @param journal what a restored ticket was told before the restart that {@code state} does not
   *     show (the embedded server lost it): the API actions answered 200, and the Telegram updates
   *     answered 200 that wait in the inbox, in the order they were accepted. Applied before anything
   *     else, before the deadlines that passed meanwhile; the inbox's updates are delivered again
   *     afterwards and change nothing then. Null for every other start (a run from before it existed
   *     has no such input)
   */
  @WorkflowMethod
  void run(TicketState state, List<JournalEntry> journal);

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
