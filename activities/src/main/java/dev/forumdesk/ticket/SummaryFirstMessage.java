package dev.forumdesk.ticket;

import java.util.Optional;

/**
 * The customer's first message for a Level 2 summary the workflow wrote without it (audit 12, F1):
 * an escalation by the API or a supervisor's /escalate in a ticket's first seconds, or one that
 * overtook the customer's message in a burst. Level 2 reads the summary instead of the customer's
 * topic. The workflow's summary stays as it was written, so its history does; the activity that
 * posts it asks this for the text to post: {@link FirstMessageFromReadModel} adds the message from
 * the read model, {@link #AS_WRITTEN} posts the summary as the workflow wrote it.
 */
public interface SummaryFirstMessage {
  /** The summary as the workflow wrote it: what a desk without a read model and inbox to look at posts. */
  SummaryFirstMessage AS_WRITTEN = new SummaryFirstMessage() {
    @Override
    public Optional<String> whenItCame(String ticketId, String summaryHtml) {
      return Optional.of(summaryHtml);
    }

    @Override
    public String now(String ticketId, String summaryHtml) {
      return summaryHtml;
    }

    @Override
    public String toString() {
      return "the Level 2 summary as written";
    }
  };

  /**
   * The summary to post now, with the first message if the ticket has one; empty while it may still
   * come, and the caller asks again a little later.
   */
  Optional<String> whenItCame(String ticketId, String summaryHtml);

  /** The summary with the first message known now, without waiting for one. */
  String now(String ticketId, String summaryHtml);
}
