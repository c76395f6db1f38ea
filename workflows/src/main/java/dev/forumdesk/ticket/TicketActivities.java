package dev.forumdesk.ticket;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The ticket's side effects. Each is idempotent, keyed by ticket id and version or event id. */
@ActivityInterface
public interface TicketActivities {
  /** Writes the snapshot to the read model unless a newer version is already there. */
  void project(TicketState state);

  /**
   * Applies a projection (the whole snapshot or what changed since the last one) to the read
   * model, unless a newer version is already there.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@link Projection#GAP} when a delta
   *     does not follow the stored snapshot; the workflow then sends the whole snapshot
   */
  void projectChanges(Projection projection);

  /** Enqueues a bot message in the outbox (sent later by the rate-aware sender). */
  void post(OutboundMessage message);

  /** Enqueues a private message; if Telegram refuses it, the fallback goes to the topic. */
  void directMessage(String ticketId, OutboundMessage message, OutboundMessage fallback);

  /**
   * Enqueues at once what the customer reads of a staff notice the workflow holds back (lifecycle
   * rules 11: "⬆️ Escalated to Level 2", waiting for its Level 2 topic): in group mode its neutral
   * line in the ticket's topic, as {@link #post} would queue it, under the notice's key; nothing
   * where customers do not read the notice's place (relay mode). The notice's own {@link #post}
   * later finds that key taken and queues only the staff's part.
   */
  void customerLine(OutboundMessage notice);

  /**
   * Sends a note for staff that has nobody to address it to (no assignee and no supervisors; an
   * escalation with no supervisors): in the topic where only agents read it (relay mode), else to
   * the staff forum, else nowhere.
   *
   * @param note as the ticket's topic would get it
   * @return what happened instead of the topic, for the audit ("posted in the staff forum
   *     instead"); empty when the topic got it
   */
  Optional<String> staffNote(String ticketId, OutboundMessage note);

  /**
   * The failure type of an escalation {@link #openLevel2Topic} gives no Level 2 topic, since customers
   * read the Level 2 forum of now; its message says where the summary went instead, for the audit.
   */
  String NO_LEVEL2_FORUM = "NoLevel2Forum";

  /**
   * Creates (once per run) the Level 2 topic, posts the summary there and returns its thread id. Where
   * is the activity's decision, from the configuration in force, not {@code level2ChatId} (the
   * ticket's start configuration's): with no staff forum now it opens none and fails with {@link
   * #NO_LEVEL2_FORUM}.
   *
   * @param run which run's escalation: the start of its outbox keys, the ticket id for a ticket's
   *     first run and {@code <ticket id>:after:<previous run>} for a follow-up, which gets a topic of
   *     its own; null (runs under lifecycle rules before 2, calls scheduled before it existed) for
   *     the ticket's one topic
   */
  long openLevel2Topic(String ticketId, long level2ChatId, String title, String summaryHtml, String run);

  /**
   * As {@link #openLevel2Topic}, telling more of what it did (lifecycle rules 8): the topic's forum,
   * whether a restart interrupted an earlier call for it (an empty topic may be left), and whether
   * the summary carries the customer's first message. Runs of rules before 8 call {@link
   * #openLevel2Topic}, whose thread id their histories recorded.
   */
  Level2TopicOpened openLevel2TopicDetailed(
      String ticketId, long level2ChatId, String title, String summaryHtml, String run);

  /** Other tickets (not this one) the customer opened since then, from the read model. */
  int otherRecentTickets(String ticketId, long customerId, Instant since);

  /** The last snapshot of this ticket id when its previous run ended CLOSED (for a follow-up). */
  Optional<TicketState> closedPredecessor(String ticketId);

  /** Counts an SLA breach in the metrics. */
  void breach(String ticketId, String clock);

  /**
   * Lifecycle rules 13: the Telegram updates that wait in the inbox for this ticket and no projection
   * shows yet (its topic's, and in relay mode its customer's private messages, {@code customerId}'s):
   * their update ids, oldest first. The run leaves out those it has seen (event id "u" or "e" and the
   * id); the rest are on their way to it, and a late deadline waits for them. Last, {@code -N} when
   * Telegram still holds N undelivered updates for us ({@link HeldByTelegram}): any may be this
   * ticket's, and the late deadline waits for them too.
   */
  List<Long> inboxBacklog(String ticketId, Long customerId);
}
