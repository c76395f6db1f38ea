package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group mode with support.level2-chat-id the customers' own forum (no staff forum): /escalate opens
 * no Level 2 topic where every customer reads (audit 8 F1); the summary, reason included, goes to
 * the supervisors by DM, and the audit keeps it.
 */
class Level2InTheCustomersForumEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String TICKET = "ticket--1001234567890-80";
  static final long SUPERVISOR = 900001;
  static final String REASON = "chargeback risk, do not refund";
  static final String YAML = AppFixture.CONFIG.replace("level2-chat-id: -1009876543210", "level2-chat-id: " + CHAT)
      + """
      routing:
        enabled: false
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();

  private List<String> textsTo(long chat) {
    return f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == chat)
        .map(c -> c.params().path("text").asText()).toList();
  }

  @Test
  void noLevel2TopicOpensInTheCustomersForumTheSupervisorsGetTheSummaryByDm() throws Exception {
    assertThat(YAML).contains("level2-chat-id: " + CHAT);
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 80, BOB, "Refund for order 7", now));
    f.awaitTicket(TICKET, x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(2, CHAT, 80, 81, ALICE, "/escalate " + REASON, now));
    JsonNode t = f.awaitTicket(TICKET, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_SUMMARY"));
    assertThat(t.path("level").asInt()).isEqualTo(2);

    Awaitility.await("the supervisor's summary").atMost(Duration.ofSeconds(15)).until(() ->
        textsTo(SUPERVISOR).stream().anyMatch(x -> x.startsWith("Level 2 escalation of <b>Refund for order 7</b>")));
    assertThat(textsTo(SUPERVISOR)).filteredOn(x -> x.startsWith("Level 2 escalation of")).singleElement()
        .satisfies(x -> assertThat(x).contains("Customer: Bob").contains(REASON));
    assertThat(f.telegram.calls("createForumTopic")).as("no Level 2 topic where customers read").isEmpty();
    assertThat(t.path("audit").findValuesAsText("event")).doesNotContain("LEVEL2_TOPIC");
    assertThat(textsTo(CHAT)).as("nothing of the reason where customers read").noneMatch(x -> x.contains("chargeback"));
    assertThat(t.path("audit").findValuesAsText("reason")).anyMatch(r -> r.contains(REASON));
  }
}
