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
 * "First to answer takes it": an agent who answers a ticket waiting for an agent becomes its
 * assignee when within their cap; the waiting line does not later hand it to someone else.
 */
class FirstToAnswerEndToEndTest {
  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG);

  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final UpdateJson.Sender BORIS = new UpdateJson.Sender(1002, "Boris", "boris", "en");

  @Test
  void anAgentWhoAnswersAWaitingTicketTakesIt() throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.privateText(1, 10, ALICE, "/away", now));
    f.postUpdate(UpdateJson.privateText(2, 11, BORIS, "/away", now));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.telegram.sent().stream()
        .filter(c -> c.params().path("text").asText().contains("You are away")).count() == 2);

    String id = "ticket--1001234567890-77";
    f.postUpdate(UpdateJson.textInTopic(3, CHAT, 77, 78, BOB, "Sync error", "The app shows a sync error", now));
    f.awaitTicket(id, x -> x.path("audit").findValuesAsText("event").contains("WAITING"));

    f.postUpdate(UpdateJson.text(4, CHAT, 77, 79, ALICE, "Hi, I'll help you with the sync error", now + 1));
    JsonNode taken = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("id"));
    assertThat(taken.path("assignee").path("name").asText()).isEqualTo("Alice");
    List<String> reasons = taken.path("audit").findValuesAsText("reason");
    assertThat(reasons).anyMatch(r -> r.contains("took it by answering first"));
  }
}
