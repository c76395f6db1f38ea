package dev.forumdesk.ticket;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import java.util.List;

/** Ticket fields as Temporal search attributes, so the Web UI can find tickets by them. */
public final class SearchAttributes {
  static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("TicketStatus");
  static final SearchAttributeKey<String> ASSIGNEE = SearchAttributeKey.forKeyword("TicketAssignee");
  static final SearchAttributeKey<String> QUEUE = SearchAttributeKey.forKeyword("TicketQueue");
  static final SearchAttributeKey<String> PRIORITY = SearchAttributeKey.forKeyword("TicketPriority");
  static final SearchAttributeKey<String> LEVEL = SearchAttributeKey.forKeyword("TicketLevel");
  static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("TicketCustomer");
  /** All six, as a cluster (or a test server) registers them. */
  static final List<SearchAttributeKey<String>> ALL = List.of(STATUS, ASSIGNEE, QUEUE, PRIORITY, LEVEL, CUSTOMER);

  /** Their names, which a cluster's namespace must have registered (docker compose's admin step does). */
  public static List<String> names() {
    return ALL.stream().map(SearchAttributeKey::getName).toList();
  }

  private SearchAttributes() {}

  /** The values a run last upserted. */
  record Values(String status, String assignee, String queue, String priority, String level, String customer) {
    static Values of(TicketState s) {
      return new Values(s.status().name(), s.assignee() == null ? "" : s.assignee().handle(), s.queue(),
          s.priority().name(), String.valueOf(s.level()), s.customer() == null ? "" : String.valueOf(s.customer().id()));
    }
  }

  /**
   * Upserts the ticket's attributes unless they equal {@code last}: each upsert is an event in the
   * history and a write to the cluster's visibility store, and most messages change none of them.
   *
   * @param last what this run upserted before, or null to upsert regardless
   * @return what the execution now carries (null when the policy upserts nothing)
   */
  static Values upsert(TicketState s, Values last) {
    if (!s.policy().searchAttributes()) {
      return null;
    }
    Values now = Values.of(s);
    if (now.equals(last)) {
      return last;
    }
    Workflow.upsertTypedSearchAttributes(
        STATUS.valueSet(now.status()),
        ASSIGNEE.valueSet(now.assignee()),
        QUEUE.valueSet(now.queue()),
        PRIORITY.valueSet(now.priority()),
        LEVEL.valueSet(now.level()),
        CUSTOMER.valueSet(now.customer()));
    return now;
  }
}
