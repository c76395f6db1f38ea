package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.telegram.SampleDesk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key no reader asks for (a typo) does nothing; the load says so in one WARN, at start and at each
 * reload, naming the key meant when one is close. Names a reader does not know in advance (categories,
 * priorities, agents, tiers, teams) are the file's to choose.
 */
class UnknownKeysTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(ConfigLoader.class);

  List<String> warnings() {
    return logs.warnings();
  }

  Path write(String yaml) throws Exception {
    Path file = dir.resolve("forumdesk.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  static final String TYPOS = """
      support: {chat-id: -100, supervisor: [900001]}
      agents:
        - {id: 1001, name: Alice, username: alice, max-open: 8}
        - {id: 1002, name: Boris, max-opne: 6, shift: {zone: UTC, hours: "Mon-Fri 09:00-18:00", tz: UTC}}
      team-shifts:
        night: {zone: UTC, hours: "Sun-Thu 22:00-06:00"}
      sla:
        first-responce: PT20M
        priorities: {HIGH: {first-response: PT10M}, URGENT: {frist-response: PT2M}}
        business-hours: {zone: Europe/Berlin, days: MON-FRI, from: "08:00", to: "17:00"}
      routing:
        frist-message-wait: PT5S
        categories:
          shipping: ['parcel|delivery']
        complexity: {shipping: 1.5}
        tier-factors: {diamond: 3.0}
        language-teams: {de: general}
        recurring: {tickets: 3, withn: P3D}
      routng: {sticky-agent: false}
      crm: {tiers: {5001: gold}}
      webhook: {max-conections: 10}
      colour: blue
      """;

  @Test
  void eachUnknownKeyIsNamedByItsFullPathWithTheKeyMeantWhenOneIsClose() throws Exception {
    Path file = write(TYPOS);
    ForumdeskConfig config = ConfigLoader.load(Optional.of(file));

    assertThat(config.sla().firstResponse()).as("the typo did nothing").isEqualTo(Duration.ofMinutes(30));
    assertThat(config.routing().categories()).containsKey("shipping");
    assertThat(warnings()).containsExactly("FORUMDESK_CONFIG " + file + ": ignoring 10 unknown keys:"
        + " support.supervisor (did you mean support.supervisors?),"
        + " agents[1].max-opne (did you mean agents[1].max-open?),"
        + " agents[1].shift.tz,"
        + " sla.first-responce (did you mean sla.first-response?),"
        + " sla.priorities.URGENT.frist-response (did you mean sla.priorities.URGENT.first-response?),"
        + " routing.frist-message-wait (did you mean routing.first-message-wait?),"
        + " routing.recurring.withn (did you mean routing.recurring.within?),"
        + " routng (did you mean routing?),"
        + " webhook.max-conections (did you mean webhook.max-connections?),"
        + " colour");
  }

  @Test
  void theSampleConfigurationsWarnOfNothing() throws Exception {
    ConfigLoader.load(Optional.of(Path.of("src/test/resources/contract-sample.yaml")));
    ConfigLoader.load(Optional.of(Path.of("../deploy/forumdesk.yaml")));
    ConfigLoader.load(Optional.of(Path.of("../app/src/main/resources/demo.yaml")));
    ConfigLoader.load(Optional.of(Path.of("src/main/resources/forumdesk-defaults.yaml")));
    ConfigLoader.load(Optional.of(write(SampleDesk.yaml(8))));
    assertThat(warnings()).isEmpty();
  }

  /**
   * A supervisor who is no agent may be given a name (and a username) to be mentioned by, instead of
   * "Supervisor 900002"; a plain id still works (audit 8 F15).
   */
  @Test
  void aSupervisorWhoIsNoAgentCanBeNamed() throws Exception {
    ForumdeskConfig config = ConfigLoader.load(Optional.of(write("""
        support:
          chat-id: -100
          supervisors: [900001, {id: 900002, name: Sue, username: sue_lead}, {id: 900003, name: Tom}]
        """)));
    assertThat(warnings()).isEmpty();
    assertThat(config.support().supervisors()).containsExactly(900001L, 900002L, 900003L);
    assertThat(config.staffMember(900001).name()).isEqualTo("Supervisor 900001");
    assertThat(config.staffMember(900002)).isEqualTo(new dev.forumdesk.ticket.Person(900002, "Sue", "sue_lead"));
    assertThat(config.staffMember(900003).mention()).isEqualTo("<a href=\"tg://user?id=900003\">Tom</a>");
    assertThat(config.roleOf(900002)).isEqualTo(dev.forumdesk.ticket.Role.SUPERVISOR);
  }

  @Test
  void aReloadWarnsOfTheUnknownKeysOfTheNewFile() throws Exception {
    Path file = write("support: {chat-id: -100}\n");
    var clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    LiveConfig live = new LiveConfig(ConfigLoader.load(Optional.of(file)), Optional.of(file), clock);
    assertThat(warnings()).isEmpty();

    Files.writeString(file, "support: {chat-id: -100}\nsla: {first-response: PT10M, next-responce: PT1H}\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
    clock.advance(Duration.ofSeconds(3));
    assertThat(live.get().sla().firstResponse()).as("reloaded").isEqualTo(Duration.ofMinutes(10));
    assertThat(warnings()).containsExactly("FORUMDESK_CONFIG " + file + ": ignoring 1 unknown key:"
        + " sla.next-responce (did you mean sla.next-response?)");
  }

  @Test
  void aCloseNameIsAFewLettersAwayMoreForALongerOne() {
    assertThat(UnknownKeys.distance("frist-response", "first-response")).isEqualTo(2);
    assertThat(UnknownKeys.closest("Frist-Response", List.of("first-response", "next-response"))).contains("first-response");
    assertThat(UnknownKeys.closest("id", List.of("to", "zone"))).as("two of two letters is no slip").isEmpty();
    assertThat(UnknownKeys.closest("colour", List.of("crm", "sla", "teams"))).isEmpty();
  }
}
