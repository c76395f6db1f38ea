package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.ForumTopic;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relay mode, an agent writes in the topic of a CLOSED ticket. A customer has one private chat
 * with the bot, so one conversation at a time: while they have another open ticket the message is
 * not relayed (their answers would land in that other ticket) and the topic is told where to write;
 * with none, the message starts a follow-up, and the customer's answers go to it.
 */
class RelayClosedTopicEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n") + """
      sla:
        auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;



  /** Bob's first ticket, answered, resolved and CLOSED: its topic's thread. */
  private long closedTicket() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 61, BOB, "Where is my refund?", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    f.awaitTicket("ticket-" + CHAT + "-" + thread, x -> x.path("firstMessage").asText().equals("Where is my refund?"));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 900, ALICE, "/resolve", now()));
    f.awaitTicket("ticket-" + CHAT + "-" + thread, x -> x.path("status").asText().equals("CLOSED"));
    return thread;
  }

  @Test
  void anAgentsMessageInAClosedTopicIsNotRelayedWhileTheCustomerHasAnotherOpenTicketAndTheTopicSaysWhere()
      throws Exception {
    long old = closedTicket();
    f.postUpdate(UpdateJson.privateText(update++, 62, BOB, "New problem: my login fails", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.calls("createForumTopic").size() == 2);
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets?status=NEW").size() == 1);
    long current = f.json("/api/tickets?status=NEW").get(0).path("threadId").asLong();
    assertThat(current).isNotEqualTo(old);

    f.postUpdate(UpdateJson.text(update++, CHAT, old, 901, ALICE, "Bob, the refund went through today.", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, old).stream().anyMatch(x ->
        x.startsWith("🚫 Not sent to <b>Bob</b>: this ticket is closed, and Bob has an open ticket, <a href=")
            && x.contains(new ForumTopic(CHAT, current).url())));
    Thread.sleep(1000);
    assertThat(f.telegram.textsTo(BOB.id(), null)).noneMatch(x -> x.contains("refund went through"));
    assertThat(f.json("/api/tickets/ticket-" + CHAT + "-" + old).path("status").asText()).as("no follow-up")
        .isEqualTo("CLOSED");
  }

  @Test
  void withNoOtherOpenTicketAnAgentsMessageInAClosedTopicStartsAFollowUpThatTheCustomersAnswersReach()
      throws Exception {
    long old = closedTicket();
    f.postUpdate(UpdateJson.text(update++, CHAT, old, 902, ALICE, "Bob, the refund went through today.", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(BOB.id(), null).contains("<b>Alice</b>: Bob, the refund went through today."));
    JsonNode t = f.awaitTicket("ticket-" + CHAT + "-" + old, x -> !x.path("status").asText().equals("CLOSED"));
    assertThat(t.path("followUpOf").isNull()).isFalse();

    f.postUpdate(UpdateJson.privateText(update++, 63, BOB, "Great, thanks for the refund!", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, old).contains("💬 <b>Bob</b>: Great, thanks for the refund!"));
    assertThat(f.telegram.calls("createForumTopic")).hasSize(1);
  }
}
