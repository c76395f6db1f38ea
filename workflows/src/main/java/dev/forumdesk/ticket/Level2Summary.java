package dev.forumdesk.ticket;

/**
 * The first message of a Level 2 topic: the ticket, a link to its topic, the customer, the
 * escalation's reason and the customer's first message. The reason is written for staff (an
 * agent's words, SLA words); where customers read the Level 2 topic (group mode with the Level 2
 * forum their own) the activity posts {@link #forCustomers} instead. The workflow builds the summary
 * as it always did, so its history stays the same; the activity adds the first message the workflow
 * did not have yet ({@link #withFirstMessage}).
 */
public final class Level2Summary {
  private static final String REASON = "\nReason: ";
  private static final String FIRST_MESSAGE = "\nFirst message: ";

  private Level2Summary() {}

  static String of(String title, String link, String reason, Person customer, String firstMessage) {
    return "Level 2 escalation of <b>" + Html.escape(title) + "</b> (" + link + ")\n"
        + "Customer: " + Html.escape(customer == null ? "?" : customer.name())
        + REASON + Html.escape(reason) + "\n"
        + (firstMessage == null ? "" : FIRST_MESSAGE.substring(1) + Html.escape(firstMessage));
  }

  /** Telegram's 4,096, less room for the line before the message. */
  private static final int FIRST_MESSAGE_AFTER_MAX = 3_900;

  /**
   * The customer's first message, posted in the Level 2 topic after a summary that went without it
   * (lifecycle rules 8: it came after {@code routing.first-message-wait}).
   */
  static String firstMessageAfter(Person customer, String firstMessage) {
    return "First message from " + Html.escape(customer == null ? "the customer" : customer.name())
        + ", which came after the summary:\n"
        + Html.escape(dev.forumdesk.text.Cut.to(firstMessage, FIRST_MESSAGE_AFTER_MAX));
  }

  /**
   * Whether the summary may lack the customer's first message: the workflow wrote it before that
   * message had reached the ticket (an escalation in its first seconds, audit 12, F1), so it ends with
   * its reason's line. One whose first message ends with a line break looks so too; {@link
   * #withFirstMessage} leaves it as it is.
   */
  public static boolean mayLackFirstMessage(String summaryHtml) {
    return summaryHtml.endsWith("\n");
  }

  /** The summary with the customer's first message, where it has none yet ({@link #mayLackFirstMessage}). */
  public static String withFirstMessage(String summaryHtml, String firstMessage) {
    String line = FIRST_MESSAGE.substring(1) + Html.escape(firstMessage);
    return !mayLackFirstMessage(summaryHtml) || summaryHtml.endsWith("\n" + line) ? summaryHtml : summaryHtml + line;
  }

  /**
   * The summary without its reason: what comes before the reason's line and the first message
   * (the last "First message: " line, as a reason may have lines of its own). Fails closed: a text
   * that has no reason's line keeps only its first line, the ticket's title and link.
   */
  public static String forCustomers(String summaryHtml) {
    int reason = summaryHtml.indexOf(REASON);
    if (reason < 0) {
      int firstLine = summaryHtml.indexOf('\n');
      return firstLine < 0 ? summaryHtml : summaryHtml.substring(0, firstLine);
    }
    int firstMessage = summaryHtml.lastIndexOf(FIRST_MESSAGE);
    return summaryHtml.substring(0, reason + 1)
        + (firstMessage <= reason ? "" : summaryHtml.substring(firstMessage + 1));
  }
}
