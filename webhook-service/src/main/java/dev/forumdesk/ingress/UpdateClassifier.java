package dev.forumdesk.ingress;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Instant;

/**
 * Decides which ticket an Update belongs to, if any. Only topic messages of the support forum
 * count: the General topic, other chats, non-forum reply threads, edits and other bots' messages
 * are ignored.
 */
public final class UpdateClassifier {
  private final ForumdeskConfig config;

  public UpdateClassifier(ForumdeskConfig config) {
    this.config = config;
  }

  public Classified classify(Update update) {
    if (update.message() == null) {
      return new Classified.Ignored(update.editedMessage() != null ? "edited" : "unsupported");
    }
    Update.Message m = update.message();
    if (m.chat() == null || m.chat().id() != config.support().chatId()) {
      return new Classified.Ignored("other-chat");
    }
    if (!m.chat().forum() || !m.topicMessage() || m.messageThreadId() == null) {
      return new Classified.Ignored("not-a-topic");
    }
    if (m.from() == null || Boolean.TRUE.equals(m.from().isBot())) {
      return new Classified.Ignored("bot");
    }
    long chatId = m.chat().id();
    long threadId = m.messageThreadId();
    String eventId = "u" + update.updateId();
    Instant at = Instant.ofEpochSecond(m.date());
    Person from = new Person(m.from().id(), m.from().displayName(), m.from().username());
    Role role = config.roleOf(m.from().id());
    TicketEvent event;
    String kind;
    if (m.forumTopicCreated() != null) {
      event = new TicketEvent.TopicOpened(eventId, at, from, role, m.forumTopicCreated().name());
      kind = "topic-created";
    } else if (m.forumTopicClosed() != null) {
      event = new TicketEvent.TopicClosed(eventId, at, from, role);
      kind = "topic-closed";
    } else if (m.forumTopicReopened() != null) {
      event = new TicketEvent.TopicReopened(eventId, at, from, role);
      kind = "topic-reopened";
    } else if (m.body() != null) {
      event = new TicketEvent.MessagePosted(eventId, at, from, role, m.messageId(), m.body());
      kind = "message";
    } else {
      return new Classified.Ignored("service-message");
    }
    return new Classified.ForTicket(TicketWorkflow.id(chatId, threadId), chatId, threadId, event, kind);
  }
}
