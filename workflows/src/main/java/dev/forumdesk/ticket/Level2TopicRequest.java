package dev.forumdesk.ticket;

/**
 * An escalation's ask for its Level 2 topic, as {@link TicketActivities#openLevel2Topic} takes it.
 * Since lifecycle rules 7 the topic opens beside the workflow's loop, and the snapshot keeps the ask
 * until it is answered ({@link Lifecycle#level2TopicPending}): a ticket restored from that snapshot
 * asks again, and the activity finds the topic already queued or opened for the run.
 *
 * @param run which run's escalation ({@link TicketActivities#openLevel2Topic}); null for the ticket's
 */
public record Level2TopicRequest(String title, String summaryHtml, String run) {}
