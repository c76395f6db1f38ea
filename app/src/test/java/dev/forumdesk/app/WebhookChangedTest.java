package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Our webhook changed or removed by someone else after it was registered: Telegram delivers
 * nothing here. Forumdesk sets it again (same secret token and allowed updates), tells the
 * supervisors once, and health is back UP; not in polling mode.
 */
class WebhookChangedTest extends AppOnADataDir {
  static final String CONFIG = AppFixture.CONFIG + """
      alerts:
        check-every: PT0.5S
      """;
  static final String OURS = "https://forumdesk.example.test/telegram/webhook";

  @Test
  void aWebhookChangedElsewhereIsRegisteredAgainWithOneAlert() throws Exception {
    f = new AppFixture(dir, CONFIG, Map.of());
    awaitHealthUp();
    FakeTelegram telegram = f.telegram;
    var first = telegram.calls("setWebhook").getFirst().params();

    telegram.webhookChangedElsewhere("https://elsewhere.example/hook/Their-Path-Secret-0123456789");
    Awaitility.await("registered again").atMost(Duration.ofSeconds(10))
        .until(() -> telegram.calls("setWebhook").size() == 2 && telegram.webhookUrl().equals(OURS));
    var again = telegram.calls("setWebhook").getLast().params();
    assertThat(again.path("secret_token").asText()).isEqualTo(AppFixture.SECRET);
    assertThat(again.path("allowed_updates")).isEqualTo(first.path("allowed_updates"));
    assertThat(again.path("max_connections")).isEqualTo(first.path("max_connections"));

    Awaitility.await("the alert").atMost(Duration.ofSeconds(10)).until(() -> !alerts().isEmpty());
    awaitHealthUp();
    Thread.sleep(1_500); // three more looks: ours again, nothing more
    assertThat(alerts()).singleElement().satisfies(text -> assertThat(text)
        .contains("🚨 Forumdesk: the Telegram webhook was changed to https://elsewhere.example/… (not by Forumdesk);"
            + " re-registered.")
        .doesNotContain("Their-Path-Secret"));
    assertThat(telegram.calls("setWebhook")).hasSize(2);

    // removed a moment later (two deployments fighting over the bot): set again after a backoff,
    // without a second alert within ten minutes of the first
    telegram.webhookChangedElsewhere("");
    Awaitility.await("registered again").atMost(Duration.ofSeconds(10))
        .until(() -> telegram.calls("setWebhook").size() == 3 && telegram.webhookUrl().equals(OURS));
    awaitHealthUp();
    Thread.sleep(1_000);
    assertThat(alerts()).hasSize(1);
  }

  @Test
  void aRemovedWebhookThatCannotBeSetAtOnceIsRetriedAndToldOfTwice() throws Exception {
    f = new AppFixture(dir, CONFIG, Map.of());
    awaitHealthUp();
    FakeTelegram telegram = f.telegram;
    telegram.failNext("setWebhook", 2, 502);

    telegram.webhookChangedElsewhere("");
    Awaitility.await("the alert").atMost(Duration.ofSeconds(10)).until(() -> !alerts().isEmpty());
    assertThat(alerts()).singleElement().satisfies(text -> assertThat(text)
        .contains("🚨 Forumdesk: the Telegram webhook was removed (not by Forumdesk); could not re-register:"
            + " setWebhook: 502")
        .contains("Retrying"));
    assertThat(f.get("/observe/health").statusCode()).isEqualTo(503);

    // with backoff (0.5-1 s, then 1-2 s) until it gets through
    Awaitility.await("registered again").atMost(Duration.ofSeconds(15)).until(() -> telegram.webhookUrl().equals(OURS));
    assertThat(telegram.calls("setWebhook")).hasSize(4);
    Awaitility.await("recovered").atMost(Duration.ofSeconds(30)).until(() -> !recovered().isEmpty());
    assertThat(recovered()).singleElement().satisfies(text -> assertThat(text)
        .contains("✅ Forumdesk recovered: the Telegram webhook is registered again (3 attempts"));
    awaitHealthUp();
    assertThat(alerts()).hasSize(1);
  }

  /**
   * Replicas of the webhook role on one PostgreSQL each see the change and set the webhook again;
   * the supervisors hear of it once, and once that it is registered again.
   */
  @Test
  void webhookReplicasTellOfARemovedWebhookOnceAndOfItsReturnOnce() throws Exception {
    RolesApart apart = RolesApart.start();
    AppFixture replica = null;
    try {
      f = apart.role(dir.resolve("webhook"), CONFIG, ForumdeskApp.Mode.WEBHOOK);
      replica = apart.role(dir.resolve("replica"), CONFIG, ForumdeskApp.Mode.WEBHOOK);
      FakeTelegram telegram = apart.telegram;
      Awaitility.await("both registered").atMost(Duration.ofSeconds(10))
          .until(() -> telegram.calls("setWebhook").size() == 2);
      Thread.sleep(1_000); // both watching
      telegram.failNext("setWebhook", 2, 502);

      telegram.webhookChangedElsewhere("");
      Awaitility.await("registered again").atMost(Duration.ofSeconds(15)).until(() -> telegram.webhookUrl().equals(OURS));
      Awaitility.await("recovered").atMost(Duration.ofSeconds(30)).until(() -> !recovered().isEmpty());
      Thread.sleep(1_500); // three more looks of each: ours again, nothing more
      assertThat(alerts()).singleElement().satisfies(text -> assertThat(text)
          .contains("🚨 Forumdesk: the Telegram webhook was removed (not by Forumdesk); could not re-register"));
      assertThat(recovered()).hasSize(1);
    } finally {
      AppFixture webhook = f;
      f = null;
      apart.closeWith(replica, webhook);
    }
  }

  /**
   * Group mode without a staff forum: customers read the support forum's General topic, so the
   * desk's alert goes to each supervisor privately, as the daily report does (audit 9, F2); Sue,
   * who never started the bot, gets nothing, nothing goes to the customers instead, and Sam is
   * told once that Sue gets nothing.
   */
  @Test
  void withoutAStaffForumTheAlertGoesToEachSupervisorPrivatelyAndNotToTheCustomersForum() throws Exception {
    String oneForum = CONFIG.replace("  level2-chat-id: -1009876543210\n", "")
        .replace("supervisors: [900001]", "supervisors: [900001, {id: 900002, name: Sue, username: sue_lead}]");
    assertThat(oneForum).doesNotContain("level2-chat-id").contains("sue_lead");
    f = new AppFixture(dir, oneForum, Map.of());
    f.telegram.neverStartedTheBot(900002);
    awaitHealthUp();

    f.telegram.webhookChangedElsewhere("https://elsewhere.example/hook/x");
    Awaitility.await("the alert").atMost(Duration.ofSeconds(10)).until(() -> !alerts().isEmpty());
    Thread.sleep(1_500); // three more looks
    assertThat(f.telegram.textsTo(900001L, null)).filteredOn(t -> t.contains("Telegram webhook")).singleElement()
        .satisfies(t -> assertThat(t).startsWith("🚨 Forumdesk: the Telegram webhook was changed"));
    assertThat(f.telegram.calls("sendMessage")).filteredOn(c -> c.params().path("chat_id").asLong() == 900002
            && c.params().path("text").asText().contains("Telegram webhook"))
        .as("Sue's, refused").singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(403));
    assertThat(f.telegram.textsTo(900001L, null)).as("Sam learns that Sue gets nothing, once")
        .filteredOn(t -> t.startsWith("📵")).singleElement()
        .satisfies(t -> assertThat(t).startsWith("📵 Forumdesk cannot write to Sue (@sue_lead) privately ("));
    assertThat(f.telegram.calls("sendMessage")).as("nothing in the customers' forum")
        .noneMatch(c -> c.params().path("chat_id").asLong() == AppFixture.CHAT
            && c.params().path("text").asText().contains("Forumdesk"));
  }

  @Test
  void inPollingModeAWebhookSetElsewhereIsLeftAlone() throws Exception {
    f = new AppFixture(dir, CONFIG, Map.of("TELEGRAM_WEBHOOK_URL", ""));
    f.telegram.webhookChangedElsewhere("https://elsewhere.example/hook");
    Thread.sleep(2_000); // four looks of the monitors
    assertThat(f.telegram.calls("setWebhook")).isEmpty();
    assertThat(alerts()).isEmpty();
  }

  private void awaitHealthUp() {
    Awaitility.await("health UP").atMost(Duration.ofSeconds(10))
        .until(() -> f.get("/observe/health").statusCode() == 200);
  }

  private List<String> alerts() {
    return webhookNotices().stream().filter(t -> t.contains("🚨")).toList();
  }

  private List<String> recovered() {
    return webhookNotices().stream().filter(t -> t.contains("✅")).toList();
  }

  private List<String> webhookNotices() {
    return f.telegram.sent().stream().map(c -> c.params().path("text").asText())
        .filter(t -> t.contains("Telegram webhook")).toList();
  }
}
