package dev.forumdesk.telegram;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The part of Telegram's Update object Forumdesk reads; unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Update(
    Long updateId, Message message, Message editedMessage, CallbackQuery callbackQuery) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Message(
      long messageId,
      Long messageThreadId,
      User from,
      Chat chat,
      long date,
      String text,
      String caption,
      Boolean isTopicMessage,
      ForumTopicCreated forumTopicCreated,
      Object forumTopicClosed,
      Object forumTopicReopened,
      ForumTopicEdited forumTopicEdited,
      Long editDate,
      Object animation,
      Object photo,
      Object video,
      Object videoNote,
      Object audio,
      Object voice,
      Object document,
      Object sticker,
      Object location,
      Object contact,
      Message replyToMessage) {

    public boolean topicMessage() {
      return Boolean.TRUE.equals(isTopicMessage);
    }

    /**
     * The name the topic was created with, when this message replies to nothing else: Telegram then
     * sets {@code reply_to_message} to the topic's creation message. A reply to another message of
     * the topic carries that message instead, and names nothing (null). The name is the one given at
     * creation: a later rename is not in it.
     */
    public String topicName() {
      ForumTopicCreated created = replyToMessage == null ? null : replyToMessage.forumTopicCreated();
      return created == null || created.name() == null || created.name().isBlank() ? null : created.name().strip();
    }

    /** Text or, for media, the caption. */
    public String body() {
      return text != null ? text : caption;
    }

    /**
     * What the message carries besides text, as Telegram names the field ("photo", "sticker",
     * "voice", "video_note", ...), or null for a text or service message. An animation also carries
     * a document: it is an animation.
     */
    public String media() {
      Object[] fields = {animation, photo, video, videoNote, audio, voice, document, sticker, location, contact};
      String[] names = {"animation", "photo", "video", "video_note", "audio", "voice", "document", "sticker",
          "location", "contact"};
      for (int i = 0; i < fields.length; i++) {
        if (fields[i] != null) {
          return names[i];
        }
      }
      return null;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record User(
      long id, Boolean isBot, String firstName, String lastName, String username,
      String languageCode) {
    public String displayName() {
      return lastName == null ? firstName : firstName + " " + lastName;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Chat(long id, String type, String title, Boolean isForum) {
    public boolean forum() {
      return Boolean.TRUE.equals(isForum);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ForumTopicCreated(String name, Integer iconColor) {}

  /** A topic renamed or given another icon: {@code name} is absent when only the icon changed. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ForumTopicEdited(String name, String iconCustomEmojiId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CallbackQuery(String id, User from, Message message, String data) {}
}
