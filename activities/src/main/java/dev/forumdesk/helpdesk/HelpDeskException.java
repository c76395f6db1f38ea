package dev.forumdesk.helpdesk;

/** The help desk did not do what was asked: unreachable, refused, or answered in an unexpected shape. */
public final class HelpDeskException extends RuntimeException {
  /** The help desk's HTTP status when it answered with an error, else 0 (no answer, or an unexpected one). */
  private final int httpStatus;
  /** Whether the 404 was for the ticket the call named (not a wrong URL). */
  private final boolean ticketMissing;

  public HelpDeskException(String message) {
    this(message, 0, false);
  }

  public HelpDeskException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = 0;
    this.ticketMissing = false;
  }

  /**
   * An error answer: {@code httpStatus} as the help desk sent it; {@code ticketMissing} when it was a
   * 404 for the ticket the call named.
   */
  public HelpDeskException(String message, int httpStatus, boolean ticketMissing) {
    super(message);
    this.httpStatus = httpStatus;
    this.ticketMissing = ticketMissing;
  }

  /** The help desk's HTTP status of the error answer; 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Whether no answer came (a timeout, a reset): the help desk may have done what was asked all
   * the same, later. An answer, even an error, says it did not.
   */
  public boolean answerLost() {
    return getCause() instanceof java.io.IOException;
  }

  /** Whether the help desk said the ticket the call named does not exist (HTTP 404): deleted there. */
  public boolean ticketGone() {
    return ticketMissing && httpStatus == 404;
  }

  /**
   * Whether the help desk refused this request's content for good (HTTP 400, 413, 422): sending it
   * again gets the same answer. Not a 401/403 (the credentials or rights, which an admin fixes), a
   * 404, a 409/429 or a 5xx, which are tried again.
   */
  public boolean refusedForGood() {
    return httpStatus == 400 || httpStatus == 413 || httpStatus == 422;
  }
}
