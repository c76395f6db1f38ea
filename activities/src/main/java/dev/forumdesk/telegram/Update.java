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
      Object forumTopicReopened) {

    public boolean topicMessage() {
      return Boolean.TRUE.equals(isTopicMessage);
    }

    /** Text or, for media, the caption. */
    public String body() {
      return text != null ? text : caption;
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

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CallbackQuery(String id, User from, Message message, String data) {}
}
