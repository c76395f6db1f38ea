package dev.forumdesk.ticket;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;

/** Ticket fields as Temporal search attributes, so the Web UI can find tickets by them. */
final class SearchAttributes {
  static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("TicketStatus");
  static final SearchAttributeKey<String> ASSIGNEE = SearchAttributeKey.forKeyword("TicketAssignee");
  static final SearchAttributeKey<String> QUEUE = SearchAttributeKey.forKeyword("TicketQueue");
  static final SearchAttributeKey<String> PRIORITY = SearchAttributeKey.forKeyword("TicketPriority");
  static final SearchAttributeKey<String> LEVEL = SearchAttributeKey.forKeyword("TicketLevel");
  static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("TicketCustomer");

  private SearchAttributes() {}

  static void upsert(TicketState s) {
    if (!s.policy().searchAttributes()) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(
        STATUS.valueSet(s.status().name()),
        ASSIGNEE.valueSet(s.assignee() == null ? "" : s.assignee().handle()),
        QUEUE.valueSet(s.queue()),
        PRIORITY.valueSet(s.priority().name()),
        LEVEL.valueSet(String.valueOf(s.level())),
        CUSTOMER.valueSet(s.customer() == null ? "" : String.valueOf(s.customer().id())));
  }
}
