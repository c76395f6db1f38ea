package dev.forumdesk.helpdesk;

/** The help desk did not do what was asked: unreachable, refused, or answered in an unexpected shape. */
public final class HelpDeskException extends RuntimeException {
  public HelpDeskException(String message) {
    super(message);
  }

  public HelpDeskException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether no answer came (a timeout, a reset): the help desk may have done what was asked all
   * the same, later. An answer, even an error, says it did not.
   */
  public boolean answerLost() {
    return getCause() instanceof java.io.IOException;
  }
}
