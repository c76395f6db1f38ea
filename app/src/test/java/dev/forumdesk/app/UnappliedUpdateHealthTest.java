package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An update Temporal accepted that no ticket applies (inbox row DELIVERED, never APPLIED) shows in
 * the health and the metrics (audit 18a F1: 90 updates stood DELIVERED for 19 min while both roles'
 * health read UP and every backlog figure 0).
 */
class UnappliedUpdateHealthTest {
  @TempDir Path dir;

  @Test
  void anUpdateDeliveredLongAgoAndNeverAppliedMakesTheInboxCheckDegraded() throws Exception {
    try (AppFixture f = new AppFixture(dir, AppFixture.ALICE_ONLY, Map.of())) {
      JsonNode inbox = Json.mapper().readTree(f.get("/observe/health").body()).path("checks").path("inbox");
      assertThat(inbox.path("status").asText()).isEqualTo("UP");
      assertThat(inbox.path("oldestUnappliedSeconds").asLong()).isZero();

      // what a workflow whose task never runs leaves: Temporal accepted it 4 min ago (alerts.oldest-unapplied 3 min)
      f.app().database().inboxJdbi().useHandle(h -> h.createUpdate("insert into inbox (update_id, received_at, ticket_id,"
              + " kind, payload, status, attempts, next_attempt_at, delivered_at) values (990001, :at, :ticket, 'message',"
              + " '{}', 'DELIVERED', 0, :at, :at)")
          .bind("at", Instant.now().minus(Duration.ofMinutes(4)))
          .bind("ticket", "ticket--1001234567890-990")
          .execute());
      var r = f.get("/observe/health");
      JsonNode stuck = Json.mapper().readTree(r.body()).path("checks").path("inbox");
      assertThat(r.statusCode()).as("DEGRADED, not DOWN: new updates still come in").isEqualTo(200);
      assertThat(stuck.path("status").asText()).isEqualTo("DEGRADED");
      assertThat(stuck.path("backlog").asLong()).as("nothing undelivered").isZero();
      assertThat(stuck.path("oldestUnappliedSeconds").asLong()).isBetween(239L, 300L);
      assertThat(stuck.path("warning").asText()).contains("alerts.oldest-unapplied 180 s");
      assertThat(f.get("/observe/metrics").body()).containsPattern("(?m)^forumdesk_inbox_oldest_unapplied_seconds 2[4-9]\\d\\.0$");
    }
  }
}
