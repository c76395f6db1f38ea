package dev.forumdesk.outbox;

import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.TicketEvent;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private messages to staff through the outbox, each with what replaces it if Telegram refuses it
 * (the person never started the bot). The ticket's topic used to get the note with a mention; in
 * group mode the customer reads that topic ("@boris 😟 The customer in App crash sounds upset"),
 * so there the note goes to the staff forum, or, without one, only a neutral mention goes to the
 * topic: the person learns to look, the customer reads nothing about themselves.
 */
public final class PrivateNotes {
  static final String TO_STAFF_FORUM = "posted in the staff forum instead";
  static final String MENTION_ONLY = "mentioned them in the topic instead, without the note";
  static final String NOT_POSTED =
      "not posted: the customer reads the topic, and there is no staff forum (support.level2-chat-id)";
  private static final Logger log = LoggerFactory.getLogger(PrivateNotes.class);

  private final Outbox outbox;
  private final StaffPlaces places;

  public PrivateNotes(Outbox outbox, StaffPlaces places) {
    this.outbox = outbox;
    this.places = places;
  }

  /**
   * @param dm the private message ({@code chatId}: the person's Telegram id)
   * @param inTopic the note as the ticket's topic would get it, with the person's mention
   * @param neutral what a customer may read instead, given the person's mention (HTML)
   */
  public void send(String ticketId, OutboundMessage dm, OutboundMessage inTopic,
      Function<String, String> neutral) {
    outbox.enqueue(dm, ticketId, fallback(dm, inTopic, neutral).json());
  }

  /** A note about the ticket, whose neutral mention is "@boris, please take a look at this ticket." */
  public void send(String ticketId, OutboundMessage dm, OutboundMessage inTopic) {
    send(ticketId, dm, inTopic, mention -> mention + ", please take a look at this ticket.");
  }

  /**
   * A note for staff that has nobody to address it to (a ticket with no assignee, a desk with no
   * supervisors). Where only agents read the ticket's topic (relay mode) it goes there; in group
   * mode to the staff forum; without one, nowhere, with a WARN: the desk needs supervisors or a
   * staff forum to hear of it.
   *
   * @param inTopic the note as the ticket's topic would get it
   * @return what happened instead of the topic, for the ticket's audit; empty when the topic got it
   */
  public Optional<String> withoutRecipient(String ticketId, OutboundMessage inTopic) {
    if (!places.customersRead(inTopic.chatId())) {
      outbox.enqueue(inTopic, ticketId, null);
      return Optional.empty();
    }
    Optional<Long> staff = places.staffForum();
    if (staff.isPresent()) {
      outbox.enqueue(new OutboundMessage(inTopic.key(), staff.get(), null, inTopic.html(), inTopic.priority()),
          ticketId, null);
      return Optional.of(TO_STAFF_FORUM);
    }
    log.warn("{}: a note for staff ({}) had nobody to go to and was not posted, since the customer reads"
        + " the topic; configure support.supervisors, or a staff forum as support.level2-chat-id", ticketId,
        inTopic.key());
    return Optional.of(NOT_POSTED);
  }

  private Fallback fallback(OutboundMessage dm, OutboundMessage inTopic, Function<String, String> neutral) {
    if (!places.customersRead(inTopic.chatId())) {
      return Fallback.of(inTopic, TicketEvent.DeliveryRefused.IN_THE_TOPIC);
    }
    return places.staffForum()
        .map(staff -> Fallback.of(new OutboundMessage(inTopic.key(), staff, null, inTopic.html(), inTopic.priority()),
            TO_STAFF_FORUM))
        .orElseGet(() -> {
          Person to = places.staffMember(dm.chatId());
          return Fallback.of(new OutboundMessage(inTopic.key(), inTopic.chatId(), inTopic.threadId(),
              neutral.apply(to.mention()), inTopic.priority()), MENTION_ONLY);
        });
  }
}
