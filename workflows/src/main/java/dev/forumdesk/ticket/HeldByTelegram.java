package dev.forumdesk.ticket;

import java.util.ArrayList;
import java.util.List;

/**
 * Lifecycle rules 13: the updates Telegram still holds for us, undelivered, in a ticket's backlog
 * ({@link TicketActivities#inboxBacklog}). After an outage Telegram sends its queue again at its own
 * pace: an agent's reply written before a deadline may still be at Telegram when the restored ticket
 * looks at its late deadlines, and the inbox has no row of it yet. Which tickets those updates are for
 * is unknown until they come, so every late deadline waits for them, within the same grace
 * ({@link TicketWorkflowImpl#BACKLOG_GRACE}) as for the inbox's rows.
 *
 * <p>The answer stays a list of update ids, so the workflow takes it as it always did (no new command,
 * no rules version): after the inbox's rows, one entry {@code -N} when Telegram holds N updates. No
 * Telegram update id is negative, so the run never sees one by that id: it waits for it until a look
 * at the backlog no longer has it (Telegram delivered them), as for a row still in the inbox.
 */
public final class HeldByTelegram {
  private HeldByTelegram() {}

  /** The inbox's {@code rows}, then {@code -held} when Telegram holds {@code held} updates for us. */
  public static List<Long> answer(List<Long> rows, long held) {
    if (held <= 0) {
      return rows;
    }
    List<Long> out = new ArrayList<>(rows.size() + 1);
    out.addAll(rows);
    out.add(-held);
    return out;
  }

  /** How many updates Telegram held for us by a backlog's {@code answer}: 0 when it says none. */
  public static long held(List<Long> answer) {
    return answer.stream().filter(u -> u < 0).mapToLong(u -> -u).sum();
  }
}
