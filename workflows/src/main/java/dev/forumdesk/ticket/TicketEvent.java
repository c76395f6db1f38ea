package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Something that happened in a ticket's Telegram topic (or around it). {@code eventId} is the
 * Telegram update id ("u123") or another id unique per ticket, used to drop duplicate deliveries.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = TicketEvent.TopicOpened.class, name = "topicOpened"),
  @JsonSubTypes.Type(value = TicketEvent.MessagePosted.class, name = "messagePosted"),
  @JsonSubTypes.Type(value = TicketEvent.TopicClosed.class, name = "topicClosed"),
  @JsonSubTypes.Type(value = TicketEvent.TopicReopened.class, name = "topicReopened"),
  @JsonSubTypes.Type(value = TicketEvent.TopicRenamed.class, name = "topicRenamed"),
  @JsonSubTypes.Type(value = TicketEvent.Level2Reply.class, name = "level2Reply"),
  @JsonSubTypes.Type(value = TicketEvent.DeliveryRefused.class, name = "deliveryRefused"),
  @JsonSubTypes.Type(value = TicketEvent.NotDelivered.class, name = "notDelivered"),
  @JsonSubTypes.Type(value = TicketEvent.ReplyNotSent.class, name = "replyNotSent"),
})
public sealed interface TicketEvent {
  String eventId();

  Instant at();

  Person from();

  Role role();

  /** forum_topic_created: the customer opened a topic. */
  record TopicOpened(String eventId, Instant at, Person from, Role role, String title)
      implements TicketEvent {}

  /**
   * A text (or caption) message in the topic.
   *
   * @param topicName the name the topic was created with, as Telegram repeats it in every topic
   *     message that replies to nothing else ({@code reply_to_message.forum_topic_created}): the title
   *     of a ticket whose topic Forumdesk first sees through this message (the bot was added later).
   *     Null when Telegram gave none, for messages from elsewhere (relay, help desk) and in messages
   *     recorded before it existed; left out when null, so such a message reads as before
   */
  record MessagePosted(
      String eventId, Instant at, Person from, Role role, long messageId, String text,
      @JsonInclude(JsonInclude.Include.NON_NULL) String topicName)
      implements TicketEvent {
    /** A message that names no topic. */
    public MessagePosted(String eventId, Instant at, Person from, Role role, long messageId, String text) {
      this(eventId, at, from, role, messageId, text, null);
    }
  }

  /** forum_topic_closed. */
  record TopicClosed(String eventId, Instant at, Person from, Role role) implements TicketEvent {}

  /** forum_topic_reopened. */
  record TopicReopened(String eventId, Instant at, Person from, Role role)
      implements TicketEvent {}

  /** forum_topic_edited with a new name: the ticket's title follows the topic's. */
  record TopicRenamed(String eventId, Instant at, Person from, Role role, String title)
      implements TicketEvent {}

  /** A message in the ticket's Level 2 topic (mirrored into the audit). */
  record Level2Reply(String eventId, Instant at, Person from, Role role, String text)
      implements TicketEvent {}

  /**
   * Telegram refused a bot message for good (e.g. a DM to an agent who never started the bot).
   * {@code to}: the Telegram user the DM was for, so the audit names them ("DM to Boris"); null in
   * events sent before it existed, whose {@code what} said the id. {@code instead}: what was sent in
   * its place, as the audit says it ("posted in the staff forum instead"): in group mode customers
   * read the topic, so a private note goes elsewhere; null in events sent before it existed, whose
   * fallback was always posted in the topic.
   */
  record DeliveryRefused(String eventId, Instant at, Person from, Role role, String what, String reason, Long to,
      String instead) implements TicketEvent {
    /** What an event from before {@code instead} existed said: the note was posted in the topic. */
    public static final String IN_THE_TOPIC = "posted in the topic instead";

    public DeliveryRefused(String eventId, Instant at, Person from, Role role, String what, String reason, Long to) {
      this(eventId, at, from, role, what, reason, to, null);
    }
  }

  /**
   * Relay mode: Telegram refused for good a message to the customer's private chat (they blocked the
   * bot, deleted their account): they never read it. {@code what}: the message, as the audit names
   * it ("an agent's reply"); {@code reply}: the event of the agent's message it relayed ("u15"), null
   * for the bot's own notices; {@code reason}: Telegram's words.
   */
  record NotDelivered(String eventId, Instant at, Person from, Role role, String what, String reply, String reason)
      implements TicketEvent {}

  /**
   * Relay mode: a reply written in the help desk that was not sent to the customer (they have another
   * open ticket, where their answers go), for a follow-up run of its CLOSED ticket that opened
   * meanwhile. Audited (REPLY_NOT_SENT), nothing else: the customer never got it, so it is no response
   * and touches no clock. Under the reply's own event id ({@code hdr:<kind>:<reply id>}): the run drops
   * that reply should it come again as the agent's message.
   *
   * @param from who wrote it ("Enoch Root (via Request Tracker)"), {@code at} when
   * @param actor the audit's actor ("request-tracker:Enoch Root")
   * @param why what became of it, as the audit says it ("not sent to Bob, who has an open ticket …")
   */
  record ReplyNotSent(String eventId, Instant at, Person from, Role role, String actor, String why)
      implements TicketEvent {}
}
