package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audit 16, F1: a /hold typed with a 4,000-character reason (Telegram delivers a command of 4,096)
 * was stored in the audit and gave a notice Telegram refused as too long, while the API refused a
 * reason over 1,000. The bot command is refused in the topic with the API's words; one of 1,000 is
 * taken, and its notice arrives.
 */
class LongReasonEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender SAM = new UpdateJson.Sender(900001, "Sam", "sam", "en");
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;

  @Test
  void aHoldWithAReasonOverTheApisLimitIsRefusedInTheTopicAndOneAtTheLimitIsTaken() throws Exception {
    String ticket = "ticket-" + CHAT + "-1501";
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 1501, BOB, "Payment page shows an error", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 1501, 1502, BOB, "It fails at the last step", now()));
    f.awaitTicket(ticket, x -> !x.path("createdAt").isNull());

    f.postUpdate(UpdateJson.text(update++, CHAT, 1501, 1503, SAM, "/hold " + "w".repeat(4_000), now()));
    String refusal = "🚫 The reason is 4000 characters; at most 1000 (it goes into the topic and the audit).";
    Awaitility.await("the refusal in the topic").atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.textsIn(1501).contains(refusal));

    f.postUpdate(UpdateJson.text(update++, CHAT, 1501, 1504, SAM, "/hold " + "v".repeat(1_000), now()));
    JsonNode held = f.awaitTicket(ticket, x -> x.path("status").asText().equals("ON_HOLD"));
    assertThat(held.path("audit").findValuesAsText("reason")).as("the long one never reached the ticket")
        .noneMatch(r -> r.contains("www")).anyMatch(r -> r.contains("v".repeat(1_000)));
    // the customer reads the topic: the notice, "⏸ On hold: …", goes where staff read
    Awaitility.await("the hold's notice").atMost(Duration.ofSeconds(20)).until(() -> f.telegram.sent().stream()
        .anyMatch(c -> c.params().path("text").asText().contains("On hold: " + "v".repeat(1_000))));
    assertThat(f.telegram.calls("sendMessage")).as("nothing refused").allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
  }
}
