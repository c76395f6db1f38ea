package dev.forumdesk.ticket;

/** A Telegram user as the ticket knows them. */
public record Person(long id, String name, String username) {
  public String handle() {
    return username == null || username.isBlank() ? name : "@" + username;
  }
}
