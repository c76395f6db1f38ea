package dev.forumdesk.ticket;

/**
 * A Telegram user as a query names them: by numeric id ({@code 5001}) or by username
 * ({@code @bob}, {@code Bob}). The API's {@code assignee=} and {@code customer=} filters both take
 * either, so both parse them here.
 */
public sealed interface PersonRef {
  /** A Telegram user id. */
  record ById(long id) implements PersonRef {
    @Override
    public boolean matches(Person p) {
      return p != null && p.id() == id;
    }
  }

  /** @param username as {@link Person#usernameKey} keeps it: without the @, in lower case */
  record ByUsername(String username) implements PersonRef {
    @Override
    public boolean matches(Person p) {
      return p != null && Person.isUsername(p.username(), username);
    }
  }

  /** Whether this names {@code p} (null: nobody, e.g. a ticket without a customer yet). */
  boolean matches(Person p);

  /**
   * Digits (with an optional minus) are an id, anything else a username.
   *
   * @throws IllegalArgumentException for a bare {@code @} or an id too large for a long
   */
  static PersonRef parse(String text) {
    String t = text.strip();
    if (t.matches("-?\\d+")) {
      return new ById(Long.parseLong(t)); // NumberFormatException is an IllegalArgumentException
    }
    String username = Person.usernameKey(t);
    if (username.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' names no user");
    }
    return new ByUsername(username);
  }
}
