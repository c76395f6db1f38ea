package dev.forumdesk.ticket;

import java.util.ArrayList;
import java.util.List;

/** Record surgery for follow-up runs and run ids, kept out of the workflow's main flow. */
final class FollowUp {
  private FollowUp() {}

  /**
   * The start state of a follow-up: same topic, customer and audit history, not opened yet (the
   * customer's new message opens it), linked to the previous run, version continuing so the read
   * model accepts it.
   */
  static TicketState of(TicketState s, String previousRunId) {
    List<AuditEntry> audit = new ArrayList<>(s.audit());
    return new TicketState(
        s.id(), s.chatId(), s.threadId(), false, s.title(), s.customer(), null, Status.NEW,
        Priority.NORMAL, 1, "general", s.category(), s.assignee(), s.language(), null, s.tier(),
        null, null, null, null, s.reopenCount(), previousRunId == null ? s.id() : previousRunId,
        new SlaState(null, null, null, false, List.of()), RoutingState.general(), audit,
        s.seenEvents(), s.version() + 1, s.policy(), Lifecycle.initial(),
        dev.forumdesk.sla.SlaClocks.Snapshot.empty());
  }

  static TicketState withRunId(TicketState s, String runId) {
    Lifecycle l = s.lifecycle();
    return new TicketState(
        s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(),
        s.sentiment(), s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(),
        s.lastActivityAt(), s.reopenCount(), s.followUpOf(), s.sla(), s.routing(), s.audit(),
        s.seenEvents(), s.version(), s.policy(),
        new Lifecycle(l.previousStatus(), l.holdReason(), l.level2ThreadId(), l.fired(), runId),
        s.clocks());
  }
}
