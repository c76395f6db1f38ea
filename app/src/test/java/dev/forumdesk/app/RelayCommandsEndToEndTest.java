package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audit 16b, F5.4: in relay mode a customer's /help, /status or /resolve in their private chat was
 * relayed to the agents as "💬 Bob: /status" and Bob heard nothing. Each is now answered privately,
 * as group mode answers it in the topic, once per update, and the agents' topic does not get it.
 */
class RelayCommandsEndToEndTest {
  static final UpdateJson.Sender BOB = RelayEndToEndTest.BOB;
  static final UpdateJson.Sender ALICE = RelayEndToEndTest.ALICE;
  static final String HELP = "Just write your question here; an agent will answer.";

  @RegisterExtension final AppFixture f = AppFixture.perTest(RelayEndToEndTest.YAML).withoutPerChatLimit();
  long update = 300;

  private List<String> toBob() {
    return f.telegram.textsTo(BOB.id(), null);
  }

  @Test
  void helpAndStatusWithoutATicketAreAnsweredPrivatelyOnceAndOpenNothing() throws Exception {
    f.postUpdate(UpdateJson.privateText(update, 1, BOB, "/help", now()));
    f.postUpdate(UpdateJson.privateText(update, 1, BOB, "/help", now())); // a redelivery
    update++;
    f.postUpdate(UpdateJson.privateText(update++, 2, BOB, "/status", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> toBob().contains(HELP)
        && toBob().contains("You have no open request; just write your question here."));
    Thread.sleep(700);
    assertThat(toBob()).filteredOn(HELP::equals).as("answered once").hasSize(1);
    assertThat(f.telegram.calls("createForumTopic")).isEmpty();
    assertThat(f.json("/api/tickets")).isEmpty();
  }

  @Test
  void statusWithAnOpenTicketIsTheStatusInWordsAndStaffCommandsAreRefusedNeitherReachingTheAgents() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 11, BOB, "My parcel is lost", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 600, ALICE, "Looking into it.", now()));
    f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS"));

    f.postUpdate(UpdateJson.privateText(update, 12, BOB, "/status", now()));
    f.postUpdate(UpdateJson.privateText(update, 12, BOB, "/status", now())); // a redelivery
    update++;
    f.postUpdate(UpdateJson.privateText(update++, 13, BOB, "/resolve", now()));
    String status = "<b>My parcel is lost</b>\nStatus: in progress\nAssignee: Alice";
    String refused = "🚫 Only agents and supervisors can use /resolve.";
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> toBob().contains(status) && toBob().contains(refused));
    Thread.sleep(700);
    assertThat(toBob()).filteredOn(status::equals).as("answered once").hasSize(1);
    assertThat(toBob()).filteredOn(refused::equals).hasSize(1);
    assertThat(toBob()).noneMatch(x -> x.contains("Level") || x.contains("due") || x.contains("Priority")
        || x.contains("Queue"));
    assertThat(f.telegram.textsTo(CHAT, thread)).noneMatch(x -> x.contains("/status") || x.contains("/resolve"));
    assertThat(f.json("/api/tickets/" + id).path("status").asText()).isEqualTo("IN_PROGRESS");
  }

  /**
   * The review's find: any message that began with a slash-word was taken for a command, answered
   * with the help line and never relayed: "/login page shows error 500" and "/help" with a question
   * after it reached no agent. Only a command alone is one; these are the customer's messages.
   */
  @Test
  void aMessageThatOnlyStartsWithASlashWordIsRelayed() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 21, BOB, "/login page shows error 500 since today", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    f.postUpdate(UpdateJson.privateText(update++, 22, BOB, "/help\nI cannot sign in either", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, thread)
        .containsAll(List.of("💬 <b>Bob</b>: /login page shows error 500 since today",
            "💬 <b>Bob</b>: /help\nI cannot sign in either")));
    assertThat(toBob()).doesNotContain(HELP);
  }
}
