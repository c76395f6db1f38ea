package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group mode: a customer's /status in their topic is answered there (CONTRACT.md: "/status … Each
 * answers in the topic"), with the customer's card from the read model: the title, the status in
 * words and the assignee, never the priority, level, queue or SLA dues (audit 16b F2). It was
 * refused as a staff command ("Only agents and supervisors can use /status."). A staff member's
 * /status is as before: the customer's card in the topic, the full card to them by DM.
 */
class CustomerStatusEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final long THREAD = 61;
  static final String ID = "ticket-" + CHAT + "-" + THREAD;

  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG).withoutPerChatLimit();

  private List<String> topic() {
    return f.telegram.textsTo(CHAT, THREAD);
  }

  @Test
  void aCustomersStatusIsAnsweredInTheTopicWithTheCustomersCardAlsoWhenHeld() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, THREAD, BOB, "Refund for order <7>", now()));
    JsonNode t = f.awaitTicket(ID, x -> x.path("assignee").hasNonNull("name"));
    String assignee = t.path("assignee").path("name").asText();

    f.postUpdate(UpdateJson.text(2, CHAT, THREAD, 70, BOB, "/status", now()));
    f.postUpdate(UpdateJson.text(2, CHAT, THREAD, 70, BOB, "/status", now())); // Telegram's redelivery
    String waiting = "<b>Refund for order &lt;7&gt;</b>\nStatus: waiting for the agent's reply\nAssignee: " + assignee;
    Awaitility.await("Bob's answer").atMost(Duration.ofSeconds(15)).until(() -> topic().contains(waiting));

    // held by the supervisor (the API): the card says so, and nothing of the SLA's paused clocks
    assertThat(f.post("/api/tickets/" + ID + "/actions", "{\"action\":\"hold\",\"actor\":900001}").statusCode())
        .isEqualTo(200);
    f.awaitTicket(ID, x -> x.path("status").asText().equals("ON_HOLD"));
    f.postUpdate(UpdateJson.text(3, CHAT, THREAD, 71, BOB, "/status@ForumdeskBot", now()));
    String held = "<b>Refund for order &lt;7&gt;</b>\nStatus: on hold\nAssignee: " + assignee;
    Awaitility.await("Bob's answer while held").atMost(Duration.ofSeconds(15)).until(() -> topic().contains(held));

    // staff's /status as before: the customer's card in the topic, the full card to the one who asked
    f.postUpdate(UpdateJson.text(4, CHAT, THREAD, 72, ALICE, "/status", now()));
    Awaitility.await("Alice's card").atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(ALICE.id(), null)
        .stream().anyMatch(x -> x.contains("Priority: ") && x.contains("(paused)")));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> topic().stream().filter(held::equals).count() == 2);

    Thread.sleep(700);
    assertThat(topic()).filteredOn(waiting::equals).as("answered once").hasSize(1);
    assertThat(topic()).noneMatch(x -> x.contains("Only agents") || x.contains("Priority") || x.contains("Level")
        || x.contains("Queue") || x.contains("due") || x.contains("paused"));
    assertThat(f.json("/api/tickets/" + ID).path("status").asText()).isEqualTo("ON_HOLD");
  }
}
