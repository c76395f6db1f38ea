package dev.forumdesk.ticket;

import dev.forumdesk.text.Cut;
import dev.forumdesk.text.TelegramHtml;

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
    String summary = "Level 2 escalation of <b>" + Html.escape(Cut.to(title, TITLE_MAX)) + "</b> (" + link + ")\n"
        + "Customer: " + Html.escape(customer == null ? "?" : Cut.to(customer.name(), NAME_MAX))
        + REASON + Html.escape(Cut.to(reason, REASON_MAX)) + "\n";
    return firstMessage == null ? summary : summary + firstMessageLine(summary, firstMessage);
  }

  /** A topic's name at Telegram's most. */
  private static final int TITLE_MAX = 128;
  /** A person's first and last name at Telegram's most. */
  private static final int NAME_MAX = 128;
  /** A reason at the API's most (an /escalate's is refused over it, an SLA's is short). */
  static final int REASON_MAX = 1000;
  /**
   * What a summary may take of Telegram's 4,096 after entity parsing: the rest is room for what is
   * put before it where it goes (a person's mention before a refused DM's fallback, a ticket's link
   * before a note to staff).
   */
  static final int SUMMARY_MAX = TelegramHtml.MESSAGE_MAX - 200;

  /**
   * The summary's last line: the customer's first message, cut with "…" to what the summary before
   * it leaves of {@link #SUMMARY_MAX} (a first message may have Telegram's whole 4,096 by itself,
   * and a summary over the limit is refused for good, leaving the Level 2 topic empty: audit 16, F1).
   */
  private static String firstMessageLine(String summary, String firstMessage) {
    String start = FIRST_MESSAGE.substring(1);
    int room = SUMMARY_MAX - TelegramHtml.length(summary) - start.length();
    return start + Html.escape(Cut.to(firstMessage, Math.max(1, room)));
  }

  /** Telegram's 4,096, less room for the line before the message. */
  private static final int FIRST_MESSAGE_AFTER_MAX = 3_900;

  /**
   * The customer's first message, posted in the Level 2 topic after a summary that went without it
   * (lifecycle rules 8: it came after {@code routing.first-message-wait}).
   */
  static String firstMessageAfter(Person customer, String firstMessage) {
    return "First message from " + Html.escape(customer == null ? "the customer" : Cut.to(customer.name(), NAME_MAX))
        + ", which came after the summary:\n"
        + Html.escape(Cut.to(firstMessage, FIRST_MESSAGE_AFTER_MAX));
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
    // a summary whose first message ends with a line break has it whole: a cut one ends with "…"
    boolean has = summaryHtml.endsWith("\n" + FIRST_MESSAGE.substring(1) + Html.escape(firstMessage));
    return !mayLackFirstMessage(summaryHtml) || has ? summaryHtml : summaryHtml + firstMessageLine(summaryHtml, firstMessage);
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
