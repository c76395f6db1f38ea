package dev.forumdesk.app;

import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.assignment.RosterCommands;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.crm.CrmClient;
import dev.forumdesk.crm.TierTable;
import dev.forumdesk.nlp.Sentiment;
import dev.forumdesk.routing.RoutingActivitiesImpl;
import dev.forumdesk.store.CustomerHistory;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds phase 2 routing and assignment: the roster (for the API too) and the worker's activities. */
final class RoutingWiring {
  private static final Logger log = LoggerFactory.getLogger(RoutingWiring.class);

  final LiveConfig config;
  final Roster roster;
  private final Database database;

  RoutingWiring(LiveConfig config, Database database) {
    this.config = config;
    this.database = database;
    this.roster = new Roster(database, () -> config.get().agents());
    roster.sync();
  }

  /**
   * @param demo demo mode without a configured CRM: start the example CRM on loopback
   * @param own registers what must be closed with the app
   */
  RoutingActivitiesImpl activities(Outbox outbox, Runnable outboxWake, boolean demo, Consumer<AutoCloseable> own) {
    ForumdeskConfig.Crm crm = config.get().crm();
    Optional<String> url = crm.url();
    if (url.isEmpty() && demo) {
      ExampleCrm example = ExampleCrm.start();
      own.accept(example);
      url = Optional.of(example.url());
      log.info("demo mode: example CRM at {}", example.url());
    }
    Assigner assigner = new Assigner(database, roster);
    return new RoutingActivitiesImpl(
        config,
        new Sentiment(),
        new CrmClient(url, crm.timeout(), new TierTable(crm.tiers(), crm.defaultTier()), Clock.systemUTC()),
        new CustomerHistory(database),
        assigner,
        new RosterCommands(roster, assigner),
        outbox,
        outboxWake,
        Clock.systemUTC());
  }
}
