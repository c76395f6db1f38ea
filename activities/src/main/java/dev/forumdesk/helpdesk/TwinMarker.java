package dev.forumdesk.helpdesk;

/**
 * The line that ends a twin's first message there, {@code (Forumdesk ticket-<chat>-<thread>)}: it
 * tells agents which ticket it mirrors, and it is how a twin made by an attempt whose answer was
 * lost is recognised. The parentheses delimit the id, so ticket-1-2's marker is not found in
 * ticket-1-23's.
 */
final class TwinMarker {
  private TwinMarker() {}

  static String of(String ticketId) {
    return "(Forumdesk " + ticketId + ")";
  }

  /** The content with the marker as its last paragraph. */
  static String appendTo(String content, String ticketId) {
    return content == null || content.isBlank() ? of(ticketId) : content + "\n\n" + of(ticketId);
  }

  static boolean in(String content, String ticketId) {
    return content != null && content.contains(of(ticketId));
  }

  /**
   * The line that ends a comment there, {@code (Forumdesk message <event id>)}: a retry whose
   * earlier attempt's answer was lost looks for it before it comments again.
   */
  static String ofMessage(String eventId) {
    return "(Forumdesk message " + eventId + ")";
  }

  /** The comment with its message's stamp as its last paragraph. */
  static String stampMessage(String text, String eventId) {
    return (text == null || text.isBlank() ? "" : text + "\n\n") + ofMessage(eventId);
  }
}
