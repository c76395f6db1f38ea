package dev.forumdesk.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.RosterCommands;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.crm.CrmClient;
import dev.forumdesk.json.Json;
import dev.forumdesk.nlp.Languages;
import dev.forumdesk.nlp.Sentiment;
import dev.forumdesk.store.CustomerHistory;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.text.Cut;
import dev.forumdesk.text.IsoDuration;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Phase 2's activities: rules from the live config, NLP, CRM and history, assignment, title lock. */
public final class RoutingActivitiesImpl implements RoutingActivities {
  /** Telegram's limit for a topic name. */
  static final int TITLE_MAX = 128;

  private final Supplier<ForumdeskConfig> config;
  private final Sentiment sentiment;
  private final CrmClient crm;
  private final CustomerHistory history;
  private final Assigner assigner;
  private final RosterCommands commands;
  private final Outbox outbox;
  private final Clock clock;
  private volatile Languages languages;
  /** The language set {@link #languages} was built for; a rebuild loads lingua models, so rarely. */
  private volatile Set<String> languagesFor = Set.of();
  /** The rules of one config object and their digest: computed once per (re)load. */
  private volatile DigestedRules digested;

  private record DigestedRules(ForumdeskConfig config, RoutingRules rules, String digest) {}

  public RoutingActivitiesImpl(Supplier<ForumdeskConfig> config, Sentiment sentiment, CrmClient crm,
      CustomerHistory history, Assigner assigner, RosterCommands commands, Outbox outbox, Clock clock) {
    this.config = config;
    this.sentiment = sentiment;
    this.crm = crm;
    this.history = history;
    this.assigner = assigner;
    this.commands = commands;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public RoutingRules rules() {
    return rulesOf(config.get());
  }

  @Override
  public RulesAnswer rulesUnless(String known) {
    ForumdeskConfig c = config.get();
    DigestedRules d = digested;
    if (d == null || d.config() != c) {
      RoutingRules rules = rulesOf(c);
      d = new DigestedRules(c, rules, digest(rules));
      digested = d;
    }
    return new RulesAnswer(d.digest(), d.digest().equals(known) ? null : d.rules());
  }

  /** SHA-256 of the rules' JSON: equal digests mean equal rules. */
  static String digest(RoutingRules rules) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(Json.write(rules).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static RoutingRules rulesOf(ForumdeskConfig c) {
    ForumdeskConfig.Routing r = c.routing();
    return new RoutingRules(
        r.enabled(),
        r.categories().isEmpty() ? CategoryLibrary.DEFAULTS : r.categories(),
        r.languageTeams(),
        r.defaultLanguage(),
        r.recurringTickets(),
        IsoDuration.of(r.recurringWithin()),
        r.negativeSentimentThreshold(),
        r.stickyAgent(),
        r.complexity(),
        r.tierFactors(),
        r.priorityTiers(),
        c.support().seniorGroup(),
        r.lockReplies(),
        IsoDuration.of(r.firstMessageWait()));
  }

  @Override
  public LanguageGuess detectLanguage(LanguageRequest request) {
    String code = history.telegramLanguage(request.ticketId(), request.customerId()).orElse(null);
    Languages.Guess g = ticketLanguage(request.text(), code);
    return new LanguageGuess(g.language(), g.reason());
  }

  /**
   * A ticket's language, by one rule for its routing ({@link #detectLanguage}) and its customer's
   * acknowledgement (RoutingWiring): a text that tells its language decides, whatever the customer's
   * Telegram speaks (an English message from a customer whose {@code language_code} is {@code it}
   * is routed and acknowledged in English); a short or unclear one goes by that code, served or
   * not ({@link Languages}).
   *
   * @param titleThenMessage the topic's title, a line break and what the customer wrote: the message weighs more
   */
  public Languages.Guess ticketLanguage(String titleThenMessage, String telegramCode) {
    return languages().detectTopic(titleThenMessage, telegramCode);
  }

  /**
   * Builds the current config's detector and loads its models ({@link Languages#warmUp}): at the
   * worker's start and after a reload, off the tickets' path, so no ticket's detection pays them.
   */
  public Languages warmUpLanguages() {
    Languages l = languages();
    l.warmUp();
    return l;
  }

  /** The detector for the languages the current config serves; rebuilt when that set changes. */
  public Languages languages() {
    ForumdeskConfig c = config.get();
    Set<String> wanted = new TreeSet<>(c.routing().languageTeams().keySet());
    c.agents().forEach(a -> wanted.addAll(a.languages()));
    wanted.add(c.routing().defaultLanguage());
    Languages current = languages;
    if (current == null || !languagesFor.equals(wanted)) {
      current = new Languages(wanted, c.routing().defaultLanguage());
      languages = current;
      languagesFor = Set.copyOf(wanted);
    }
    return current;
  }

  @Override
  public SentimentScore sentiment(SentimentRequest request) {
    Sentiment.Score s = sentiment.score(request.text());
    return new SentimentScore(s.score(), s.reason());
  }

  @Override
  public CustomerProfile customer(CustomerRequest request) {
    ForumdeskConfig.Routing r = config.get().routing();
    // the local history first: however the CRM fails or lingers, the sticky agent and the
    // recurring count are in hand, and the CRM's fallback tier answers with them (CrmClient)
    int recent = 1 + history.ticketsSince(
        request.customerId(), clock.instant().minus(r.recurringWithin()), request.ticketId());
    Long last = history.lastAgent(request.customerId(), request.ticketId()).orElse(null);
    CrmClient.Tier tier = crm.tier(request.customerId());
    return new CustomerProfile(tier.tier(), recent, last, List.of(tier.reason()));
  }

  /**
   * The assigner decides a language nobody speaks at each look ({@code Roster.spoken}), saying so
   * in the reasons: the waiting line keeps the ticket's own language, so a speaker added by a later
   * reload takes it.
   */
  @Override
  public AssignResult assign(AssignRequest request) {
    return assigner.assign(request);
  }

  /** Keyed by this activity's run and id: a retry is the same invocation, another command another. */
  @Override
  public CommandResult command(RoutingCommand command) {
    io.temporal.activity.ActivityInfo info = io.temporal.activity.Activity.getExecutionContext().getInfo();
    RoutingCommand c = command; // a language nobody speaks: RosterCommands asks the roster, as the line does
    String invocation = info.getRunId() + ":" + info.getActivityId();
    CommandResult r = commands.run(c, invocation);
    if (r.released()) {
      untag(c.ticketId(), invocation);
    }
    return r;
  }

  /**
   * A ticket released into the waiting line loses its topic's "[Boris] " tag: nobody has it. The
   * title lock tags it again for whoever the line gives it.
   */
  private void untag(String ticketId, String invocation) {
    commands.title(ticketId).ifPresent(title -> {
      ForumTopic topic = TicketWorkflow.topicOf(ticketId);
      rename(ticketId + ":title:released:" + invocation, topic.chatId(), topic.threadId(), Cut.to(title, TITLE_MAX));
    });
  }

  @Override
  public void lockTitle(TitleLock lock) {
    // per cause, so a ticket moved A → B → A is re-tagged each time, and a retry is not
    String key = lock.ticketId() + ":title:" + lock.agent().id() + ":" + lock.cause();
    rename(key, lock.chatId(), lock.threadId(), lockedTitle(lock.agent().name(), lock.title()));
  }

  /** Queues the topic's new {@code name} (editForumTopic) under {@code key}, sent once. */
  private void rename(String key, long chatId, long threadId, String name) {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("chat_id", chatId);
    params.put("message_thread_id", threadId);
    params.put("name", name);
    outbox.enqueue(MessageKind.OTHER, key, chatId, threadId, "editForumTopic", params.toString(), OutboundMessage.NORMAL);
  }

  /**
   * {@code [Alice] title}, cut to Telegram's 128 characters. The ticket's title never carries an
   * agent's tag (a rename drops the assignee's), so a team's own "[Billing] ..." stays.
   */
  public static String lockedTitle(String agentName, String title) {
    String full = "[" + agentName + "] " + (title == null ? "" : title);
    return Cut.to(full, TITLE_MAX);
  }
}
