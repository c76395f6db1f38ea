package dev.forumdesk.app;

import dev.forumdesk.assignment.ShiftCommand;
import dev.forumdesk.outbox.LateWarnings;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.api.BearerAuth;
import dev.forumdesk.api.JsonDirectHandler;
import dev.forumdesk.api.JsonResponses;
import dev.forumdesk.api.MethodNotAllowed;
import dev.forumdesk.api.DashboardService;
import dev.forumdesk.api.TicketApi;
import dev.forumdesk.api.DailySlaReport;
import dev.forumdesk.api.SlaReports;
import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.config.Settings;
import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.CidrAllowList;
import dev.forumdesk.ingress.CommandAnswers;
import dev.forumdesk.ingress.CustomerStatus;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.Dispatcher;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.Relay;
import dev.forumdesk.api.HelpDeskTwins;
import dev.forumdesk.helpdesk.HelpDesk;
import dev.forumdesk.helpdesk.HelpDeskSync;
import dev.forumdesk.helpdesk.RequestTracker;
import dev.forumdesk.helpdesk.Zammad;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.ingress.UpdatePoller;
import dev.forumdesk.ingress.WebhookService;
import dev.forumdesk.log.OncePer;
import dev.forumdesk.observe.ObserveService;
import dev.forumdesk.config.OperationsConfig;
import dev.forumdesk.observe.BacklogMonitor;
import dev.forumdesk.observe.WaitingLineAlert;
import dev.forumdesk.telegram.WebhookInfo;
import dev.forumdesk.outbox.OutboxSender;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.outbox.RateLimits;
import dev.forumdesk.retry.Backoff;
import dev.forumdesk.routing.RoutingActivities;
import dev.forumdesk.routing.RoutingActivitiesImpl;
import dev.forumdesk.store.AlertIncidents;
import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.IdempotencyKeys;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.HelpDeskLinks;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.RelayTopics;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.BotIdentity;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.telegram.TelegramGateway;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.FirstMessageFromReadModel;
import dev.forumdesk.ticket.HeldByTelegramInbox;
import dev.forumdesk.ticket.TicketActivitiesImpl;
import dev.forumdesk.worker.EmbeddedTemporal;
import dev.forumdesk.worker.TemporalConnection;
import dev.forumdesk.worker.TicketWorker;
import dev.forumdesk.worker.WorkerPollers;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one Forumdesk process: config → database → Temporal (embedded or cluster) → worker →
 * outbox sender → dispatcher → HTTP. Explicit, in start order; closed in reverse.
 */
public final class ForumdeskApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ForumdeskApp.class);

  /**
   * dev: everything, demo data when there is no bot token; run: everything, configuration from the
   * environment only; worker and webhook: the two halves of the production shape (docker compose),
   * which need TEMPORAL_ADDRESS and share FORUMDESK_DB_URL.
   */
  public enum Mode {
    DEV,
    RUN,
    WORKER,
    WEBHOOK;

    boolean runsWorker() {
      return this != WEBHOOK;
    }

    boolean runsIngress() {
      return this != WORKER;
    }
  }

  /**
   * run and the roles without a token start (the API and the dashboard work, CONTRACT: absent = demo
   * mode) but with no Telegram at all: said once at start, and by the health's telegram check.
   */
  static final String NO_BOT_TOKEN = "no TELEGRAM_BOT_TOKEN: no update is received from Telegram and nothing is"
      + " sent (bot messages are only written to this log, as in demo mode); the API and the dashboard work."
      + " Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET to connect the bot";

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Settings settings;
  private final ApiToken.Chosen apiToken;
  private WebServer server;
  private Database database;
  private Optional<EmbeddedTemporal> embeddedTemporal = Optional.empty();
  /** Where this process runs the help-desk sync: its health entry. */
  private Optional<HelpDeskSync> helpDeskSync = Optional.empty();

  private ForumdeskApp(ApiToken.Chosen apiToken) {
    this.settings = apiToken.settings();
    this.apiToken = apiToken;
  }

  public static ForumdeskApp start(Settings settings, Mode mode, int temporalPort) {
    // the API's token: kept across restarts when generated; a short one set is warned about, but in
    // dev, a local first look
    ForumdeskApp app = new ForumdeskApp(mode.runsIngress()
        ? ApiToken.choose(settings, mode != Mode.DEV)
        : new ApiToken.Chosen(settings, Optional.empty(), false));
    try {
      app.startAll(mode, temporalPort);
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /**
   * A TEMPORAL_ADDRESS host that does not resolve is a typo, said once before anything starts (gRPC
   * would retry it for ever, with a warning every few seconds). A cluster that is down but resolves
   * is waited for: updates wait in the inbox.
   */
  private static void requireResolvable(String host) {
    try {
      java.net.InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new ConfigException("TEMPORAL_ADDRESS: the host " + host + " does not resolve (a typo? a cluster that is"
          + " only down resolves, and then updates wait in the inbox)");
    }
  }

  /**
   * The two roles meet in a Temporal cluster and one PostgreSQL. A role without the database would
   * run on an embedded store of its own, which the other role never sees (audit 18a F2: the worker
   * routed and assigned tickets the webhook role's dashboard showed NEW for ever); without Temporal
   * it would start its own. Both refused before anything starts, in one line (exit 2).
   */
  private void requireWhatTheRolesShare(Mode mode) {
    if (mode != Mode.WORKER && mode != Mode.WEBHOOK) {
      return;
    }
    String role = "the " + mode.name().toLowerCase() + " role needs ";
    boolean noTemporal = settings.temporalAddress().isEmpty();
    boolean noDatabase = settings.dbUrl().isEmpty();
    if (noTemporal && noDatabase) {
      throw new ConfigException(role + "TEMPORAL_ADDRESS (a Temporal cluster) and FORUMDESK_DB_URL (the PostgreSQL both"
          + " roles share)");
    }
    if (noTemporal) {
      throw new ConfigException(role + "TEMPORAL_ADDRESS (a Temporal cluster)");
    }
    if (noDatabase) {
      throw new ConfigException(role + "FORUMDESK_DB_URL (the PostgreSQL both roles share; on an embedded store of its"
          + " own it would not see what the other role does)");
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  private void startAll(Mode mode, int temporalPort) {
    // before any update is answered: those received earlier are a restored ticket's journal (Restore)
    java.time.Instant started = java.time.Instant.now();
    Redaction.register(settings.secrets());
    requireWhatTheRolesShare(mode);
    boolean demo = settings.configFile().isEmpty() && mode != Mode.RUN;
    io.helidon.config.Config tree = demo ? ConfigLoader.treeClasspath("demo.yaml") : ConfigLoader.tree(settings.configFile());
    ConfigLoader.Loaded loaded = demo
        ? ConfigLoader.readClasspath(tree, "demo.yaml")
        : ConfigLoader.read(tree, settings.configFile());
    ForumdeskConfig config = loaded.desk();
    settings.helpDesk().requireFor(config.helpDesk().kind());
    if (!settings.demo()) { // demo mode's samples run on the defaults' chat on purpose
      Unconfigured.warnings(config).forEach(log::warn);
    }
    OperationsConfig ops = loaded.operations().relaying(config.relay());
    settings.temporalAddress().flatMap(Settings::temporalHost).ifPresent(ForumdeskApp::requireResolvable);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (mode.runsWorker() && mode.runsIngress()) {
      // one JVM runs it all: the webhook's ack gets the cores before the work behind it
      IngressFirst.start(ops.backgroundNice()).ifPresent(this::own);
    }

    // a taken port fails the start before anything runs (a worker would take tickets for the moments
    // until the close), and before Helidon logs its own stack trace of the bind
    NotListening.requireFree(settings.httpHost(), settings.httpPort());
    database =
        own(settings.dbUrl()
            .map(url -> Database.postgres(url, settings.dbUser(), settings.dbPassword()))
            .orElseGet(() -> Database.embedded(settings.dataDir())));
    Inbox inbox = new Inbox(database);
    Outbox outbox = new Outbox(database);
    TicketStore tickets = new TicketStore(database, config.relay());
    Level2Topics level2Topics = new Level2Topics(database);
    level2TopicsElsewhere(level2Topics, config);
    // re-read when the file changes: what reads it follows a reload's live keys (agents, sla for new
    // tickets, routing); the parts built below from `config` are what needs a restart (RestartKeys)
    LiveConfig live = new LiveConfig(loaded, settings.configFile(), Clock.systemUTC());
    RoutingWiring routing = new RoutingWiring(live, database);

    String target;
    Optional<EmbeddedTemporal> embedded = Optional.empty();
    if (settings.temporalAddress().isPresent()) {
      target = settings.temporalAddress().get();
    } else {
      embedded = Optional.of(own(EmbeddedTemporal.start(temporalPort, ops.embeddedRetention(), Clock.systemUTC())));
      embeddedTemporal = embedded;
      target = embedded.get().target();
    }
    TemporalConnection temporal = own(embedded
        .map(e -> new TemporalConnection(e.channel(), settings.temporalNamespace()))
        .orElseGet(() -> new TemporalConnection(target, settings.temporalNamespace())));

    TelegramGateway telegram =
        settings.botToken()
            .<TelegramGateway>map(t -> new TelegramClient(settings.telegramApiUrl(), t, Duration.ofSeconds(10)))
            .orElseGet(DemoTelegram::new);
    // Telegram's answer at most 30 s old, and no older than a look of the monitors that read it
    WebhookInfo webhookInfo = new WebhookInfo(telegram,
        ops.alerts().checkEvery().compareTo(Duration.ofSeconds(30)) < 0 ? ops.alerts().checkEvery() : Duration.ofSeconds(30));
    // in group mode customers read the support forum's General topic: the desk's alerts go to the
    // staff forum when there is one (StaffPlaces.staffForum), else to the supervisors privately
    long alertsChat = routing.places.staffForum().orElse(config.support().chatId());
    List<Person> supervisors = config.support().supervisors().stream().map(config::staffMember).toList();
    SupervisorNotices notices = routing.places.customersRead(alertsChat)
        ? SupervisorNotices.privately(outbox, supervisors)
        : new SupervisorNotices(outbox, alertsChat, supervisors);
    // each alert told once, also when replicas of a role watch the same conditions
    AlertIncidents incidents = new AlertIncidents(database, ops.alerts().checkEvery());
    Optional<WorkerPollers> workerPollers = Optional.empty();
    BacklogMonitor monitor; // each role's: its chores include yesterday's SLA report (below)
    // at each look of a backlog monitor (every alerts.check-every): the worker's, and with the roles
    // apart the webhook role's too, which takes the actions (a delete of nothing is one index look)
    IdempotencyKeys idempotencyKeys = new IdempotencyKeys(database);
    ApiActions apiActions = new ApiActions(database);
    Runnable forgetOldKeys = () -> {
      idempotencyKeys.forgetOlderThan(ops.idempotencyKeep());
      apiActions.forgetOlderThan(ops.idempotencyKeep());
    };
    if (mode.runsWorker()) {
      // one sender per deployment: the rate limits are per bot, so only the worker role sends (the
      // webhook role sends nothing but its own few alerts, below)
      // an 80% warning that waited past its due is dropped (audit 12, F5); a staff group keeps 4 of
      // its 20 messages a minute for the supervisors' calls, the customers' forum none (audit 15, F3)
      OutboxSender sender = new OutboxSender(outbox, telegram, RateLimits.telegram(config.support().chatId()), metrics, notices,
          new LateWarnings(tickets));
      sender.onRejected(new RefusedDelivery(outbox, temporal.client(), notices, routing.places));
      RoutingActivitiesImpl routingActivities = routing.activities(outbox, temporal.client(),
          mode == Mode.DEV && settings.botToken().isEmpty(), this::own);
      own(new TicketWorker(temporal.client(), settings.taskQueue(),
              new TicketActivitiesImpl(tickets, outbox, level2Topics,
                  new NewTopics(outbox, NewTopics.ACTIVITY_WAIT, sender::running),
                  metrics, routing.capacity(),
                  new PrivateNotes(outbox, routing.places, routing.acknowledgement(routingActivities)),
                  routing.firstAnswer(), new FirstMessageFromReadModel(tickets, inbox,
                      () -> live.get().routing().firstMessageWait(), Clock.systemUTC()),
                  heldByTelegram(inbox, webhookInfo, settings.webhookUrl().isPresent() && !settings.demo())),
              routingActivities)
          .start());
      // stopped before the worker (closed last first): its last call's mark is written while the
      // database is open, and an activity waiting for it to open a topic stops waiting at once
      own(sender).start();
      monitor = own(new BacklogMonitor(inbox, outbox, webhookInfo, settings.webhookUrl().isPresent() && !settings.demo(),
          ops.alerts(), new WaitingLineAlert(routing.roster, ops.alerts().waitingLine(), Clock.systemUTC()), notices,
          incidents, metrics).alsoEachLook(forgetOldKeys).start());
    } else {
      routing.serveLineHere(temporal.client(), this::own); // /back typed to this role serves the line at once
      // whether a worker takes the tickets' tasks, asked of Temporal; this role's own alerts go out at
      // once rather than wait in the outbox for the worker role's sender, which may be what is down
      notices.sentAtOnceBy(own(new OutboxSender(outbox, telegram, RateLimits.telegram(), metrics, notices))
          .onRejected(new RefusedDelivery(outbox, temporal.client(), notices, routing.places))::sendNow);
      workerPollers = Optional.of(
          new WorkerPollers(temporal, settings.taskQueue(), ops.alerts().workerSilent(), Clock.systemUTC()));
      monitor = own(new BacklogMonitor(ops.alerts().checkEvery(), java.util.List.of(WorkerSilence.CONDITION),
          new WorkerSilence(workerPollers.get(), Clock.systemUTC()), notices, incidents, metrics)
          .alsoEachLook(forgetOldKeys).start());
    }
    // our own @username, so that /cmd@OtherBot is ignored: asked of getMe in the background (start-up
    // never waits for Telegram); until it answers, and in demo mode, a command with any @suffix is ours
    BotIdentity bot = settings.botToken().isPresent() && mode.runsIngress()
        ? own(BotIdentity.unknown()).learnInBackground(telegram, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)))
        : BotIdentity.unknown();
    // a message of someone a reload removed from agents, in another's ticket, moves no customer clock
    UpdateClassifier classifier = new UpdateClassifier(live, level2Topics::ticketOf, bot)
        .withFormerAgents(new PastAgents(database, live));
    TicketGateway gateway =
        new TicketGateway(temporal.client(), live, settings.taskQueue(),
            embedded.isPresent() ? () -> false : new SearchAttributeCheck(temporal));
    QueuedTickets queued = new QueuedTickets(inbox, classifier, gateway);
    // reports.daily-at: posted once a day by whichever role's look comes first (its outbox key)
    monitor.alsoEachLook(new DailySlaReport(ops.dailyReportAt(), Clock.systemUTC(),
        new SlaReports(TicketStore.forReaders(database), queued, live), outbox, routing.places, alertsChat));
    if (mode.runsWorker()) {
      // an agent a reload removed from `agents`: their open tickets go to others, the supervisors told
      DepartedAgents departed = new DepartedAgents(live, tickets, gateway, notices, ops.actionTimeout(),
          routing.roster::anyoneFree);
      live.onReload(() -> departed.handOverSoon(true));
      departed.handOverSoon(true); // removed while the app was stopped
      monitor.alsoEachLook(() -> departed.handOver(false)); // those nobody could take yet
    }
    // a customer's new topic is an outbox row within the forum's budget, sent by the worker role's sender
    // a customer's /status is answered from the read model, as /api/tickets reads it (Temporal may be slow or down)
    CustomerStatus customerStatus = CustomerStatus.of(tickets, queued);
    Relay relay = Relay.of(config, new RelayTopics(database), new NewTopics(outbox, NewTopics.RELAY_WAIT), gateway,
        outbox, customerStatus);
    HelpDeskTwins helpDeskTwins = helpDesk(config, settings, database, gateway, relay, outbox, metrics, mode);
    CommandAnswers commandAnswers =
        new CommandAnswers(outbox, new PrivateNotes(outbox, routing.places), routing.places, tickets::topicLink);
    Dispatcher dispatcher =
        own(new Dispatcher(inbox, classifier, gateway, commandAnswers, commandAnswers::answer,
            shiftAnswers(new ShiftCommand(routing.roster, cause -> routing.capacity().freed(cause)), routing.places),
            commandAnswers::answered,
            customerStatus::answer,
            metrics,
            ops.dispatchConcurrency(), relay));
    Ingress ingress = new Ingress(inbox, classifier, metrics, dispatcher::wake, ops.maxInboxBacklog());

    Health health = new Health(temporal, database, inbox, outbox, webhookInfo, settings, mode == Mode.DEV,
        ops.maxInboxBacklog(), ops.alerts().oldestUnapplied(), workerPollers, new PrivateChats(outbox, routing.places),
        mode.runsIngress());
    health.registerGauges(metrics);
    new DeskGauges(TicketStore.forReaders(database), routing.roster, database.check(), Clock.systemUTC()).register(metrics);
    java.util.List<ObserveService.Check> checks = new java.util.ArrayList<>(health.checks());
    helpDeskSync.ifPresent(s -> checks.add(s.check())); // where the sync runs: DEGRADED while it fails
    OncePer databaseDown = new OncePer(Duration.ofMinutes(1), java.time.Clock.systemUTC());
    server =
        WebServer.builder()
            .host(settings.httpHost())
            .port(settings.httpPort())
            // what Helidon refuses before routing (a bad %XX, an overlong path): the JSON error body too
            .directHandlers(JsonDirectHandler.all())
            .routing(
                r ->
                    r.addFilter(new BearerAuth(settings.apiToken()))
                        // a known path with a method it does not have: 405 + Allow, not 404
                        .register(MethodNotAllowed.around(rules -> rules
                            .register("/telegram", new WebhookService(ingress, settings.webhookSecret(),
                                new CidrAllowList(settings.allowedCidrs()),
                                new CidrAllowList(OperationsConfig.TRUSTED_PROXIES, ops.trustedProxies()), ops.webhookPathSecret()))
                            .register("/api", new TicketApi(TicketStore.forReaders(database),
                                queued, live, gateway, routing.roster,
                                helpDeskTwins, ops.actionTimeout(), idempotencyKeys, apiActions))
                            .register("/observe", new ObserveService(checks, metrics))
                            .register("/", new DashboardService())))
                        // what no route serves: a JSON error like every other one, not Helidon's text
                        .any(JsonResponses::noSuchEndpoint)
                        // the database down (an outage, a full disk): 503 JSON, not a text 500
                        .error(org.jdbi.v3.core.JdbiException.class, (req, res, e) -> {
                          databaseDown.run(() -> log.warn("{} {}: database unavailable ({}); answering 503 (logged at"
                              + " most once a minute)", req.prologue().method().text(), req.path().path(), e.toString()));
                          JsonResponses.error(res, io.helidon.http.Status.SERVICE_UNAVAILABLE_503,
                              "database unavailable, retry later");
                        }))
            .build()
            .start();
    own(server::stop);
    if (!server.isRunning()) {
      throw NotListening.on(settings.httpHost(), settings.httpPort());
    }

    if (settings.botToken().isPresent() && mode.runsIngress()) {
      TelegramClient longPoll =
          new TelegramClient(settings.telegramApiUrl(), settings.botToken().get(), Duration.ofSeconds(40));
      // a webhook someone else changes or removes after ours got through is set again, and told of
      Optional<WebhookWatch> watch = settings.webhookUrl()
          .map(url -> own(new WebhookWatch(webhookInfo, url, notices, incidents, ops.alerts().checkEvery(),
              Clock.systemUTC())));
      WebhookRegistration registration = new WebhookRegistration(telegram, settings, ops, () -> {
        webhookInfo.refresh();
        watch.ifPresent(WebhookWatch::registered);
      });
      watch.ifPresent(w -> w.start(registration));
      registration.register()
          .ifPresent(polling -> own(new UpdatePoller(longPoll, ingress, inbox, ops.allowedUpdates()).start()));
    } else if (mode == Mode.DEV) {
      int fed = new DemoSimulator(ingress, inbox, config).feedOnce();
      log.info("demo mode: no TELEGRAM_BOT_TOKEN, {} sample updates fed, no call leaves this machine", fed);
    }
    // The webhook answers from here on: Telegram's updates wait in the inbox while the embedded
    // server gets its open tickets back, which takes a while with many (benchmark: kill -9 under load)
    if (embedded.isPresent()) {
      new Restore(temporal.client(), settings.taskQueue(), tickets, inbox, apiActions, dispatcher::journalEntry,
          config.relay(), dispatcher::deliverRestored, started, ops.autoCloseAfterRestore()).run();
    }
    // after the restore: a help desk's reply pulled while an open ticket's run was not back yet reached
    // no run, and recorded on the snapshot the restore had read already (REPLY_WHILE_NO_RUN) it was lost
    // with the restored run's first projection
    helpDeskSync.ifPresent(HelpDeskSync::start);
    if (mode.runsIngress()) {
      dispatcher.start();
    }
    // FORUMDESK_CONFIG looked at every two seconds also while nothing reads it (an idle desk): a save
    // is applied or refused within about two seconds (audit 20a, F7); stopped first, before what its
    // reload listeners use
    own(live.watch());
    log.info("Forumdesk is up: dashboard and API at http://{}:{}/ (Temporal at {})",
        settings.httpHost(), server.port(), target);
    if (settings.botToken().isEmpty() && mode != Mode.DEV) {
      log.warn(NO_BOT_TOKEN);
    }
    if (mode.runsIngress()) {
      ApiToken.announce(apiToken, mode);
    }
  }

  /**
   * The inbox as a ticket's late deadlines read it (lifecycle rules 13): in webhook mode with the
   * updates Telegram still holds for us (getWebhookInfo's pending_update_count, through the process's
   * one {@link WebhookInfo}, which health and the monitors read too: a read at most
   * {@link HeldByTelegramInbox#FRESH_FOR} old, one call to Telegram at a time), so that a reply Telegram
   * has not sent again yet is waited for too. In long polling our own getUpdates fetches them, the
   * inbox's rows alone (Telegram documents the count for its webhook delivery).
   */
  private static dev.forumdesk.ticket.TicketInbox heldByTelegram(Inbox inbox, WebhookInfo webhookInfo,
      boolean webhookMode) {
    return webhookMode ? HeldByTelegramInbox.of(inbox, webhookInfo) : inbox;
  }

  /**
   * A restart that changed support.level2-chat-id leaves open tickets with a Level 2 topic in the old
   * chat (audit 9, F3), and escalations whose topic still waits in the outbox for it (audit 11, F1):
   * said at start, with what becomes of them.
   */
  private static void level2TopicsElsewhere(Level2Topics level2Topics, ForumdeskConfig config) {
    long level2Chat = config.support().level2ChatId();
    boolean staffForum = config.relay() || level2Chat != config.support().chatId();
    int elsewhere = level2Topics.openElsewhere(level2Chat);
    if (elsewhere > 0) {
      log.warn("{} open ticket{} Level 2 topic in another chat than support.level2-chat-id ({}), as it was"
              + " before a restart: replies and commands there still reach {}; a ticket escalated from now on {}",
          elsewhere, elsewhere == 1 ? " has its" : "s have their", level2Chat,
          elsewhere == 1 ? "it" : "them", staffForum ? "opens its Level 2 topic in the chat of now"
              : "opens none (no staff forum): its summary goes to the supervisors by DM");
    }
    level2Topics.queuedElsewhere(level2Chat).forEach((chat, queued) -> log.warn("{} Level 2 topic{} still queued for {}"
            + " (escalated before a restart that changed support.level2-chat-id) will open there; one Telegram refuses"
            + " there for good {}", queued, queued == 1 ? "" : "s", chat, staffForum
            ? "opens in support.level2-chat-id (" + level2Chat + ") instead"
            : "opens none (no staff forum): its summary goes to the supervisors by DM"));
  }

  /**
   * An /away or /back typed where no ticket is: done, and its answer (or refusal) for that chat;
   * only "noted" in the General topic of a forum customers read (group mode).
   */
  private static java.util.function.Function<Classified.Shift, String> shiftAnswers(ShiftCommand shifts,
      StaffPlaces places) {
    return s -> {
      RoutingActivities.CommandResult r = shifts.run(s.agent().id(), s.back(), places.customersRead(s.chatId()));
      return r.refused() ? "🚫 " + Html.escape(r.reply()) : r.reply();
    };
  }

  public int port() {
    return server.port();
  }

  /** The in-process Temporal server, when no cluster is configured (fault-injection tests use it). */
  public Optional<EmbeddedTemporal> embeddedTemporal() {
    return embeddedTemporal;
  }

  public Database database() {
    return database;
  }

  /**
   * help-desk.kind request-tracker or zammad: the tickets are mirrored into Request Tracker or
   * Zammad, its status changes pulled back and its agents' replies posted into the topics (by the
   * worker role, which also sends the bot's messages); builtin: nothing.
   */
  private HelpDeskTwins helpDesk(ForumdeskConfig config, Settings settings, Database database, TicketGateway gateway,
      Relay relay, Outbox outbox, MeterRegistry metrics, Mode mode) {
    ForumdeskConfig.HelpDesk hd = config.helpDesk();
    if (!hd.external()) {
      return HelpDeskTwins.NONE;
    }
    Settings.HelpDeskCredentials c = settings.helpDesk();
    HelpDesk desk = switch (hd.kind()) {
      case ForumdeskConfig.HelpDesk.ZAMMAD ->
          new Zammad(hd.url().orElseThrow(), hd.queue(), c.token().orElseThrow(), Duration.ofSeconds(10));
      default -> new RequestTracker(hd.url().orElseThrow(), hd.queue(),
          new RequestTracker.Credentials(c.user().orElse(null), c.password().orElse(null), c.token().orElse(null)),
          Duration.ofSeconds(10), hd.requestorDomain());
    };
    HelpDeskLinks links = new HelpDeskLinks(database, desk.kind());
    if (mode.runsIngress()) { // the conversation is recorded where the updates are delivered
      gateway.onDelivered(HelpDeskSync.recorder(links));
    }
    if (mode.runsWorker()) {
      // started once the open tickets run again (Restore): see start()
      helpDeskSync = Optional.of(own(new HelpDeskSync(desk, links, gateway, relay, outbox, metrics, hd.syncBack(),
          config.routing().firstMessageWait())));
    }
    return HelpDeskTwins.of(desk, links);
  }

  /** Stops what started, last first; SIGTERM comes here through Forumdesk's shutdown hook. */
  @Override
  public void close() {
    if (resources.isEmpty()) {
      return; // stopped already
    }
    long start = System.nanoTime();
    log.info("stopping…");
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
    log.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
  }
}
