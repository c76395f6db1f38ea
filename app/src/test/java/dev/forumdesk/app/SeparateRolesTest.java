package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The production shape's two roles apart, as docker compose runs them: a worker and a webhook
 * service on one PostgreSQL and one Temporal (here an embedded server standing in for the cluster),
 * updates reaching the webhook only. What the one-JVM app does at once must happen at once here too.
 */
class SeparateRolesTest {
  @TempDir Path dir;
  RolesApart apart;
  AppFixture worker;
  AppFixture webhook;

  @BeforeEach
  void start() throws Exception {
    apart = RolesApart.start();
    worker = apart.role(dir.resolve("worker"), AppFixture.ALICE_ONLY, ForumdeskApp.Mode.WORKER);
    webhook = apart.role(dir.resolve("webhook"), AppFixture.ALICE_ONLY, ForumdeskApp.Mode.WEBHOOK);
  }

  @AfterEach
  void stop() throws Exception {
    apart.closeWith(webhook, worker);
  }

  /**
   * The worker's waiting line serves itself once a minute; /back typed where no ticket is reaches
   * the webhook role, whose word that capacity freed stayed in its own JVM, so the ticket waited
   * for that sweep. In the one-JVM app it is assigned at once.
   */
  @Test
  void backTypedToTheWebhookRoleServesTheWaitingLineAtOnce() throws Exception {
    long now = UpdateJson.now();
    var alice = new UpdateJson.Sender(1001, "Alice", "alice", "en");
    var bob = new UpdateJson.Sender(5001, "Bob", "bob", "en");
    webhook.postUpdate(UpdateJson.privateText(1, 10, alice, "/away", now));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> apart.telegram.sent().stream().anyMatch(c ->
        c.params().path("chat_id").asLong() == 1001 && c.params().path("text").asText().contains("You are away")));

    String ticket = "ticket-" + CHAT + "-500";
    webhook.postUpdate(UpdateJson.text(2, CHAT, 500, 501, bob, "I was charged twice, please refund", now));
    webhook.awaitTicket(ticket, x -> hasAuditEntry(x, "WAITING"));

    webhook.postUpdate(UpdateJson.general(3, CHAT, 11, alice, "/back", now));
    // well within the minute after which the worker's sweep would have served it anyway
    JsonNode assigned = awaitAssigned(ticket, Duration.ofSeconds(15));
    assertThat(assigned.path("assignee").path("name").asText()).isEqualTo("Alice");
    assertThat(assigned.path("routing").path("reasons").toString()).contains("capacity freed: Alice is back");
  }

  /** README: the counters are there at 0 from the start, in each role (both have an outbox sender). */
  @Test
  void eachRoleShowsTheOutboxCountersAtZeroFromTheStart() throws Exception {
    for (AppFixture role : List.of(worker, webhook)) {
      assertThat(role.get("/observe/metrics").body()).contains(EndToEndTest.OUTBOX_AT_ZERO)
          .contains("forumdesk_inbox_delivery_delay_seconds_count 0");
    }
  }

  private JsonNode awaitAssigned(String ticket, Duration atMost) throws Exception {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await("ticket " + ticket + " assigned").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          last[0] = webhook.json("/api/tickets/" + ticket);
          return last[0].path("assignee").hasNonNull("name");
        });
    return last[0];
  }

  private static boolean hasAuditEntry(JsonNode ticket, String event) {
    for (JsonNode a : ticket.path("audit")) {
      if (a.path("event").asText().equals(event)) {
        return true;
      }
    }
    return false;
  }
}
