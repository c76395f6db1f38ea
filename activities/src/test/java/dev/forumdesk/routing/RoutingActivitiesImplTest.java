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
    Roster roster = new Roster(db, config::agents, () -> config.routing().defaultLanguage(), clock);
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

  /**
   * Audit 13, F7: on a desk whose agents speak English and Russian, "Zahlung fehlgeschlagen" under
   * the title "Zahlung" (and the audit's Italian and Spanish ones) was "language en: team default",
   * and the customer was acknowledged in English. The ticket keeps its language, said to be not
   * served, goes to the agents of the default language with that in /why, and the acknowledgement,
   * by the same rule as routing (RoutingWiring), speaks it.
   */
  @Test
  void aShortTextInALanguageNoAgentSpeaksIsRecognisedForRoutingAndTheAcknowledgement() {
    ForumdeskConfig config = ConfigLoader.fromYaml("""
        routing: {default-language: en}
        agents:
          - {id: 1, name: Boris, languages: [ru, en]}
          - {id: 2, name: Alice, languages: [en, ru]}
        """);
    Roster roster = new Roster(db, config::agents, () -> config.routing().defaultLanguage(), clock);
    roster.sync();
    var activities = new RoutingActivitiesImpl(() -> config, null, null, new CustomerHistory(db),
        new Assigner(db, roster), null, null, clock);
    String[][] cases = {
        {"Zahlung\nZahlung fehlgeschlagen", "de", "Danke, wir haben Ihre Anfrage"},
        {"Hilfe\nPasswort vergessen", "de", "Danke, wir haben Ihre Anfrage"},
        {"Refund\nRimborso non ricevuto", "it", "Grazie, abbiamo ricevuto"},
        {"Order\nPedido no recibido", "es", "Gracias, hemos recibido"}};
    for (String[] c : cases) {
      for (String code : new String[] {null, c[1]}) {
        var guess = activities.ticketLanguage(c[0], code);
        assertThat(guess.language()).as(c[0] + " " + code + ": " + guess.reason()).isEqualTo(c[1]);
        assertThat(guess.reason()).startsWith("language " + c[1] + " (not served): ");
        var ack = new dev.forumdesk.outbox.Acknowledgement(
            id -> Optional.of(new dev.forumdesk.outbox.Acknowledgement.Customer(c[0], code)),
            (t, k) -> activities.ticketLanguage(t, k).language(), Optional::empty, clock);
        var sent = ack.localize(new dev.forumdesk.ticket.OutboundMessage("t:ack", -1L, 5L,
            "Thanks, we got your request <b>Zahlung</b>. Ticket #5 is in the queue; an agent will answer here.",
            dev.forumdesk.ticket.OutboundMessage.LOW), "t");
        assertThat(sent.html()).as(c[0]).startsWith(c[2]);
      }
      AssignResult result = activities.assign(new AssignRequest("ticket-" + c[1] + c[0].length(),
          new AgentRequirements(c[1], null, null, 1, null), 1.0));
      assertThat(result.agent()).isNotNull();
      assertThat(result.reasons()).first()
          .isEqualTo("language " + c[1] + ": no agent speaks it, agents of en (the default) instead");
    }
    // a text too short to read says so, rather than naming the default as if it were a choice
    assertThat(activities.ticketLanguage("Zahlung", null).reason()).isEqualTo("language en: short text, team default");
  }
}
