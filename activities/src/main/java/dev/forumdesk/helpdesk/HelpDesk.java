package dev.forumdesk.helpdesk;

import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An external help desk the tickets are mirrored into ({@code help-desk.kind}): Forumdesk creates a
 * ticket there when one opens here, keeps its status in step, and pulls back the status changes
 * the team made there. Implementations call the help desk's HTTP API; every method may throw
 * {@link HelpDeskException}, and the caller retries later.
 */
public interface HelpDesk {
  /** What {@code kind} says in the ticket JSON: "request-tracker", "zammad". */
  String kind();

  /**
   * How far the help desk's clock may be behind ours: a twin made by an attempt whose answer was
   * lost is looked for from this long before the attempt (its "created" is the help desk's time).
   */
  Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /**
   * A ticket to create there.
   *
   * @param ticketId ours ({@code ticket-<chat>-<thread>}): the content ends with its {@link TwinMarker}
   * @param requestor the customer (Telegram user), or null
   */
  record NewTicket(String ticketId, String subject, String content, Person requestor) {
    /**
     * The twin's first message: "From: " the customer's name (the requestor there is the
     * synthetic {@link #customerAddress}, which names no one), then {@code text}, then the marker.
     */
    String firstMessage(String text) {
      String body = requestor != null && requestor.name() != null && !requestor.name().isBlank()
          ? "From: " + OneLine.of(requestor.name()) + "\n\n" + text
          : text;
      return TwinMarker.appendTo(body, ticketId);
    }
  }

  /** The domain of the Telegram users' synthetic addresses: {@code .invalid} never resolves, so no mail goes. */
  String CUSTOMER_DOMAIN = "telegram.invalid";

  /**
   * The synthetic address of a Telegram user in the help desk, {@code tg-<Telegram user id>@telegram.invalid}
   * (RT's requestor, Zammad's customer): one per Telegram account, whatever its display name is or
   * becomes (two "Alex"es stay two, a renamed one stays one); {@code tg-customer@…} when the
   * customer is not known. The name is in the first message's "From:" line.
   */
  static String customerAddress(Person customer) {
    return customerAddress(customer, CUSTOMER_DOMAIN);
  }

  /** {@link #customerAddress(Person)} in {@code domain} ({@code help-desk.requestor-domain} for RT). */
  static String customerAddress(Person customer, String domain) {
    return customer == null || customer.id() <= 0
        ? "tg-customer@" + domain
        : "tg-" + customer.id() + "@" + domain;
  }

  /**
   * Creates the help-desk ticket, its content ending with the ticket's {@link TwinMarker}.
   *
   * @return the help desk's id of it (RT: the ticket number, e.g. "17"; Zammad: the ticket's id, not its number)
   */
  String create(NewTicket ticket);

  /**
   * The twin of our ticket created there at or after {@code since} (the help desk's time): the
   * oldest ticket of the queue whose first message carries the ticket's {@link TwinMarker}.
   */
  Optional<String> twinOf(String ticketId, Instant since);

  /**
   * Creates the twin once, whatever became of earlier attempts: when one was made ({@code
   * triedSince}, the start of the first), its request may have reached the help desk although its
   * answer never reached us (a timeout while the help desk was slow, a connection reset, a 5xx, a
   * crash before the id was stored), so the twin it may have made is looked for and adopted first.
   * The first attempt asks nothing more than the create.
   */
  default String create(NewTicket ticket, Optional<Instant> triedSince) {
    return createOnce(ticket, triedSince).externalId();
  }

  /**
   * {@link #create(NewTicket, Optional)}, saying whether the twin was made now, with this {@code
   * ticket}'s subject and content, or adopted from an earlier attempt (whose may differ).
   */
  default Created createOnce(NewTicket ticket, Optional<Instant> triedSince) {
    return triedSince.flatMap(since -> twinOf(ticket.ticketId(), since.minus(CLOCK_SKEW)))
        .map(id -> new Created(id, true))
        .orElseGet(() -> new Created(create(ticket), false));
  }

  /** A twin's id there, and whether it was made by an earlier attempt whose answer was lost. */
  record Created(String externalId, boolean adopted) {}

  /** Adds a message of the ticket's conversation to its twin, as an internal comment. */
  void comment(String externalId, String text);

  /**
   * Adds message {@code eventId} once, whatever became of earlier attempts: the comment ends with
   * the message's stamp ({@link TwinMarker#ofMessage}), and when an earlier attempt may have
   * reached the help desk although its answer never reached us ({@code maybeSentSince}: from when),
   * the twin's comments are looked at for that stamp first. The first attempt asks nothing more.
   */
  default void comment(String externalId, String text, String eventId, Optional<Instant> maybeSentSince) {
    if (maybeSentSince.map(since -> commented(externalId, eventId, since.minus(CLOCK_SKEW))).orElse(false)) {
      return;
    }
    comment(externalId, TwinMarker.stampMessage(text, eventId));
  }

  /** Whether the twin has a comment Forumdesk made at or after {@code since} with message {@code eventId}'s stamp. */
  boolean commented(String externalId, String eventId, Instant since);

  /**
   * What one pull asks: the status changes and the agents' replies since then. A help desk that
   * finds both with one search (Zammad) overrides it to search once.
   */
  default Activity activitySince(Instant since) {
    return new Activity(changedSince(since), repliesSince(since));
  }

  /** {@link #changedSince} and {@link #repliesSince} of one pull. */
  record Activity(List<Change> changes, List<Reply> replies) {}

  /** Sets the help-desk ticket's status to the one that corresponds to ours. */
  void status(String externalId, Status status);

  /** Renames the help-desk ticket (RT: its Subject; Zammad: its title), as the topic was renamed. */
  void title(String externalId, String title);

  /**
   * Status changes made in the help desk after {@code since}, oldest first, with the help desk's
   * own time of each: our status, mapped back from theirs.
   */
  List<Change> changedSince(Instant since);

  /**
   * What agents wrote to the customer in the help desk after {@code since}, oldest first: public
   * replies only (RT: Correspond transactions; Zammad: articles not internal, by an agent), never an
   * internal comment and never what Forumdesk itself wrote there.
   */
  List<Reply> repliesSince(Instant since);

  /**
   * Whether two of our statuses are one status there (RT: ESCALATED and IN_PROGRESS are both
   * "open"), so a change reported from there that only echoes what was pushed is not pulled back.
   */
  default boolean sameThere(Status a, Status b) {
    return a == b;
  }

  /** Where a person opens the ticket in the help desk's web UI. */
  String url(String externalId);

  /** A help-desk ticket's status as of {@code updatedAt}, in our terms. */
  record Change(String externalId, Status status, Instant updatedAt) {}

  /**
   * An agent's public reply on a help-desk ticket.
   *
   * @param replyId the help desk's id of the reply (RT: the transaction's; Zammad: the article's)
   * @param author the agent's name as the help desk knows it
   * @param text the reply as plain text (HTML replies turned into text, a link as its text and address)
   * @param html the reply for Telegram's HTML parse mode: escaped, a link kept as a link
   */
  record Reply(String externalId, String replyId, String author, String text, Instant at, String html) {
    /** A reply with no links: its HTML is its text escaped. */
    public Reply(String externalId, String replyId, String author, String text, Instant at) {
      this(externalId, replyId, author, text, at, dev.forumdesk.ticket.Html.escape(text));
    }

    public Reply(String externalId, String replyId, ReplyBody body, String author, Instant at) {
      this(externalId, replyId, author, body.text(), at, body.html());
    }
  }

  /**
   * A reply's body: {@code text} plain (a link as its text and its address in brackets), {@code
   * html} for Telegram's HTML parse mode (escaped, a link as {@code <a href>}).
   */
  record ReplyBody(String text, String html) {
    /** A plain-text body: its HTML is the text escaped. */
    public static ReplyBody of(String text) {
      return new ReplyBody(text, dev.forumdesk.ticket.Html.escape(text));
    }
  }
}
