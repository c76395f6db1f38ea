package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.TicketEvent;

/**
 * What is sent in place of a private message Telegram refuses for good (the person never started
 * the bot), kept in its outbox row until then. {@code instead} says where it went, for the
 * ticket's audit ("posted in the staff forum instead"), or why nothing went ({@link #nothing}); null
 * while it is not {@link #placed}: the note as the ticket's topic would get it, which PrivateNotes
 * places where staff read when the refusal comes ({@link PrivateNotes#whenRefused}).
 */
public record Fallback(String key, long chatId, Long threadId, int priority, String payload, String instead) {
  public static Fallback of(OutboundMessage m, String instead) {
    return new Fallback(m.key(), m.chatId(), m.threadId(), m.priority(), Outbox.sendMessageParams(m).toString(), instead);
  }

  /**
   * The note as the ticket's topic would get it ({@code inTopic}, with the person's mention), to be
   * placed when the DM is refused: by the staff places in force then, not when it was queued.
   */
  public static Fallback unplaced(OutboundMessage inTopic) {
    return of(inTopic, null);
  }

  /** Whether where it goes is decided: false for an {@link #unplaced} note. */
  public boolean placed() {
    return instead != null;
  }

  /** The message it sends: for an {@link #unplaced} note, the note as the topic would get it. */
  public OutboundMessage message() {
    return new OutboundMessage(key, chatId, threadId, text(), priority);
  }

  /** Nothing is sent in its place: the ticket's audit says {@code why}. */
  public static Fallback nothing(String why) {
    return new Fallback("", 0, null, 0, "", why);
  }

  /** Whether a message goes in its place ({@link #nothing}: none). */
  public boolean sendsSomething() {
    return chatId != 0;
  }

  /** The outbox column's JSON. */
  public String json() {
    ObjectNode f = Json.mapper().createObjectNode();
    f.put("key", key).put("chat_id", chatId).put("priority", priority);
    if (threadId != null) {
      f.put("thread_id", threadId);
    }
    f.put("payload", payload);
    if (placed()) {
      f.put("instead", instead);
    } else {
      f.put("placed_when_refused", true);
    }
    return f.toString();
  }

  /** Read back; a row stored before {@code instead} existed was posted in the topic. */
  public static Fallback read(String json) {
    JsonNode f = Json.read(json, JsonNode.class);
    return new Fallback(f.path("key").asText(), f.path("chat_id").asLong(),
        f.hasNonNull("thread_id") ? f.get("thread_id").asLong() : null, f.path("priority").asInt(),
        f.path("payload").asText(),
        f.hasNonNull("instead") ? f.get("instead").asText()
            : f.path("placed_when_refused").asBoolean() ? null : TicketEvent.DeliveryRefused.IN_THE_TOPIC);
  }

  /** The text it sends (Telegram HTML). */
  public String text() {
    return Json.read(payload, JsonNode.class).path("text").asText();
  }
}
