package dev.forumdesk.ticket;

/**
 * A topic of a forum group: where a message is posted. A command names the one it was typed in
 * when that is not its ticket's own topic (a Level 2 topic), so that it is answered there.
 */
public record ForumTopic(long chatId, long threadId) {}
