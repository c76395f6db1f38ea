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

  /**
   * Audit 19b, F1: an empty file (a failed template, a truncate-then-write save) merged over the
   * defaults was a desk with no agents, and every agent left at once. It is a failed read now: one
   * ERROR naming the file and why, the last good configuration stays, and no listener runs.
   */
  @Test
  void anEmptyOrCommentsOnlyFileIsAFailedReadAndTheLastGoodConfigurationStays() throws Exception {
    LiveConfig live = start(START);
    int[] reloads = {0};
    live.onReload(() -> reloads[0]++);

    assertThat(edit(live, "").agents()).extracting(AgentConfig::name).containsExactly("Alice");
    assertThat(edit(live, "  \n# forumdesk.yaml, generated\n\n").agents()).extracting(AgentConfig::name)
        .containsExactly("Alice");

    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).containsExactly(
        "configuration reload from " + file + " rejected, keeping the last good one: FORUMDESK_CONFIG " + file
            + ": the file has no YAML document (it is empty); an unfinished save or a failed template?",
        "configuration reload from " + file + " rejected, keeping the last good one: FORUMDESK_CONFIG " + file
            + ": the file has no YAML document (only blank lines and comments); an unfinished save or a failed template?");
    assertThat(reloads[0]).isZero();
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(5));

    edit(live, START.replace("PT5M", "PT4M")); // the file restored (and edited): read as usual
    assertThat(reloads[0]).isOne();
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(4));
  }

  /**
   * A listener that fails (a database hiccup in one of them) does not keep the others from running
   * (the waiting line served, departed agents' tickets handed over), and the reload, applied, is not
   * logged as rejected: the file is in force, the failure is a WARN naming it. Listeners run on the
   * watcher's thread too, where nothing else would see the failure.
   */
  @Test
  void aListenerThatFailsDoesNotStopTheOthersNorReadAsARejectedReload() throws Exception {
    LiveConfig live = start(START);
    int[] later = {0};
    live.onReload(() -> {
      throw new IllegalStateException("database unavailable");
    });
    live.onReload(() -> later[0]++);

    assertThat(edit(live, START.replace("PT5M", "PT4M")).sla().firstResponse()).isEqualTo(Duration.ofMinutes(4));

    assertThat(later[0]).isOne();
    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).isEmpty();
    assertThat(logs.at(ch.qos.logback.classic.Level.WARN)).anySatisfy(w -> assertThat(w)
        .contains("configuration reloaded from " + file).contains("database unavailable"));
  }

  /**
   * Audit 20a, F1: business hours too narrow for an SLA time were applied by a reload, and every
   * ticket opened after it failed for ever. Now refused as any bad value: one ERROR, the last good stays.
   */
  @Test
  void aReloadWithBusinessHoursTooNarrowForAnSlaTimeKeepsTheLastGoodOne() throws Exception {
    LiveConfig live = start(START);

    ForumdeskConfig now = edit(live, START.replace("sla: {first-response: PT5M}",
        "sla: {first-response: PT5M, business-hours: {zone: UTC, days: SUN, from: '00:58', to: '01:00'}}"));

    assertThat(now.sla().businessHours()).as("the last good one: none").isEmpty();
    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).containsExactly("configuration reload from " + file
        + " rejected, keeping the last good one: sla.next-response: PT2H of business time does not fall due within a"
        + " year of sla.business-hours, which are open 1 h 44 min in 52 weeks; shorten it or widen the hours");
  }

  /** A reload reads the file's text once; a YAML error in it is still named with its line. */
  @Test
  void aReloadOfInvalidYamlNamesTheLineAndKeepsTheLastGoodOne() throws Exception {
    LiveConfig live = start(START);

    assertThat(edit(live, START.replace("- {id: 1001, name: Alice}", "- {id: 1001, name: [Alice}")).agents())
        .extracting(AgentConfig::name).containsExactly("Alice");

    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).singleElement().asString()
        .startsWith("configuration reload from " + file + " rejected, keeping the last good one: FORUMDESK_CONFIG "
            + file + ": not valid YAML (line 3: ");
  }

  /** A file that lists no agents while some are in force is refused: only a restart empties the team. */
  @Test
  void aReloadThatWouldLeaveNoAgentsIsRefused() throws Exception {
    LiveConfig live = start(START);

    ForumdeskConfig now = edit(live, START.replace("agents:\n  - {id: 1001, name: Alice}\n", "")
        .replace("PT5M", "PT1M"));

    assertThat(now.agents()).extracting(AgentConfig::name).containsExactly("Alice");
    assertThat(now.sla().firstResponse()).as("nothing of the refused file applies").isEqualTo(Duration.ofMinutes(5));
    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).singleElement().asString()
        .contains(file + ": it lists no agents, and 1 are in force")
        .endsWith("to run with no agents, restart with this file");
  }

  /**
   * A save caught half-written (truncated, then written in two steps) is not applied half-way: the
   * two reads differ, the file is read again {@link LiveConfig#SETTLE} later, and only the whole
   * file is applied, once.
   */
  @Test
  void aFileCaughtHalfWrittenIsAppliedOnlyOnceItsContentIsStable() throws Exception {
    String whole = START.replace("name: Alice}", "name: Alice}\n  - {id: 1003, name: Carmen}").replace("PT5M", "PT2M");
    String half = whole.substring(0, whole.indexOf("  - {id: 1003"));
    file = dir.resolve("forumdesk.yaml");
    Files.writeString(file, START);
    List<Duration> pauses = new java.util.ArrayList<>();
    LiveConfig live = new LiveConfig(ConfigLoader.read(ConfigLoader.tree(Optional.of(file)), Optional.of(file)),
        Optional.of(file), clock, d -> {
          pauses.add(d);
          if (pauses.size() == 1) {
            try {
              Files.writeString(file, whole); // the save's second half lands between the two reads
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });
    List<List<String>> applied = new java.util.ArrayList<>();
    live.onReload(() -> applied.add(live.get().agents().stream().map(AgentConfig::name).toList()));

    Files.writeString(file, half);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
    clock.advance(Duration.ofSeconds(3));
    assertThat(live.get().agents()).as("the half file is not applied").extracting(AgentConfig::name)
        .containsExactly("Alice");
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(5));

    clock.advance(LiveConfig.SETTLE); // the next look: the same bytes twice
    assertThat(live.get().agents()).extracting(AgentConfig::name).containsExactly("Alice", "Carmen");
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(2));
    assertThat(applied).containsExactly(List.of("Alice", "Carmen"));
    assertThat(pauses).as("the next look compares with the read before, without waiting").containsExactly(LiveConfig.SETTLE);
    assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).isEmpty();
  }

  /**
   * A file that keeps changing (a generator rewriting it, a log appended to it) is read at each look
   * {@link LiveConfig#SETTLE} apart, but the reader whose {@code get()} makes the look (a request, an
   * activity, the outbox) waits {@link LiveConfig#SETTLE} only at the first look after the change:
   * each later look compares the file with what the look before read. Before, every look slept
   * 0.3 s on its reader's thread (one stalled reader every 0.3 s for as long as the file changed) and
   * logged an INFO line each time. Once the file stays the same, it is applied, once.
   */
  @Test
  void aFileThatKeepsChangingStallsNoReaderAtEveryLookAndIsLoggedOnce() throws Exception {
    file = dir.resolve("forumdesk.yaml");
    Files.writeString(file, START);
    List<Duration> pauses = new java.util.ArrayList<>();
    int[] writes = {0};
    Runnable write = () -> {
      try {
        Files.writeString(file, START.replace("PT5M", "PT2M") + "# written " + (++writes[0]) + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z").plusSeconds(writes[0])));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    LiveConfig live = new LiveConfig(ConfigLoader.read(ConfigLoader.tree(Optional.of(file)), Optional.of(file)),
        Optional.of(file), clock, d -> {
          pauses.add(d);
          write.run(); // it changes while being read
        });
    int[] reloads = {0};
    live.onReload(() -> reloads[0]++);

    write.run();
    clock.advance(Duration.ofSeconds(3));
    for (int look = 0; look < 5; look++) {
      assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(5));
      write.run(); // and again before the next look
      clock.advance(LiveConfig.SETTLE);
    }
    assertThat(pauses).as("only the first look after the change waits on its reader's thread")
        .containsExactly(LiveConfig.SETTLE);
    assertThat(logs.at(ch.qos.logback.classic.Level.INFO)).as("said once, not at every look").singleElement()
        .asString().contains(file + " is being written");

    live.get(); // the writer stopped: this look reads what the next one compares with
    clock.advance(LiveConfig.SETTLE);
    assertThat(live.get().sla().firstResponse()).isEqualTo(Duration.ofMinutes(2));
    assertThat(reloads[0]).isOne();
    assertThat(pauses).hasSize(1);
  }

  /**
   * Audit 20a, F7: a changed file was only looked at when something read the configuration; on an
   * idle desk an invalid file's ERROR came 13-18 s after the save, a good file was applied 25 s
   * after. Watching, the file is looked at every {@code CHECK_EVERY} on a thread of its own: with
   * nothing reading the configuration, a refused file's ERROR and a good file's reload come within
   * about two seconds (and the 0.3 s of the two reads). A real file and the real clock.
   */
  @Test
  void aChangedFileIsLookedAtWithinTwoSecondsWhenNothingReadsTheConfiguration() throws Exception {
    file = dir.resolve("forumdesk.yaml");
    Files.writeString(file, START);
    List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LiveConfig live = new LiveConfig(ConfigLoader.read(ConfigLoader.tree(Optional.of(file)), Optional.of(file)),
        Optional.of(file), java.time.Clock.systemUTC())) {
      live.onReload(() -> applied.add(live.get().sla().firstResponse().toString()));
      live.watch();

      long saved = System.nanoTime();
      Files.writeString(file, START.replace("sla: {first-response: PT5M}", "sla: {first-response: soon}"));
      within(Duration.ofSeconds(10),
          () -> !logs.at(ch.qos.logback.classic.Level.ERROR).isEmpty(), saved);
      assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).singleElement().asString()
          .startsWith("configuration reload from " + file + " rejected, keeping the last good one:");

      saved = System.nanoTime();
      Files.writeString(file, START.replace("PT5M", "PT3M"));
      within(Duration.ofSeconds(10), () -> !applied.isEmpty(), saved);
      assertThat(applied).containsExactly("PT3M");
    }
  }

  /** How long after {@code since} (System.nanoTime) {@code done} came true; fails after {@code limit}. */
  private static Duration within(Duration limit, java.util.function.BooleanSupplier done, long since)
      throws InterruptedException {
    while (true) {
      boolean now;
      try {
        now = done.getAsBoolean();
      } catch (java.util.ConcurrentModificationException e) {
        now = false; // the log appended to while read: look again
      }
      Duration took = Duration.ofNanos(System.nanoTime() - since);
      if (now) {
        return took;
      }
      assertThat(took).as("waited for the look").isLessThan(limit);
      Thread.sleep(50);
    }
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
