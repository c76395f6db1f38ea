package dev.forumdesk.outbox;

import dev.forumdesk.store.Outbox;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Level2Summary;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.StaffNotice;
import dev.forumdesk.ticket.TicketEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes for staff, kept out of what customers read: the staff notices the workflow posts in a
 * ticket's topic ({@link #inTopic}), and private messages through the outbox, each with what
 * replaces it if Telegram refuses it (the person never started the bot). The ticket's topic used
 * to get the note with a mention; in group mode the customer reads that topic ("@boris 😟 The
 * customer in App crash sounds upset"), so there the note goes to the staff forum, or, without
 * one, nowhere: a staff member's missing private chat is the staff's problem, told to them where
 * staff look (one WARN and one supervisors' notice per person, {@code /observe/health}'s
 * {@code privateChats}: the app's RefusedDelivery and PrivateChats), not in the
 * customers' topics, whose messages share the forum's budget with the customers' acknowledgements
 * (audit 9: 58 "@sue_lead, please take a look at this ticket." in 17 customers' topics in 8 min,
 * for one supervisor who had not started the bot, held an acknowledgement back 86 s).
 */
public final class PrivateNotes {
  static final String TO_STAFF_FORUM = "posted in the staff forum instead";
  static final String NOT_POSTED =
      "not posted: the customer reads the topic, and there is no staff forum (support.level2-chat-id)";
  static final String NOT_REACHED =
      NOT_POSTED + "; nothing reaches them privately until they start a private chat with the bot";
  /**
   * Where a refused DM's fallback went, for the audit, when the refusal was the message's (400
   * "message is too long"), not the person's private chat closed to the bot: without "nothing
   * reaches them privately until they start a private chat with the bot", which they may have.
   */
  public static String notForTheChat(String instead) {
    return NOT_REACHED.equals(instead) ? NOT_POSTED : instead;
  }

  /** How /priority's answer starts (Transitions.command): "Priority is now LOW.", "Priority is already LOW." */
  private static final String PRIORITY_ANSWER = "Priority is ";
  /** The cause in a Level 2 summary's outbox key after the run's key (TicketActivitiesImpl#openLevel2Topic). */
  public static final String LEVEL2_SUMMARY_KEY = "l2-summary";
  private static final Logger log = LoggerFactory.getLogger(PrivateNotes.class);
  /** The priority of a notice that points to a Level 2 topic, in its forum: after the topic's ({@link #afterItsTopic}). */
  static final int AFTER_ITS_TOPIC = NewTopics.PRIORITY + 1;
  private static final String MENTION = "(?:@\\w+|<a href=\"tg://user\\?id=\\d+\">[^<]*</a>)";
  /** The mentions that end a notice calling the supervisors ({@link Person#mention}, Notices.mentions). */
  private static final Pattern CALLED = Pattern.compile(MENTION + "(?: " + MENTION + ")*, please take a look\\.$");

  private final Outbox outbox;
  private final StaffPlaces places;
  private final Acknowledgement acknowledgement;

  public PrivateNotes(Outbox outbox, StaffPlaces places) {
    this(outbox, places, Acknowledgement.ENGLISH_ONLY);
  }

  /** @param acknowledgement puts the workflow's acknowledgement of a new ticket in the customer's language */
  public PrivateNotes(Outbox outbox, StaffPlaces places, Acknowledgement acknowledgement) {
    this.outbox = outbox;
    this.places = places;
    this.acknowledgement = acknowledgement;
  }

  /**
   * @param dm the private message ({@code chatId}: the person's Telegram id)
   * @param inTopic the note as the ticket's topic would get it, with the person's mention: where
   *     customers do not read it (relay mode) or in the staff forum, it goes there instead, as
   *     placed when Telegram refuses the DM ({@link #whenRefused})
   */
  public void send(String ticketId, OutboundMessage dm, OutboundMessage inTopic) {
    send(MessageKind.ofWorkflow(dm), ticketId, dm, inTopic);
  }

  /** As {@link #send(String, OutboundMessage, OutboundMessage)}, of a kind the caller knows; its fallback is of it too. */
  void send(MessageKind kind, String ticketId, OutboundMessage dm, OutboundMessage inTopic) {
    outbox.enqueue(kind, dm, ticketId, Fallback.unplaced(inTopic).json());
  }

  /**
   * What replaces a DM {@link #send} queued, now that Telegram refused it: placed by where staff
   * read now (the staff forum, the topic in relay mode, or nothing), not where they did when it was
   * queued: a restart in between may have removed the staff forum or changed it (audit 10, F8: a
   * refused digest queued before a restart was posted in the forum the desk no longer used). A
   * fallback stored placed (by the version before) goes where it was placed.
   *
   * @param stored the outbox row's fallback column
   */
  public Fallback whenRefused(String stored) {
    Fallback f = Fallback.read(stored);
    return f.placed() ? f : fallback(f.message());
  }

  /**
   * Where a private message to {@code person} ({@link #send}) is likely to end up, said by their
   * name as a past participle where they typed the command ("Full routing detail " + this + "."),
   * which in group mode the customer reads too (so never "you"): by what became of the last one,
   * since this one goes out later.
   */
  public String whereItGoes(Person person) {
    Optional<Boolean> delivered = outbox.lastPrivateDelivered(person.id());
    boolean staffForum = places.staffForum().isPresent();
    String n = person.name();
    if (delivered.orElse(false)) {
      return "sent to " + n + " privately";
    }
    if (delivered.isEmpty()) {
      return staffForum
          ? "sent to " + n + " privately, or to the staff forum if " + n + " has not started a private chat with the bot"
          : "sent to " + n + " privately, if " + n + " has started a private chat with the bot";
    }
    return staffForum
        ? "posted in the staff forum: the bot cannot write to " + n + " privately until " + n
            + " starts a private chat with it"
        : "could not be sent to " + n + " privately: " + n + " needs to start a private chat with the bot, then ask"
            + " again";
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
    return withoutRecipient(MessageKind.ofWorkflow(inTopic), ticketId, inTopic);
  }

  /** As {@link #withoutRecipient(String, OutboundMessage)}, of a kind the caller knows. */
  private Optional<String> withoutRecipient(MessageKind kind, String ticketId, OutboundMessage inTopic) {
    if (!places.customersRead(inTopic.chatId())) {
      outbox.enqueue(kind, afterItsTopic(kind, inTopic), ticketId, null);
      return Optional.empty();
    }
    Optional<Long> staff = places.staffForum();
    if (staff.isPresent()) {
      outbox.enqueue(kind, afterItsTopic(kind,
              new OutboundMessage(inTopic.key(), staff.get(), null, inTopic.html(), inTopic.priority())),
          ticketId, null);
      return Optional.of(TO_STAFF_FORUM);
    }
    log.warn("{}: a note for staff ({}) had nobody to go to and was not posted, since the customer reads"
        + " the topic; configure support.supervisors, or a staff forum as support.level2-chat-id", ticketId,
        inTopic.key());
    return Optional.of(NOT_POSTED);
  }

  /**
   * A bot message for a ticket's topic, as the workflow posts it. In group mode the customer reads
   * the topic, so a notice written for staff ({@link StaffNotice}: a breach, the escalation chain,
   * /hold's and /escalate's answers, a resume: reasons, SLA words, the supervisors' mention) shows
   * there as its neutral line, or not at all, and goes in full, under the ticket's link, where staff
   * read: the staff forum; without one, to the supervisors it calls, by DM (as {@link #send}); a
   * breach with nobody to call is not posted, with a WARN ({@link #withoutRecipient}). /status's
   * card shows the status in words ({@link StatusCard}), and /priority's answer nothing
   * ({@link #answersPriority}): who asked gets them by DM (CommandAnswers). A hold, a
   * resume or an escalation that calls nobody needs nothing more: the topic's line says it, and the
   * ticket's audit keeps the reason. Relay mode posts every message as it is: the topic is the
   * agents' own.
   *
   * @param link the ticket's topic linked under its title, given the ticket's id
   */
  public void inTopic(OutboundMessage posted, Function<String, String> link) {
    OutboundMessage m = acknowledgement.localize(posted, ticketOf(posted.key()));
    MessageKind kind = MessageKind.ofWorkflow(m);
    // /status's card: the status in words; the one who asked gets the card by DM (CommandAnswers)
    Optional<String> card = places.customersRead(m.chatId()) ? StatusCard.forCustomer(m) : Optional.empty();
    if (card.isPresent()) {
      outbox.enqueue(kind, new OutboundMessage(m.key(), m.chatId(), m.threadId(), card.get(), m.priority()), null, null);
      return;
    }
    if (places.customersRead(m.chatId()) && m.key().contains(":reply:") && answersPriority(m.html())) {
      return; // the staff member who typed it gets it by DM (CommandAnswers), an API action's caller in its answer
    }
    Optional<StaffNotice> staffOnly = places.customersRead(m.chatId()) ? StaffNotice.of(m.html()) : Optional.empty();
    if (staffOnly.isEmpty()) {
      outbox.enqueue(kind, afterItsTopic(kind, m), null, null);
      return;
    }
    StaffNotice notice = staffOnly.get();
    queueCustomersLine(kind, m, notice);
    String ticketId = ticketOf(m.key());
    OutboundMessage full = new OutboundMessage(m.key() + ":staff", m.chatId(), m.threadId(),
        link.apply(ticketId) + "\n" + m.html(), m.priority());
    List<Person> supervisors = places.supervisors();
    if (places.staffForum().isEmpty() && notice.callsSupervisors() && !supervisors.isEmpty()) {
      String dm = toItsReader(full.html());
      for (Person s : supervisors) {
        if (notice == StaffNotice.ESCALATION_CHAIN && level2SummaryDmd(m.key(), s)) {
          continue;
        }
        send(kind, ticketId, new OutboundMessage(full.key() + ":dm:" + s.id(), s.id(), null, dm, full.priority()),
            new OutboundMessage(full.key() + ":fallback:" + s.id(), m.chatId(), m.threadId(),
                s.mention() + " " + full.html(), full.priority()));
      }
    } else if (places.staffForum().isPresent() || notice.forCustomer().isEmpty()) {
      withoutRecipient(kind, ticketId, full);
    }
  }

  /**
   * What the customer reads of a staff notice the workflow holds back for a while (lifecycle rules 11:
   * "⬆️ Escalated to Level 2" waits for its Level 2 topic), queued now: where customers read the
   * notice's place (group mode, the ticket's topic), its neutral line ("⬆️ A specialist will join
   * shortly."), exactly as {@link #inTopic} queues it, under the notice's key; nothing where they do not
   * (relay mode, a Level 2 topic: the notice goes there in full when its turn comes), nor for a notice
   * with no line for them (a breach, the escalation chain). When the notice itself comes, {@link
   * #inTopic} finds its line's key taken and queues only the staff's part, so the customer reads it
   * once, and no longer waits for a Level 2 topic they never see (minutes in a busy staff forum).
   */
  public void customerLine(OutboundMessage notice) {
    if (places.customersRead(notice.chatId())) {
      StaffNotice.of(notice.html()).ifPresent(n -> queueCustomersLine(MessageKind.ofWorkflow(notice), notice, n));
    }
  }

  /** {@code notice}'s neutral line in the customer's topic, if it has one, under the notice's key. */
  private void queueCustomersLine(MessageKind kind, OutboundMessage m, StaffNotice notice) {
    notice.forCustomer().ifPresent(line ->
        outbox.enqueue(kind, new OutboundMessage(m.key(), m.chatId(), m.threadId(), line, m.priority()), null, null));
  }

  /**
   * "⬆️ Escalated to Level 2" ({@link MessageKind#ESCALATED}), a person's escalation calling the
   * supervisors, goes before the breaches and chain notices of its chat ({@link
   * OutboundMessage#ESCALATION}), and may take the part of a staff group's budget kept for the
   * supervisors' calls: in a storm of 26 breaches it waited 2 min 48 s behind their notices and the
   * Level 2 topics (audit 16). It lends its turn to its ticket's older messages there, the Level 2
   * summary among them ({@code Outbox#takeTurn}), so the summary still goes before the notice.
   *
   * <p>Where the escalation opens its Level 2 topic ({@link #level2Forum}: the staff forum, or relay
   * mode's forum) and that topic is not open yet, its turn still comes after the topic's ({@link
   * NewTopics#PRIORITY}): a ticket on rules before 10 queues the notice before its topic (audit 14,
   * F1: in a burst of escalations the notices took the group's first 20 messages a minute before the
   * topics they point to opened). Since lifecycle rules 10 the workflow queues the notice, and the
   * chain's call, only once the topic's activity has answered: the topic is open then.
   */
  private OutboundMessage afterItsTopic(MessageKind kind, OutboundMessage m) {
    if (kind != MessageKind.ESCALATED) {
      return m;
    }
    if (places.level2Forum().equals(Optional.of(m.chatId())) && !outbox.topicOpened(m.chatId(), ticketOf(m.key()))) {
      return m.priority() > NewTopics.PRIORITY ? m
          : new OutboundMessage(m.key(), m.chatId(), m.threadId(), m.html(), AFTER_ITS_TOPIC);
    }
    return new OutboundMessage(m.key(), m.chatId(), m.threadId(), m.html(), OutboundMessage.ESCALATION);
  }

  /**
   * Whether the escalation the chain's notice (keyed {@code chainKey}: the run's key, then the
   * cause) tells of sent {@code supervisor} its Level 2 summary by DM, since no Level 2 topic opened
   * ({@link #level2SummaryWithoutTopic}; lifecycle rules 5: the workflow's own DM, cause {@code
   * level2-summary}). The workflow queues the summary first. It says all the notice does and more
   * (the ticket, the customer, their first message, the reason "still no first response 1 min after
   * the escalation"), so the notice is not sent as well: a chain burst gave each supervisor a digest
   * of each, naming the same tickets (audit 10, F8: 4 DMs per supervisor for 8 tickets).
   */
  private boolean level2SummaryDmd(String chainKey, Person supervisor) {
    String run = chainKey.substring(0, chainKey.lastIndexOf(':'));
    return java.util.stream.Stream.of(LEVEL2_SUMMARY_KEY, "level2-summary")
        .anyMatch(cause -> outbox.status(run + ":" + cause + ":dm:" + supervisor.id()).isPresent());
  }

  /**
   * Whether {@code html} is /priority's answer, which no customer reads (audit 10, F5: "Priority is
   * now LOW." in an upset customer's topic): in group mode {@link #inTopic} does not post it.
   */
  public static boolean answersPriority(String html) {
    return html.startsWith(PRIORITY_ANSWER);
  }

  /** Whether {@code html} is /status's card, the ticket's SLA for staff ({@link StatusCard#isCard}). */
  public static boolean answersStatus(String html) {
    return StatusCard.isCard(html);
  }

  /**
   * The summary of a ticket's Level 2 topic. Where customers read the Level 2 forum (group mode with
   * support.level2-chat-id their own forum, or unset) it is posted without the escalation's reason
   * ({@link Level2Summary#forCustomers}): that reason already went where staff read with
   * /escalate's answer or the escalation chain's notice ({@link #inTopic}), and the audit keeps it.
   *
   * @param postscript a paragraph after the summary, for the staff (an earlier topic that may exist)
   * @return whether it was queued now: false when its key was queued before (an earlier try of the
   *     activity), with the text it had then
   */
  public boolean level2Summary(String ticketId, OutboundMessage summary, Optional<String> postscript) {
    String html = places.customersRead(summary.chatId()) ? Level2Summary.forCustomers(summary.html()) : summary.html();
    return outbox.enqueue(MessageKind.LEVEL2_SUMMARY, new OutboundMessage(summary.key(), summary.chatId(), summary.threadId(),
        html + postscript.map(p -> "\n\n" + p).orElse(""), summary.priority()), ticketId, null);
  }

  /** Where an escalation opens its Level 2 topic now ({@link StaffPlaces#level2Forum}). */
  public Optional<Long> level2Forum() {
    return places.level2Forum();
  }

  /**
   * The summary of an escalation that gets no Level 2 topic, since customers read the Level 2 forum
   * now ({@link #level2Forum}): to each supervisor by DM, with {@link #send}'s fallbacks, as the
   * workflow sends a new ticket's; with none, where staff read ({@link #withoutRecipient}).
   *
   * @param key the run's summary key
   * @param topic the ticket's topic, where a refused DM would have gone
   * @return where it went, for the ticket's audit
   */
  public String level2SummaryWithoutTopic(String ticketId, String key, String html, ForumTopic topic) {
    List<Person> supervisors = places.supervisors();
    if (supervisors.isEmpty()) {
      return "with no supervisors, " + withoutRecipient(MessageKind.LEVEL2_SUMMARY, ticketId, new OutboundMessage(key, topic.chatId(),
          topic.threadId(), html, OutboundMessage.URGENT)).orElse("posted in the ticket's topic");
    }
    for (Person s : supervisors) {
      send(MessageKind.LEVEL2_SUMMARY, ticketId, new OutboundMessage(key + ":dm:" + s.id(), s.id(), null, html,
          OutboundMessage.URGENT),
          new OutboundMessage(key + ":fallback:" + s.id(), topic.chatId(), topic.threadId(), s.mention() + " " + html,
              OutboundMessage.URGENT));
    }
    return "sent to the supervisors by DM";
  }

  /**
   * The supervisors told that Telegram refused for good to open a Level 2 topic in {@code chatId},
   * the Level 2 forum of now ({@link #level2Forum}), and what to do: each escalation's summary goes to
   * them by DM meanwhile ({@link #level2SummaryWithoutTopic}). Once per chat and cause, not once per
   * ticket ({@link SupervisorNotices#noticeOnce}), by DM: the forum that refuses topics may refuse
   * the notice too (the bot removed from it); a supervisor the bot cannot write to privately gets it
   * in the staff forum's General topic as their other notes ("@sue_lead ⚠️ …"), where there is one
   * (audit 12, F5: she learnt of each failed topic, never why).
   */
  public void level2TopicRefused(long chatId, String reason) {
    String cause = OneLine.of(reason, 120);
    SupervisorNotices.privately(outbox, places.supervisors()).noticeOnce(
        "level2-topic-refused:" + chatId + ":" + cause,
        "⚠️ No Level 2 topic can be opened in the Level 2 forum <code>" + chatId + "</code> (support.level2-chat-id):"
            + " Telegram refused it (" + Html.escape(cause) + "). Make the bot a member there and an admin with the"
            + " right to manage topics (<code>can_manage_topics</code>). Until then each escalation's summary goes"
            + " to the supervisors by DM.",
        s -> outbox.lastPrivateDelivered(s.id()).equals(Optional.of(false)), places.staffForum());
  }

  /**
   * A notice that calls the supervisors ("… within 1 min. @sam <a …>Sue</a>, please take a look.")
   * as each of them reads it by DM: "… within 1 min. Please take a look.", not Sue asked to let Sam
   * look. Whoever it names: a ticket opened before a restart that changed support.supervisors calls
   * those of its start, and the DMs go to those of now (audit 9, F3).
   */
  private static String toItsReader(String html) {
    return CALLED.matcher(html).replaceFirst("Please take a look.");
  }

  /** The ticket a message's outbox key belongs to: keys start with its id ("ticket--100-42:resumed:u7"). */
  static String ticketOf(String key) {
    int colon = key.indexOf(':');
    return colon < 0 ? key : key.substring(0, colon);
  }

  private Fallback fallback(OutboundMessage inTopic) {
    if (!places.customersRead(inTopic.chatId())) {
      return Fallback.of(inTopic, TicketEvent.DeliveryRefused.IN_THE_TOPIC);
    }
    return places.staffForum()
        .map(staff -> Fallback.of(new OutboundMessage(inTopic.key(), staff, null, inTopic.html(), inTopic.priority()),
            TO_STAFF_FORUM))
        .orElseGet(() -> Fallback.nothing(NOT_REACHED));
  }
}
