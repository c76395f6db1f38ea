package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.routing.CategoryLibrary;
import dev.forumdesk.routing.RoutingActivitiesImpl;
import dev.forumdesk.shift.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingConfigTest {
  @TempDir Path dir;

  static final String GOOD = """
      routing:
        categories:
          billing: ['invoice|refund']
      """;

  @Test
  void categoriesKeepTheOrderTheyAreWrittenInForFirstMatchWins() throws Exception {
    String yaml = """
        routing:
          categories:
            shipping: ['delivery|parcel']
            billing: ['invoice|refund|payment|charge|счет|возврат']
            technical: ['error|crash|bug|login|ошибк']
            account: ['password']
        """;
    Path file = dir.resolve("ordered.yaml");
    Files.writeString(file, yaml);
    assertThat(ConfigLoader.load(Optional.of(file)).routing().categories().keySet()) // the file, and its reloads
        .containsExactly("shipping", "billing", "technical", "account");
    var rules = RoutingActivitiesImpl.rulesOf(ConfigLoader.fromYaml(yaml));
    assertThat(rules.categories().keySet()).containsExactly("shipping", "billing", "technical", "account");
    // the contract's example: billing is listed first, so it wins where both match
    assertThat(dev.forumdesk.routing.CategoryMatcher.firstMatch("invoice error", rules.categories()))
        .hasValueSatisfying(m -> assertThat(m.category()).isEqualTo("billing"));
    assertThat(dev.forumdesk.routing.CategoryMatcher.firstMatch("My payments page shows an error", rules.categories()))
        .hasValueSatisfying(m -> assertThat(m.category()).isEqualTo("billing"));
  }

  @Test
  void anInvalidPatternFailsTheLoadNamingPatternFileAndLine() throws Exception {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, """
        routing:
          categories:
            billing: ['invoice|refund']
            technical: ['error|crash(']
        """);
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routing.categories.technical: invalid pattern 'error|crash('")
        .hasMessageContaining(file + ":4");
  }

  @Test
  void withoutCategoriesTheBuiltInLibraryIsUsedAndTiersAreRead() {
    ForumdeskConfig c = ConfigLoader.fromYaml("""
        crm: {tiers: {"5001": gold}, default-tier: bronze}
        routing: {priority-tiers: [platinum], tier-factors: {gold: 1.25}}
        """);
    assertThat(RoutingActivitiesImpl.rulesOf(c).categories()).isEqualTo(CategoryLibrary.DEFAULTS);
    assertThat(c.crm().tiers()).containsEntry(5001L, "gold");
    assertThat(c.crm().defaultTier()).isEqualTo("bronze");
    assertThat(c.routing().tierFactors()).containsEntry("gold", 1.25);
    assertThat(c.routing().priorityTiers()).containsExactly("platinum");
    assertThat(RoutingActivitiesImpl.rulesOf(ConfigLoader.fromYaml(GOOD)).categories())
        .containsExactlyEntriesOf(java.util.Map.of("billing", List.of("invoice|refund")));
  }

  @Test
  void tiersAreReadInLowerCaseSoTheyMatchTheCrmsWhateverTheCase() {
    ForumdeskConfig c = ConfigLoader.fromYaml("""
        crm: {tiers: {"5001": " Gold"}, default-tier: Bronze}
        routing: {priority-tiers: [Platinum, platinum], tier-factors: {Gold: 1.25, VIP: 3}}
        """);
    assertThat(c.crm().tiers()).containsEntry(5001L, "gold");
    assertThat(c.crm().defaultTier()).isEqualTo("bronze");
    assertThat(c.routing().priorityTiers()).containsExactly("platinum");
    // the defaults' {gold: 1.5, platinum: 2.0} are merged under the file's: its Gold wins
    assertThat(c.routing().tierFactors()).containsOnly(
        java.util.Map.entry("gold", 1.25), java.util.Map.entry("vip", 3.0), java.util.Map.entry("platinum", 2.0));
  }

  @Test
  void aReloadPicksUpChangesAndARejectedReloadKeepsTheLastGoodConfig() throws Exception {
    Path file = dir.resolve("live.yaml");
    Files.writeString(file, GOOD);
    var clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    LiveConfig live = new LiveConfig(ConfigLoader.load(Optional.of(file)), Optional.of(file), clock);
    java.util.concurrent.atomic.AtomicInteger reloads = new java.util.concurrent.atomic.AtomicInteger();
    live.onReload(reloads::incrementAndGet);

    Files.writeString(file, GOOD.replace("invoice|refund", "invoice|refund|payment"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
    clock.advance(Duration.ofSeconds(3));
    assertThat(live.get().routing().categories().get("billing")).containsExactly("invoice|refund|payment");
    assertThat(reloads).as("listeners hear of an accepted reload (the waiting line is served)").hasValue(1);

    Files.writeString(file, GOOD.replace("invoice|refund", "invoice|(refund"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:02:00Z")));
    clock.advance(Duration.ofSeconds(3));
    assertThat(live.get().routing().categories().get("billing")).as("last good").containsExactly("invoice|refund|payment");
    assertThat(reloads).as("a rejected reload changes nothing").hasValue(1);
  }

  @Test
  void lockedTitleTagsTheAgentKeepsATeamsOwnTagAndFitsTelegramsLimit() {
    assertThat(RoutingActivitiesImpl.lockedTitle("Alice", "Refund for order 7")).isEqualTo("[Alice] Refund for order 7");
    assertThat(RoutingActivitiesImpl.lockedTitle("Boris", "[Billing] Refund for order 7"))
        .isEqualTo("[Boris] [Billing] Refund for order 7");
    String long200 = "x".repeat(200);
    assertThat(RoutingActivitiesImpl.lockedTitle("Alice", long200)).hasSize(128).startsWith("[Alice] x").endsWith("…");
  }

  @Test
  void rulesAreSentWholeOnlyWhenTheWorkflowsDigestIsOutOfDate() {
    ForumdeskConfig[] current = {ConfigLoader.fromYaml(GOOD)};
    RoutingActivitiesImpl activities =
        new RoutingActivitiesImpl(() -> current[0], null, null, null, null, null, null, java.time.Clock.systemUTC());
    var first = activities.rulesUnless(null);
    assertThat(first.rules()).isEqualTo(RoutingActivitiesImpl.rulesOf(current[0]));
    assertThat(activities.rulesUnless(first.digest()).rules()).as("unchanged: digest only").isNull();
    assertThat(activities.rulesUnless(first.digest()).digest()).isEqualTo(first.digest());

    current[0] = ConfigLoader.fromYaml(GOOD); // a reload with the same content: same digest
    assertThat(activities.rulesUnless(first.digest()).rules()).isNull();
    current[0] = ConfigLoader.fromYaml(GOOD.replace("invoice|refund", "invoice|refund|charge"));
    var changed = activities.rulesUnless(first.digest());
    assertThat(changed.digest()).isNotEqualTo(first.digest());
    assertThat(changed.rules().categories().get("billing")).containsExactly("invoice|refund|charge");
  }
}
