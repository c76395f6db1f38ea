package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.shift.ShiftHours;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShiftConfigTest {
  @TempDir Path dir;

  static final String SHIFTS = """
      team-shifts:
        general: {zone: Europe/Berlin, hours: "Mon-Fri 09:00-18:00"}
      agents:
        - {id: 1001, name: Alice, team: general}
        - {id: 1002, name: Boris, team: general, shift: {zone: Asia/Tbilisi, hours: ["Sat-Thu 22:00-06:00"]}}
        - {id: 1003, name: Carmen, team: general, shift: always}
        - {id: 1004, name: Sven, team: senior}
      """;

  @Test
  void agentsTakeTheirOwnHoursElseTheirTeamsElseAlways() {
    ForumdeskConfig c = ConfigLoader.fromYaml(SHIFTS);
    assertThat(c.agent(1001).orElseThrow().shift()).hasToString("Mon-Fri 09:00-18:00 (Europe/Berlin)");
    assertThat(c.agent(1002).orElseThrow().shift()).hasToString("Sat-Thu 22:00-06:00 (Asia/Tbilisi)");
    assertThat(c.agent(1002).orElseThrow().shift().zone()).isEqualTo(ZoneId.of("Asia/Tbilisi"));
    assertThat(c.agent(1003).orElseThrow().shift()).isSameAs(ShiftHours.ALWAYS);
    assertThat(c.agent(1004).orElseThrow().shift()).as("no team default for senior").isSameAs(ShiftHours.ALWAYS);
  }

  @Test
  void aBadShiftFailsTheLoadNamingTheAgentAndTheValue() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        agents:
          - {id: 1001, name: Alice, shift: {zone: Europe/Berlin, hours: "Mon-Fry 09:00-18:00"}}
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agents[Alice, id 1001].shift: 'Mon-Fry 09:00-18:00': unknown day 'Fry'"
            + " (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        agents:
          - {id: 1002, name: Boris, shift: {zone: Europe/Berln, hours: "Mon-Fri 09:00-18:00"}}
        """))
        .hasMessage("agents[Boris, id 1002].shift: 'Europe/Berln' is not a time zone id (e.g. Europe/Berlin, UTC)");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        agents:
          - {id: 1003, name: Carmen, shift: {hours: "Mon-Fri 09:00-18:00"}}
        """))
        .hasMessageContaining("agents[Carmen, id 1003].shift: a zone is required");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        agents:
          - {id: 1004, name: Sven, shift: nights}
        """))
        .hasMessageStartingWith("agents[Sven, id 1004].shift: 'nights' must be 'always' or {zone: ");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        team-shifts:
          technical: {zone: UTC, hours: "Mon-Fri 09:00-18:30pm"}
        """))
        .hasMessageStartingWith("team-shifts.technical: 'Mon-Fri 09:00-18:30pm': expected '<days> HH:MM-HH:MM'");
  }

  @Test
  void theShippedExampleConfigLoadsWithItsShift() {
    ForumdeskConfig c = ConfigLoader.load(Optional.of(Path.of("../deploy/forumdesk.yaml")));
    assertThat(c.agent(1004).orElseThrow().shift()).hasToString("Mon-Fri 09:00-18:00 (Europe/Berlin)");
    assertThat(c.agent(1001).orElseThrow().shift().always()).isTrue();
  }

  @Test
  void aReloadWithABadShiftKeepsTheLastGoodConfig() throws Exception {
    Path file = dir.resolve("live.yaml");
    Files.writeString(file, SHIFTS);
    var clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    LiveConfig live = new LiveConfig(ConfigLoader.load(Optional.of(file)), Optional.of(file), clock);

    Files.writeString(file, SHIFTS.replace("Mon-Fri 09:00-18:00", "Mon-Fri 09:00-25:00"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file)))
        .hasMessageContaining("team-shifts.general: 'Mon-Fri 09:00-25:00': '25:00' is not a time of day");
    clock.advance(Duration.ofSeconds(3));
    assertThat(live.get().agent(1001).orElseThrow().shift()).as("last good")
        .hasToString("Mon-Fri 09:00-18:00 (Europe/Berlin)");
  }
}
