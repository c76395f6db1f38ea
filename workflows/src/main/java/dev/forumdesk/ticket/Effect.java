package dev.forumdesk.ticket;

/** A side effect decided by the ticket's rules, carried out by the workflow through activities. */
sealed interface Effect {
  record Post(OutboundMessage message) implements Effect {}

  /** A private message to an agent; if Telegram refuses it, {@code fallback} goes to the topic. */
  record DirectMessage(OutboundMessage message, OutboundMessage fallback) implements Effect {}

  /** Create the Level 2 topic and post the summary in it. */
  record OpenLevel2Topic(String title, String summaryHtml) implements Effect {}

  record RecordBreach(String clock) implements Effect {}
}
