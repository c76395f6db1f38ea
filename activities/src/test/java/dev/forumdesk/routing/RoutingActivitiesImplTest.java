package dev.forumdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.crm.CrmClient;
import dev.forumdesk.crm.TierTable;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.store.CustomerHistory;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Person;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The customer activity on the real H2 database: CRM tier, recurring count and sticky agent. */
class RoutingActivitiesImplTest {
  static final Person BOB = new Person(42, "Bob", "bob");
  static final Person ALICE = new Person(7, "Alice", "alice");

  @TempDir Path dir;
  final MockWebServer crm = new MockWebServer();
  final SettableClock clock = new SettableClock(TestTickets.CREATED.plus(Duration.ofDays(1)));
  Database db;

  @BeforeEach
  void open() throws Exception {
    crm.start();
    db = Database.embedded(dir);
    TestTickets.projectOf(db, "earlier-1", BOB, ALICE);
    TestTickets.projectOf(db, "earlier-2", BOB, null);
  }

  @AfterEach
  void close() {
    crm.close();
    db.close();
  }

  RoutingActivitiesImpl activities(Duration crmTimeout) {
    ForumdeskConfig config = ConfigLoader.fromYaml("routing: {recurring: {within: P7D}}");
    CrmClient client = new CrmClient(Optional.of(crm.url("/").toString()), crmTimeout,
        new TierTable(Map.of(), "standard"), clock);
    return new RoutingActivitiesImpl(() -> config, null, client, new CustomerHistory(db), null, null, null, clock);
  }

  @Test
  void aSlowCrmGivesTheDefaultTierWithinItsTimeoutAndKeepsTheCustomersHistory() {
    for (int i = 0; i < 2; i++) {
      crm.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body("{\"tier\":\"gold\"}").build());
    }
    long start = System.nanoTime();
    var profile = activities(Duration.ofMillis(500)).customer(new RoutingActivities.CustomerRequest("new", BOB.id()));
    // generous: the shared CI machine is slow; the point is "about crm.timeout", well inside routing's 5 s
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(profile).isEqualTo(new RoutingActivities.CustomerProfile(
        "standard", 3, ALICE.id(), List.of("tier standard: CRM timed out after PT0.5S, default tier")));
  }

  @Test
  void aTicketInALanguageNoAgentSpeaksGoesToTheAgentsOfTheDefaultLanguage() {
    // Boris would win the tie (lower id) if the language were simply ignored
    ForumdeskConfig config = ConfigLoader.fromYaml("""
        routing: {default-language: en}
        agents:
          - {id: 1, name: Boris, languages: [ru]}
          - {id: 2, name: Alice, languages: [en]}
        """);
    Roster roster = new Roster(db, config::agents, clock);
    roster.sync();
    var activities = new RoutingActivitiesImpl(() -> config, null, null, new CustomerHistory(db),
        new Assigner(db, roster), null, null, clock);

    AssignResult german = activities.assign(
        new AssignRequest("ticket-de", new AgentRequirements("de", null, null, 1, null), 1.0));
    assertThat(german.agent().name()).isEqualTo("Alice");
    assertThat(german.reasons()).first().isEqualTo("language de: no agent speaks it, agents of en (the default) instead");

    AssignResult russian = activities.assign(
        new AssignRequest("ticket-ru", new AgentRequirements("ru", null, null, 1, null), 1.0));
    assertThat(russian.agent().name()).as("a served language as before").isEqualTo("Boris");
    assertThat(russian.reasons()).noneMatch(r -> r.contains("default"));
  }
}
