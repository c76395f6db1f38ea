package dev.forumdesk.app;

import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.assignment.FirstAnswer;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.assignment.RosterCommands;
import dev.forumdesk.assignment.ShiftStartAlarm;
import dev.forumdesk.assignment.WaitingPickup;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.crm.CrmClient;
import dev.forumdesk.crm.TierTable;
import dev.forumdesk.nlp.Languages;
import dev.forumdesk.nlp.Sentiment;
import dev.forumdesk.outbox.Acknowledgement;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.routing.RoutingActivitiesImpl;
import dev.forumdesk.store.CustomerHistory;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.TicketWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds phase 2 routing and assignment: the roster (for the API too), and for the worker its
 * activities, the waiting-line pickup and the shift-start alarm.
 */
final class RoutingWiring {
  private static final Logger log = LoggerFactory.getLogger(RoutingWiring.class);

  final LiveConfig config;
  final Roster roster;
  /** Who reads where (support.mode), from the live config. */
  final StaffPlaces places;
  private final Database database;
  private CapacityFreed capacity = CapacityFreed.NOBODY;
  private FirstAnswer firstAnswer = FirstAnswer.NOBODY;

  RoutingWiring(LiveConfig config, Database database) {
    this.config = config;
    this.database = database;
    this.roster = new Roster(database, () -> config.get().agents(), () -> config.get().routing().defaultLanguage(),
        Clock.systemUTC());
    this.places = new StaffPlaces(config);
    roster.sync();
    // an agent added, or a username changed: GET /api/tickets?assignee= finds them by it, also once removed
    config.onReload(() -> {
      try {
        roster.sync();
      } catch (RuntimeException e) {
        log.warn("the agents' usernames are not updated in the database; the next start does it: {}", e.toString());
      }
    });
  }

  /**
   * The customer's acknowledgement in their language: the ticket's, by routing's own rule ({@link
   * RoutingActivitiesImpl#ticketLanguage}). A customer whose Telegram speaks a language the desk does
   * not serve is acknowledged in it where their words do not tell theirs (a short or unclear text),
   * and in the language they wrote in where they do: a clearly English message from a customer whose
   * language_code is it was routed English and acknowledged in Italian.
   */
  Acknowledgement acknowledgement(RoutingActivitiesImpl routing) {
    CustomerHistory history = new CustomerHistory(database);
    return new Acknowledgement(id -> history.openingWords(id)
        .map(w -> new Acknowledgement.Customer(w.text(), w.telegramCode())),
        (text, code) -> routing.ticketLanguage(text, code).language(),
        () -> config.get().sla().businessHours(), Clock.systemUTC());
  }

  /**
   * @param temporal signals a waiting ticket's workflow when the waiting line gave it an agent
   * @param demo demo mode without a configured CRM: start the example CRM on loopback
   * @param own registers what must be closed with the app
   */
  RoutingActivitiesImpl activities(Outbox outbox, WorkflowClient temporal, boolean demo,
      Consumer<AutoCloseable> own) {
    ForumdeskConfig.Crm crm = config.get().crm();
    Optional<String> url = crm.url();
    if (url.isEmpty() && demo) {
      ExampleCrm example = ExampleCrm.start();
      own.accept(example);
      url = Optional.of(example.url());
      log.info("demo mode: example CRM at {}", example.url());
    }
    Assigner assigner = assigner(temporal);
    WaitingPickup pickup = new WaitingPickup(assigner).start();
    own.accept(pickup);
    // a reload may raise a cap or add an agent: the waiting line is served at once, not at a retry
    config.onReload(() -> pickup.freed("configuration reloaded"));
    own.accept(new ShiftStartAlarm(() -> config.get().agents(), Clock.systemUTC(), pickup).start());
    capacity = pickup;
    firstAnswer = assigner::takeByAnswering;
    RoutingActivitiesImpl activities = new RoutingActivitiesImpl(
        config,
        new Sentiment(),
        new CrmClient(url, crm.timeout(), new TierTable(crm.tiers(), crm.defaultTier()), Clock.systemUTC()),
        new CustomerHistory(database),
        assigner,
        new RosterCommands(roster, assigner, pickup, places, new PrivateNotes(outbox, places), new TicketStore(database)),
        outbox,
        Clock.systemUTC());
    warmUpLanguages(activities, true);
    // a reload that changes the served languages rebuilds the detector: here, not at the next ticket
    config.onReload(() -> warmUpLanguages(activities, false));
    return activities;
  }

  /**
   * Loads the language detector's models on a thread of its own: lingua loads them at a first
   * detection, 2-3 s, which the first ticket after a start paid inside its routing's 4.5 s budget
   * (audit 12, F5: "language: failed (timed out)").
   */
  private static void warmUpLanguages(RoutingActivitiesImpl activities, boolean atStart) {
    Thread.ofPlatform().daemon().name("language-warm-up").start(() -> {
      long start = System.nanoTime();
      try {
        Languages languages = activities.warmUpLanguages();
        if (atStart) {
          log.info("language detection warmed up in {} ms: lingua's models for {} and the unserved-language"
              + " check loaded", (System.nanoTime() - start) / 1_000_000,
              String.join(", ", new java.util.TreeSet<>(languages.supported())));
        }
      } catch (RuntimeException e) {
        log.warn("the language models were not loaded ahead; the first ticket's detection loads them: {}",
            e.toString());
      }
    });
  }

  /**
   * The webhook role, with no worker in this JVM: an agent's /back typed where no ticket is (the
   * General topic, a private chat) reaches only this process, and {@link #capacity()} stayed {@link
   * CapacityFreed#NOBODY}, so the waiting line waited for the worker's sweep, up to a minute. Here a
   * pickup of its own serves the line when told; the worker's keeps sweeping.
   */
  void serveLineHere(WorkflowClient temporal, Consumer<AutoCloseable> own) {
    WaitingPickup pickup = WaitingPickup.whenTold(assigner(temporal)).start();
    own.accept(pickup);
    capacity = pickup;
  }

  /**
   * Where resolves and /back report freed slots; {@link CapacityFreed#NOBODY} until {@link
   * #activities} or {@link #serveLineHere} ran.
   */
  CapacityFreed capacity() {
    return capacity;
  }

  /** First to answer a waiting ticket takes it; {@link FirstAnswer#NOBODY} until {@link #activities} ran. */
  FirstAnswer firstAnswer() {
    return firstAnswer;
  }

  private Assigner assigner(WorkflowClient temporal) {
    return new Assigner(database, roster, ticketId -> tell(temporal, ticketId));
  }

  /** The line recorded an assignment for this waiting ticket: its workflow records it now, not at its next retry. */
  private static void tell(WorkflowClient temporal, String ticketId) {
    try {
      temporal.newWorkflowStub(TicketWorkflow.class, ticketId).capacityFreed();
    } catch (WorkflowNotFoundException e) {
      log.debug("{} finished before it could be told of its agent", ticketId);
    }
  }
}
