package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * An escalation's ask for its Level 2 topic, as {@link TicketActivities#openLevel2Topic} takes it.
 * Since lifecycle rules 7 the topic opens beside the workflow's loop, and the snapshot keeps the ask
 * until it is answered ({@link Lifecycle#level2TopicPending}): a ticket restored from that snapshot
 * asks again, and the activity finds the topic already queued or opened for the run.
 *
 * @param run which run's escalation ({@link TicketActivities#openLevel2Topic}); null for the ticket's
 * @param notices the escalation's notices that wait for the topic (lifecycle rules 10: "⬆️ Escalated
 *     to Level 2", the escalation chain's call), queued once the activity has answered; kept in the
 *     snapshot with the ask, so a ticket restored while its topic waited still tells them
 */
public record Level2TopicRequest(String title, String summaryHtml, String run,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Notice> notices) {

  public Level2TopicRequest {
    notices = notices == null ? List.of() : List.copyOf(notices);
  }

  public Level2TopicRequest(String title, String summaryHtml, String run) {
    this(title, summaryHtml, run, List.of());
  }

  /** This ask, with {@code more} notices waiting for its topic after those already waiting. */
  Level2TopicRequest after(List<Notice> more) {
    List<Notice> all = new ArrayList<>(notices);
    all.addAll(more);
    return new Level2TopicRequest(title, summaryHtml, run, all);
  }

  /**
   * A notice that waits for the topic: posted as the workflow posts its messages, or, with {@code
   * kind}, a note for staff with nobody to address it to ({@link Effect.StaffNote}).
   */
  public record Notice(OutboundMessage message, @JsonInclude(JsonInclude.Include.NON_NULL) String kind,
      @JsonInclude(JsonInclude.Include.NON_NULL) String nobody) {
    Effect effect() {
      return kind == null ? new Effect.Post(message) : new Effect.StaffNote(message, kind, nobody);
    }
  }
}
