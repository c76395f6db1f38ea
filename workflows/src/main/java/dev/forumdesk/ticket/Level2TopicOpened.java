package dev.forumdesk.ticket;

/**
 * What {@link TicketActivities#openLevel2TopicDetailed} did (lifecycle rules 8): the topic, and what
 * the ticket's audit and its Level 2 topic still need to be told.
 *
 * @param chatId the forum the topic is in: the one configured now, or the one its row was queued for
 *     before a restart that changed it; not necessarily the ticket's {@code level2ChatId}
 * @param threadId the topic
 * @param earlierTopicIn the forum where an earlier call for this topic was cut off mid-call (a kill
 *     -9 while createForumTopic was under way): Telegram may have opened that one, empty, its thread
 *     id never known; null when no call was
 * @param summaryHasFirstMessage whether the summary posted in the topic carries the customer's first
 *     message: false when it went without, past {@code routing.first-message-wait} (the workflow
 *     posts the message there when it comes)
 */
public record Level2TopicOpened(long chatId, long threadId, Long earlierTopicIn, boolean summaryHasFirstMessage) {
  /** The topic, as a place to post in. */
  public ForumTopic topic() {
    return new ForumTopic(chatId, threadId);
  }
}
