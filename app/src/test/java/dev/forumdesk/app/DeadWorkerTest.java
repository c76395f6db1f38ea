package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the roles apart, a dead worker leaves the webhook acknowledging updates that no ticket acts
 * on: the webhook role's health has a {@code worker} check (DescribeTaskQueue's pollers, which
 * the embedded server answers from the polls it really receives), and the supervisors are told
 * once, directly (the worker role's outbox sender is what is missing), and once when a worker is
 * back. {@code alerts.worker-silent} is a few seconds here: an idle worker's poll is noted again
 * only every 70 s on this server (a minute on a cluster), which is why the default is 90 s; here a
 * worker that stopped and one that idles look alike after those seconds, so the checks that a worker
 * polls come right after it started or took a ticket's tasks.
 */
class DeadWorkerTest {
  static final String CONFIG = config(3);

  static String config(int workerSilentSeconds) {
    // with a staff forum of their own (level2-chat-id another forum), where the desk's alerts go
    return AppFixture.ALICE_ONLY.replace("  chat-id: -1001234567890\n",
        "  chat-id: -1001234567890\n  level2-chat-id: " + SampleDesk.LEVEL2_CHAT + "\n") + """
        alerts:
          check-every: PT0.5S
          worker-silent: PT%dS
        """.formatted(workerSilentSeconds);
  }
  static final String ALERT = "the time since a worker last took tickets' tasks from Temporal is";

  @TempDir Path dir;
  RolesApart apart;
  AppFixture worker;
  AppFixture webhook;
  /** A second replica of the webhook role, where a test runs two. */
  AppFixture replica;

  @BeforeEach
  void start() throws Exception {
    apart = RolesApart.start();
  }

  @AfterEach
  void stop() throws Exception {
    apart.closeWith(replica, webhook, worker);
  }

  @Test
  void aWebhookRoleWithoutAWorkerIsDownAndAlertsOnceThenRecoversWhenOnePolls() throws Exception {
    webhook = apart.role(dir.resolve("webhook"), CONFIG, ForumdeskApp.Mode.WEBHOOK);
    JsonNode check = workerCheck();
    assertThat(check.path("status").asText()).isEqualTo("DOWN");
    assertThat(check.path("workflowPollers").asInt()).isZero();
    assertThat(check.path("lastPolledSecondsAgo").asText()).isEqualTo("none in 5 min");

    // not at once (a webhook started a moment before its worker), but after alerts.worker-silent
    assertThat(alerts()).isEmpty();
    Awaitility.await("the alert").atMost(Duration.ofSeconds(15)).until(() -> !alerts().isEmpty());
    Thread.sleep(2_000); // four more looks: still silent, no second alert
    assertThat(alerts()).singleElement().satisfies(text -> assertThat(text)
        .startsWith("🚨 Forumdesk: " + ALERT).contains("(alert above 3 s)"));
    // the staff forum, not the General topic of the forum customers read
    assertThat(apart.telegram.sent().getFirst().params().path("chat_id").asLong()).isEqualTo(SampleDesk.LEVEL2_CHAT);
    assertThat(webhook.get("/observe/metrics").body())
        .contains("forumdesk_worker_pollers{type=\"workflow\"} 0.0")
        .contains("forumdesk_alert_active{condition=\"worker-silent\"} 1.0");

    worker = apart.role(dir.resolve("worker"), CONFIG, ForumdeskApp.Mode.WORKER);
    check = awaitHealthUp(); // while its first polls are within the 3 s
    assertThat(check.path("workflowPollers").asInt()).isPositive();
    assertThat(check.path("activityPollers").asInt()).isPositive();
    Awaitility.await("recovered").atMost(Duration.ofSeconds(10)).until(() -> recovered().size() == 1);
    assertThat(recovered().getFirst()).startsWith("✅ Forumdesk recovered: " + ALERT);
  }

  @Test
  void aWorkerThatStopsIsToldOfOnceFromTheWebhookRole() throws Exception {
    String config = config(5); // room for the ticket below before the worker stops
    worker = apart.role(dir.resolve("worker"), config, ForumdeskApp.Mode.WORKER);
    webhook = apart.role(dir.resolve("webhook"), config, ForumdeskApp.Mode.WEBHOOK);
    // a ticket's tasks make the worker poll again (idle, it would only every 70 s)
    webhook.postUpdate(UpdateJson.text(1, AppFixture.CHAT, 500, 501, new UpdateJson.Sender(5001, "Bob", "bob", "en"),
        "I was charged twice", UpdateJson.now()));
    webhook.awaitTicket("ticket-" + AppFixture.CHAT + "-500", t -> t.path("assignee").hasNonNull("name"));
    awaitHealthUp();

    worker.close(); // its sender with it: the alert can only come from the webhook role
    worker = null;
    Awaitility.await("the alert").atMost(Duration.ofSeconds(20)).until(() -> !alerts().isEmpty());
    assertThat(workerCheck().path("status").asText()).isEqualTo("DOWN");
    assertThat(alerts()).singleElement().satisfies(text -> assertThat(text).contains("(alert above 5 s)"));
    Thread.sleep(2_000);
    assertThat(alerts()).hasSize(1);
    assertThat(recovered()).isEmpty();
  }

  /**
   * Replicas of the webhook role on one PostgreSQL each watch the worker: the supervisors hear of a
   * silent worker once, not once per replica, and once that it is back.
   */
  @Test
  void webhookReplicasTellOfASilentWorkerOnceAndOfItsReturnOnce() throws Exception {
    webhook = apart.role(dir.resolve("webhook"), CONFIG, ForumdeskApp.Mode.WEBHOOK);
    replica = apart.role(dir.resolve("replica"), CONFIG, ForumdeskApp.Mode.WEBHOOK);
    Awaitility.await("the alert").atMost(Duration.ofSeconds(15)).until(() -> !alerts().isEmpty());
    Thread.sleep(2_000); // four more looks of each: the other replica saw it too
    assertThat(alerts()).hasSize(1);
    assertThat(replica.get("/observe/metrics").body())
        .contains("forumdesk_alert_active{condition=\"worker-silent\"} 1.0");

    worker = apart.role(dir.resolve("worker"), CONFIG, ForumdeskApp.Mode.WORKER);
    Awaitility.await("recovered").atMost(Duration.ofSeconds(10)).until(() -> !recovered().isEmpty());
    Thread.sleep(1_000); // the other replica's looks while the worker's first polls are recent
    assertThat(recovered()).singleElement().satisfies(text -> assertThat(text).startsWith("✅ Forumdesk recovered: "));
    assertThat(alerts()).hasSize(1);
  }

  /** The whole health UP (200) with the worker check in it; @return that check. */
  private JsonNode awaitHealthUp() {
    JsonNode[] check = new JsonNode[1];
    Awaitility.await("health UP").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
      var r = webhook.get("/observe/health");
      check[0] = Json.mapper().readTree(r.body()).path("checks").path("worker");
      return r.statusCode() == 200 && check[0].path("status").asText().equals("UP");
    });
    return check[0];
  }

  private JsonNode workerCheck() throws Exception {
    JsonNode health = Json.mapper().readTree(webhook.get("/observe/health").body());
    assertThat(health.path("checks").has("worker")).as(health.toString()).isTrue();
    return health.path("checks").path("worker");
  }

  private List<String> alerts() {
    return texts().stream().filter(t -> t.contains("🚨")).toList();
  }

  private List<String> recovered() {
    return texts().stream().filter(t -> t.contains("✅")).toList();
  }

  private List<String> texts() {
    return apart.telegram.sent().stream().map(c -> c.params().path("text").asText())
        .filter(t -> t.contains("took tickets' tasks")).toList();
  }
}
