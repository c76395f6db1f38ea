package dev.forumdesk.helpdesk;

/** The help desk did not do what was asked: unreachable, refused, or answered in an unexpected shape. */
public final class HelpDeskException extends RuntimeException {
  public HelpDeskException(String message) {
    super(message);
  }

  public HelpDeskException(String message, Throwable cause) {
    super(message, cause);
  }
}
