package dev.forumdesk.app;

import dev.forumdesk.ingress.Relay;
import dev.forumdesk.outbox.Fallback;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Telegram refuses a message for good: a DM with a fallback (the agent never started the
 * bot) is replaced by its fallback, stored with it and placed now ({@link PrivateNotes#whenRefused}: the
 * topic, the staff forum, or nothing where the customer reads the topic), and the ticket notes in
 * its audit what went instead. In relay mode a message to the customer's private chat has no
 * fallback: the ticket hears that they did not get it ({@link TicketEvent.NotDelivered}).
 *
 * <p>A person's private chat refused is their state, not one message's failure: the first refusal
 * to them is a WARN, the later ones (every notice while they have not started the bot: audit 9 saw
 * 53 WARNs in 8 minutes for one supervisor) DEBUG; {@code /observe/health} lists the staff it
 * concerns ({@link PrivateChats}), and the supervisors are told once per staff member where the
 * desk's notices go ({@link SupervisorNotices}, keyed by the person: once across restarts and replicas).
 */
final class RefusedDelivery implements BiConsumer<OutboxRow, SendOutcome.Rejected> {
  private static final Logger log = LoggerFactory.getLogger(RefusedDelivery.class);

  private final Outbox outbox;
  private final WorkflowClient client;
  private final SupervisorNotices notices;
  private final StaffPlaces places;
  /**
   * The private chats whose refusal this process logged at WARN, each with the id of the last
   * private message to them Telegram took then.
   */
  private final Map<Long, Optional<Long>> warned = new ConcurrentHashMap<>();
  private final PrivateNotes notes;

  RefusedDelivery(Outbox outbox, WorkflowClient client, SupervisorNotices notices, StaffPlaces places) {
    this.outbox = outbox;
    this.client = client;
    this.notices = notices;
    this.places = places;
    this.notes = new PrivateNotes(outbox, places);
  }

  /**
   * Only a 403 ({@link SendOutcome.Rejected#chatClosed}) is the person's private chat closed to the
   * bot: a DM refused for another reason (400 "message is too long") is that message's failure, a
   * WARN of its own; its fallback still goes, and nobody is told to start a private chat they have
   * (audit 16, F1).
   */
  @Override
  public void accept(OutboxRow row, SendOutcome.Rejected refusal) {
    String reason = refusal.description();
    boolean privateChat = row.chatId() > 0 && row.threadId() == null;
    if (privateChat && refusal.chatClosed()) {
      logPrivateChatRefused(row, reason);
    }
    outbox.refusalOf(row.id()).ifPresent(r -> {
      if (r.ticketId() == null) {
        return;
      }
      if (r.fallback() == null) {
        if (row.chatId() > 0) { // a private chat with no fallback: relay mode's customer
          notDelivered(row, r.ticketId(), reason);
        }
        return;
      }
      Fallback f = notes.whenRefused(r.fallback());
      if (f.sendsSomething()) {
        outbox.enqueue(row.kind(), f.key(), f.chatId(), f.threadId(), row.method(), f.payload(), f.priority(), r.ticketId(), null);
      }
      try {
        client.newUntypedWorkflowStub(r.ticketId()).signal("event", new TicketEvent.DeliveryRefused(
            "refused:" + row.key(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null, Role.SYSTEM,
            "DM to " + row.chatId(), reason, row.chatId(),
            refusal.chatClosed() ? f.instead() : PrivateNotes.notForTheChat(f.instead())));
      } catch (WorkflowNotFoundException e) {
        log.info("ticket {} is closed; DM fallback sent without an audit note", r.ticketId());
      }
    });
  }

  private void logPrivateChatRefused(OutboxRow row, String reason) {
    // since their last private message Telegram took: a person who starts the bot and later blocks
    // it is told of again, once
    Optional<Long> since = outbox.lastPrivateSent(row.chatId());
    if (since.equals(warned.put(row.chatId(), since))) {
      log.debug("Telegram refused private message {} for good: {}", row.key(), reason);
      return;
    }
    log.warn("Telegram refuses private messages to {} ({}: {}); until they start a private chat with the bot"
        + " they get none (later refusals are logged at DEBUG)", row.chatId(), row.key(), reason);
    // once per person across restarts and replicas, wherever it went (a staff forum then, DMs now);
    // never to them, nor to another supervisor whose private chat refuses too
    places.staff().stream().filter(p -> p.id() == row.chatId()).findFirst().ifPresent(p -> notices.noticeOnce(
        "private-chat-refused:" + p.id() + since.map(id -> ":after-" + id).orElse(""),
        "📵 Forumdesk cannot write to " + Html.escape(p.name())
            + (p.username() == null ? "" : " (@" + Html.escape(p.username()) + ")") + " privately ("
            + Html.escape(OneLine.of(reason, 200)) + "): they get no private notes or notices until they start a"
            + " private chat with the bot. <code>/observe/health</code> lists who else.",
        s -> s.id() == p.id() || outbox.lastPrivateDelivered(s.id()).equals(Optional.of(false))));
  }

  /**
   * Relay mode: the customer never got a message of their ticket (they blocked the bot). The ticket
   * audits it, tells the agents in the topic, and takes back a first response that never arrived.
   */
  private void notDelivered(OutboxRow row, String ticketId, String reason) {
    int relayed = row.key().indexOf(Relay.OUT_KEY);
    String reply = relayed < 0 ? null : row.key().substring(relayed + Relay.OUT_KEY.length());
    String what = reply != null ? "an agent's reply"
        : row.key().contains(":resolved:") ? "the notice that their request is resolved" : "a message";
    try {
      client.newUntypedWorkflowStub(ticketId).signal("event", new TicketEvent.NotDelivered(
          "not-delivered:" + row.key(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null, Role.SYSTEM, what, reply,
          reason));
    } catch (WorkflowNotFoundException e) {
      log.info("ticket {} is closed; not delivered to its customer: {}", ticketId, row.key());
    }
  }
}
