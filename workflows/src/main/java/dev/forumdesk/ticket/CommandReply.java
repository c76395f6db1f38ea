package dev.forumdesk.ticket;

/** What an accepted command did, in one line, and the ticket's status afterwards. */
public record CommandReply(String message, Status status) {}
