package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.shift.SettableClock;
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
 * A reload applies the keys the running app re-reads (agents, teams, sla for new tickets, routing,
 * support.senior-group) and, for each changed key that only a restart applies, logs one WARN naming
 * it with the value in force and the file's, and keeps the value in force: the readers of the live
 * configuration (who reads where, ticket policies) never disagree with what was wired at start.
 */
class LiveConfigTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(LiveConfig.class);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Path file;
  private int edits;

  private static final String START = """
      support: {mode: relay, chat-id: -100111, supervisors: [900001]}
      agents:
        - {id: 1001, name: Alice}
      sla: {first-response: PT5M}
      crm: {timeout: PT2S}
      webhook: {max-connections: 40, path-secret: aaaaaaaaaaaaaaaaaaaaaaaa}
      """;

  private LiveConfig start(String yaml) throws Exception {
    file = dir.resolve("forumdesk.yaml");
    Files.writeString(file, yaml);
    return new LiveConfig(ConfigLoader.read(ConfigLoader.tree(Optional.of(file)), Optional.of(file)),
        Optional.of(file), clock);
  }

  private ForumdeskConfig edit(LiveConfig live, String yaml) throws Exception {
    Files.writeString(file, yaml);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z").plusSeconds(++edits)));
    clock.advance(Duration.ofSeconds(3));
    return live.get();
  }

  private String restart(String change) {
    return "FORUMDESK_CONFIG " + file + ": " + change + ": takes effect after a restart";
  }

  @Test
  void aReloadNamesEachChangedKeyThatNeedsARestartAndKeepsItsValueInForce() throws Exception {
    LiveConfig live = start(START);

    ForumdeskConfig now = edit(live, """
        support: {mode: group, chat-id: -100111, supervisors: [900001, 900002]}
        agents:
          - {id: 1001, name: Alice}
          - {id: 1003, name: Carmen}
        sla: {first-response: PT2M}
        crm: {timeout: PT3S}
        webhook: {max-connections: 20, path-secret: bbbbbbbbbbbbbbbbbbbbbbbb}
        """);

    assertThat(logs.warnings()).containsExactly(
        restart("support.mode changed relay → group"),
        restart("support.supervisors changed [900001] → [900001, 900002]"),
        restart("crm.timeout changed PT2S → PT3S"),
        restart("webhook.path-secret changed (hidden)"),
        restart("webhook.max-connections changed 40 → 20"));
    assertThat(now.relay()).as("the mode in force: the classifier and the relay were wired for it").isTrue();
    assertThat(now.support().supervisors()).containsExactly(900001L);
    assertThat(now.crm().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(now.agents()).extracting(AgentConfig::name).containsExactly("Alice", "Carmen");
    assertThat(now.sla().firstResponse()).as("new tickets' SLA: live").isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void onlyTheLiveKeysChangedReloadsWithoutAWarningAndSoDoesAFileBackToTheValuesInForce() throws Exception {
    LiveConfig live = start(START);

    edit(live, START.replace("PT5M", "PT3M").replace("name: Alice}", "name: Alice, max-open: 3}"));
    assertThat(logs.warnings()).isEmpty();
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(3));

    edit(live, START.replace("mode: relay", "mode: group"));
    assertThat(logs.warnings()).containsExactly(restart("support.mode changed relay → group"));
    edit(live, START);
    assertThat(logs.warnings()).as("relay is in force: nothing waits for a restart").hasSize(1);
    assertThat(logs.at(ch.qos.logback.classic.Level.INFO)).hasSize(3);
  }

  @Test
  void theHelpDeskAndTheCrmUrlAreNamedWithoutTheirCredentials() throws Exception {
    LiveConfig live = start("support: {chat-id: -100111}\n");

    edit(live, """
        support: {chat-id: -100111}
        crm: {url: 'https://bot:s3cret@crm.example.com/api'}
        help-desk: {kind: request-tracker, url: 'http://rt.example.com', queue: Support}
        """);

    assertThat(logs.warnings()).containsExactly(
        restart("crm.url changed (none) → https://…@crm.example.com/api"),
        restart("help-desk.kind changed builtin → request-tracker"),
        restart("help-desk.url changed (none) → http://rt.example.com"),
        restart("help-desk.queue changed General → Support"));
    assertThat(String.join("\n", logs.warnings())).doesNotContain("s3cret");
    assertThat(live.get().helpDesk().external()).isFalse();
  }

  @Test
  void everyKeyOfTheDefaultsIsLiveOrNamedAsNeedingARestart() {
    List<String> leaves = ConfigLoader.tree(Optional.empty()).traverse()
        .filter(io.helidon.config.Config::isLeaf)
        .map(n -> n.key().toString().replaceAll("\\.\\d+$", ""))
        .distinct()
        .toList();
    assertThat(leaves).isNotEmpty().allSatisfy(key -> assertThat(RestartKeys.live(key) || RestartKeys.names().contains(key))
        .as(key).isTrue());
  }
}
