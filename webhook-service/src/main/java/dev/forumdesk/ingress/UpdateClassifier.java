package dev.forumdesk.ingress;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.telegram.BotIdentity;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Decides which ticket an Update belongs to, if any. Only topic messages of the support forum
 * count (and replies and commands in a ticket's Level 2 topic, a command acting on that ticket and
 * answered where it was typed, also in a forum that was the Level 2 forum before a restart): the
 * General topic, other chats, non-forum
 * reply threads, edits (a command edited into an old message is not run again; in relay mode a
 * customer's edited private message is relayed as an edit), bots' messages
 * and, once the bot knows its own @username, commands addressed to another bot
 * ({@code /hold@OtherBot}) are ignored. That name is read from a volatile field, never fetched
 * here: updates are classified at ingress and again at dispatch, and the name, once learned, stays.
 */
public final class UpdateClassifier {
  /** The inbox kind of a forum_topic_created update: the one that opens a ticket. */
  public static final String TOPIC_CREATED = "topic-created";
  /** The Ignored kind of {@code /cmd@OtherBot} once our own @username is known (getMe). */
  public static final String FOR_ANOTHER_BOT = "command-for-another-bot";
  /**
   * The Ignored kind of a message, in a ticket's topic, by someone no longer in {@code agents} who
   * is not that ticket's customer: neither a staff answer (they are no longer staff) nor the
   * customer's words (it would move the customer's clocks); it stays in the topic for all to read.
   */
  public static final String FORMER_AGENT = "former-agent";

  /** Who was an agent (a reload removed them) and is not the customer of the ticket they write in. */
  @FunctionalInterface
  public interface FormerAgents {
    FormerAgents NONE = (userId, ticketId) -> false;

    boolean writesInOthersTicket(long userId, String ticketId);
  }

  /** Read per update: a reload that adds an agent makes their messages staff messages at once. */
  private final Supplier<ForumdeskConfig> config;
  private final BiFunction<Long, Long, Optional<String>> level2Ticket;
  private final BotIdentity bot;
  private final FormerAgents formerAgents;

  /** A classifier that never learns the bot's name: a command with any @suffix is ours. */
  public UpdateClassifier(ForumdeskConfig config, BiFunction<Long, Long, Optional<String>> level2Ticket) {
    this(config, level2Ticket, BotIdentity.unknown());
  }

  /**
   * @param level2Ticket (chat id, thread id) of a Level 2 topic → the escalated ticket's id
   * @param bot our @username once known: {@code /cmd@OtherBot} is then another bot's command
   */
  public UpdateClassifier(
      ForumdeskConfig config, BiFunction<Long, Long, Optional<String>> level2Ticket, BotIdentity bot) {
    this(() -> config, level2Ticket, bot);
  }

  /** @param config the live configuration (its agents are re-read; the mode and chats stay, see LiveConfig) */
  public UpdateClassifier(
      Supplier<ForumdeskConfig> config, BiFunction<Long, Long, Optional<String>> level2Ticket, BotIdentity bot) {
    this(config, level2Ticket, bot, FormerAgents.NONE);
  }

  private UpdateClassifier(Supplier<ForumdeskConfig> config, BiFunction<Long, Long, Optional<String>> level2Ticket,
      BotIdentity bot, FormerAgents formerAgents) {
    this.config = config;
    this.level2Ticket = level2Ticket;
    this.bot = bot;
    this.formerAgents = formerAgents;
  }

  /** This classifier, ignoring a former agent's messages in others' tickets ({@link #FORMER_AGENT}). */
  public UpdateClassifier withFormerAgents(FormerAgents formerAgents) {
    return new UpdateClassifier(config, level2Ticket, bot, formerAgents);
  }

  public Classified classify(Update update) {
    if (update.message() == null) {
      Update.Message edit = update.editedMessage();
      if (edit != null && config().relay() && edit.chat() != null && "private".equals(edit.chat().type())) {
        return privateMessage(update.updateId(), edit, true); // the agents see what the customer changed
      }
      return new Classified.Ignored(edit != null ? "edited" : "unsupported");
    }
    Update.Message m = update.message();
    if (m.chat() != null && "private".equals(m.chat().type())) {
      return privateMessage(update.updateId(), m, false);
    }
    if (m.chat() == null || !m.chat().forum() || !m.topicMessage() || m.messageThreadId() == null) {
      if (m.chat() != null && m.chat().forum() && m.chat().id() == config().support().chatId() && m.from() != null
          && config().roleOf(m.from().id()).isStaff() && m.body() != null && m.body().startsWith("/")
          && !bot.isAnotherBot(addressee(m.body()))) {
        Optional<Boolean> back = shift(m.body());
        return back.isPresent()
            ? new Classified.Shift(person(m.from()), back.get(), m.chat().id(), "general:u" + update.updateId())
            : new Classified.Answer(m.chat().id(), "general:u" + update.updateId(), GENERAL_TOPIC);
      }
      return new Classified.Ignored(m.chat() != null && isOurs(m.chat().id()) ? "not-a-topic" : "other-chat");
    }
    if (m.from() == null || Boolean.TRUE.equals(m.from().isBot())) {
      return new Classified.Ignored("bot");
    }
    long chatId = m.chat().id();
    long threadId = m.messageThreadId();
    String eventId = "u" + update.updateId();
    Instant at = Instant.ofEpochSecond(m.date());
    Person from = person(m.from());
    Role role = config().roleOf(m.from().id());
    boolean isCommand = m.body() != null && m.body().startsWith("/") && m.forumTopicCreated() == null;
    // a ticket's Level 2 topic: in the Level 2 forum, or in one a restart replaced (audit 9, F3),
    // where open tickets still have theirs; the support forum's own topics are tickets, not looked up
    Optional<String> escalated = chatId == config().support().level2ChatId() || chatId != config().support().chatId()
        ? level2Ticket.apply(chatId, threadId) : Optional.empty();
    if (isCommand && (isOurs(chatId) || escalated.isPresent()) && bot.isAnotherBot(addressee(m.body()))) {
      // "/hold@OtherBot": another bot's command, neither ours nor a message for the ticket
      return new Classified.Ignored(FOR_ANOTHER_BOT);
    }
    if (escalated.isPresent()) {
      if (isCommand) { // acts on the escalated ticket as in its own topic, answered here
        return command(escalated.get(), chatId, threadId, eventId, at, from, role, m.body(),
            new ForumTopic(chatId, threadId));
      }
      return m.body() == null
          ? new Classified.Ignored("level2-service-message")
          : new Classified.ForTicket(escalated.get(), chatId, threadId,
              new TicketEvent.Level2Reply(eventId, at, from, role, m.body()), "level2-reply", false);
    }
    if (chatId == config().support().level2ChatId() && chatId != config().support().chatId() && isCommand
        && role.isStaff()) {
      return new Classified.Answer(chatId, threadId, "level2:" + eventId, NO_LEVEL2_TICKET);
    }
    if (chatId != config().support().chatId()) {
      return new Classified.Ignored("other-chat");
    }
    String ticketId = TicketWorkflow.id(chatId, threadId);
    // the resolved notice tells the customer that writing reopens the ticket: their /reopen does
    if (isCommand && !(role == Role.CUSTOMER && commandName(m.body().strip().split("\\s+", 2)[0]).equals("reopen"))) {
      return command(ticketId, chatId, threadId, eventId, at, from, role, m.body(), null);
    }
    TicketEvent event;
    String kind;
    if (m.forumTopicCreated() != null) {
      event = new TicketEvent.TopicOpened(eventId, at, from, role, m.forumTopicCreated().name());
      kind = TOPIC_CREATED;
    } else if (m.forumTopicClosed() != null) {
      // a signal, never a start: closing the topic of a ticket that is CLOSED already (the bot
      // closes tickets, not topics) is an everyday click, not a follow-up with the agent as customer
      return new Classified.ForTicket(ticketId, chatId, threadId, new TicketEvent.TopicClosed(eventId, at, from, role),
          "topic-closed", false);
    } else if (m.forumTopicReopened() != null) {
      event = new TicketEvent.TopicReopened(eventId, at, from, role);
      kind = "topic-reopened";
    } else if (m.forumTopicEdited() != null) {
      String name = m.forumTopicEdited().name();
      if (name == null || name.isBlank()) {
        return new Classified.Ignored("topic-icon-changed");
      }
      // a renamed topic that is no ticket (yet, or any more) stays none: a signal, not a start
      return new Classified.ForTicket(ticketId, chatId, threadId,
          new TicketEvent.TopicRenamed(eventId, at, from, role, name.strip()), "topic-renamed", false);
    } else if (m.body() != null || m.media() != null) {
      if (role == Role.CUSTOMER && formerAgents.writesInOthersTicket(from.id(), ticketId)) {
        return new Classified.Ignored(FORMER_AGENT);
      }
      // a bare photo, voice note or sticker is a message too ("[voice]"): an agent's stops the
      // first-response clock, a customer's counts as their activity; in relay mode it also reaches
      // the customer (copied)
      event = new TicketEvent.MessagePosted(eventId, at, from, role, m.messageId(), textOf(m), m.topicName());
      kind = "message";
    } else {
      return new Classified.Ignored("service-message");
    }
    return new Classified.ForTicket(ticketId, chatId, threadId, event, kind, true, config().relay() ? m.media() : null);
  }

  /**
   * A private message to the bot: in relay mode a customer's message for their ticket; agents and
   * supervisors write to the bot only so that it may message them. In group mode none is a ticket.
   */
  private Classified privateMessage(long updateId, Update.Message m, boolean edited) {
    if (!edited && m.from() != null && !Boolean.TRUE.equals(m.from().isBot()) && config().roleOf(m.from().id()).isStaff()) {
      Optional<Boolean> back = shift(m.body());
      if (back.isPresent()) { // an agent's own shift, told to the bot in private: no customer reads it
        return new Classified.Shift(person(m.from()), back.get(), m.chat().id(), "private:u" + updateId);
      }
    }
    if (!config().relay()) {
      return new Classified.Ignored("private-chat");
    }
    if (m.from() == null || Boolean.TRUE.equals(m.from().isBot()) || config().roleOf(m.from().id()).isStaff()) {
      return new Classified.Ignored("private-from-staff");
    }
    Person from = person(m.from());
    if (edited) {
      if (m.body() == null) {
        return new Classified.Ignored("relay-edit-without-text"); // a live location moving, say
      }
      // "e": the edit's own event, never taken for the message it edits (nor for another update)
      Instant at = Instant.ofEpochSecond(m.editDate() != null ? m.editDate() : m.date());
      return new Classified.RelayIn(from, "e" + updateId, at, m.messageId(), m.body(), null, true);
    }
    if (m.body() == null && m.media() == null) {
      return new Classified.Ignored("relay-unsupported"); // a poll, a dice: nothing to copy for the agents
    }
    return new Classified.RelayIn(from, "u" + updateId, Instant.ofEpochSecond(m.date()), m.messageId(), textOf(m),
        m.media(), false);
  }

  /** What the ticket keeps of bare media ("video_note"): "[video note]". */
  static String placeholder(String media) {
    return "[" + media.replace('_', ' ') + "]";
  }

  /** The text the ticket keeps of a message: its text, its caption, or "[photo]" for bare media. */
  static String textOf(Update.Message m) {
    return m.body() != null ? m.body() : placeholder(m.media());
  }

  /** What a staff member's command in the General topic is told. */
  static final String GENERAL_TOPIC =
      "Commands work inside a ticket's topic; this is the General topic, which is no ticket. Open the ticket's topic and type it there.";

  /**
   * What a staff member's command in a topic of the Level 2 forum that is no ticket's Level 2 topic
   * is told (with a forum of its own: where it is the support forum too, that topic is a ticket's).
   */
  static final String NO_LEVEL2_TICKET =
      "This topic is no ticket's Level 2 topic, so there is no ticket here to act on. Commands work in a ticket's"
          + " topic or in the Level 2 topic opened when it was escalated.";

  private ForumdeskConfig config() {
    return config.get();
  }

  private boolean isOurs(long chatId) {
    return chatId == config().support().chatId() || chatId == config().support().level2ChatId();
  }

  /** "/away", "/back@OurBot": whether it is /back; empty for any other text, or another bot's command. */
  private Optional<Boolean> shift(String body) {
    if (body == null || !body.startsWith("/") || bot.isAnotherBot(addressee(body))) {
      return Optional.empty();
    }
    String name = commandName(body.strip().split("\\s+", 2)[0]);
    return name.equals("away") || name.equals("back") ? Optional.of(name.equals("back")) : Optional.empty();
  }

  private static Person person(Update.User u) {
    return new Person(u.id(), u.displayName(), u.username());
  }

  /** "/hold@SomeBot waiting" → "SomeBot"; "" when the command names no bot. */
  private static String addressee(String text) {
    String stripped = text.strip();
    int end = 0;
    while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
      end++;
    }
    int at_ = stripped.indexOf('@');
    return at_ >= 0 && at_ < end ? stripped.substring(at_ + 1, end) : "";
  }

  /**
   * "/hold@ForumdeskBot waiting for logs" → name "hold", args "waiting for logs", for the ticket
   * {@code ticketId}, typed in topic {@code threadId} of {@code chatId}.
   *
   * @param answerIn that same topic when it is not the ticket's own (its Level 2 topic), else null
   */
  private static Classified command(String ticketId, long chatId, long threadId, String eventId, Instant at,
      Person from, Role role, String text, ForumTopic answerIn) {
    String[] parts = text.strip().split("\\s+", 2);
    String args = parts.length > 1 ? parts[1] : "";
    return new Classified.Command(ticketId, chatId, threadId,
        new CommandRequest(eventId, at, from, role, commandName(parts[0]), args, "telegram", answerIn));
  }

  /** "/Hold@ForumdeskBot" → "hold": without the slash and the bot's name, in lower case. */
  private static String commandName(String word) {
    String name = word.substring(1);
    int at_ = name.indexOf('@');
    return (at_ >= 0 ? name.substring(0, at_) : name).toLowerCase(Locale.ROOT);
  }
}
