package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Something that happened in a ticket's Telegram topic. {@code eventId} is the Telegram update id
 * (or another id unique per ticket), used by the workflow to drop duplicate deliveries.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = TicketEvent.TopicOpened.class, name = "topicOpened"),
  @JsonSubTypes.Type(value = TicketEvent.MessagePosted.class, name = "messagePosted"),
  @JsonSubTypes.Type(value = TicketEvent.TopicClosed.class, name = "topicClosed"),
  @JsonSubTypes.Type(value = TicketEvent.TopicReopened.class, name = "topicReopened"),
})
public sealed interface TicketEvent {
  String eventId();

  Instant at();

  Person from();

  Role role();

  /** forum_topic_created: the customer opened a topic. */
  record TopicOpened(String eventId, Instant at, Person from, Role role, String title)
      implements TicketEvent {}

  /** A text (or caption) message in the topic. */
  record MessagePosted(
      String eventId, Instant at, Person from, Role role, long messageId, String text)
      implements TicketEvent {}

  /** forum_topic_closed. */
  record TopicClosed(String eventId, Instant at, Person from, Role role) implements TicketEvent {}

  /** forum_topic_reopened. */
  record TopicReopened(String eventId, Instant at, Person from, Role role)
      implements TicketEvent {}
}
