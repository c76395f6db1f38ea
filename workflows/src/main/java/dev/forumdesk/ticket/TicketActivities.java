package dev.forumdesk.ticket;

import io.temporal.activity.ActivityInterface;

/** The ticket's side effects. Each is idempotent, keyed by ticket id and version or event id. */
@ActivityInterface
public interface TicketActivities {
  /** Writes the snapshot to the read model unless a newer version is already there. */
  void project(TicketState state);

  /** Enqueues a bot message in the outbox (sent later by the rate-aware sender). */
  void post(OutboundMessage message);
}
