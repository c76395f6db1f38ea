package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lifecycle rules 11 through the real webhook, Temporal and fake Telegram: /escalate in group mode
 * while the Level 2 forum has no budget (Telegram answers its createForumTopic 429, retry after 2 s,
 * six times in a row). The customer reads "⬆️ A specialist will join shortly." in their topic while
 * the Level 2 topic is not created yet; the staff's "⬆️ Escalated to Level 2" still comes after the
 * topic, and the customer reads their line once. Under rules 10 the line waited for the topic too.
 */
class CustomerLineAtOnceEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final long STAFF_FORUM = -1009876543210L;
  static final String LINE = "⬆️ A specialist will join shortly.";
  static final String TICKET = "ticket--1001234567890-90";
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;

  @Test
  void theCustomersLineGoesWhileTheLevel2TopicWaitsForItsForumsBudget() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 90, BOB, "Card declined", now()));
    f.awaitTicket(TICKET, x -> !x.path("createdAt").isNull());
    f.telegram.failNext("createForumTopic", 6, 429);
    f.postUpdate(UpdateJson.text(update++, CHAT, 90, 91, ALICE, "/escalate bank side", now()));

    Awaitility.await("the customer's line").atMost(Duration.ofSeconds(15))
        .until(() -> f.telegram.textsTo(CHAT, 90L).contains(LINE));
    assertThat(f.telegram.calls("createForumTopic")).as("no Level 2 topic yet: its forum has no budget")
        .noneMatch(c -> c.status() == 200);
    assertThat(staffNotices()).as("the staff's notice waits for the topic").isEmpty();

    Awaitility.await("the staff's notice").atMost(Duration.ofSeconds(60)).until(() -> !staffNotices().isEmpty());
    List<FakeTelegram.Call> inForum = f.telegram.calls().stream()
        .filter(c -> c.status() == 200 && c.params().path("chat_id").asLong() == STAFF_FORUM).toList();
    int topic = indexOf(inForum, c -> c.method().equals("createForumTopic"));
    int notice = indexOf(inForum, c -> c.params().path("text").asText().contains("⬆️ Escalated to Level 2: bank side"));
    assertThat(notice).as("the staff's notice after the topic").isGreaterThan(topic);
    assertThat(f.telegram.calls("createForumTopic")).as("it waited: 429 six times")
        .filteredOn(c -> c.status() == 429).hasSize(6);
    assertThat(f.telegram.textsTo(CHAT, 90L)).as("what Bob reads: his line once, nothing of the reason")
        .containsOnlyOnce(LINE).noneMatch(x -> x.contains("bank side") || x.contains("Level 2"));
  }

  /** "⬆️ Escalated to Level 2" as sent in the staff forum's General topic. */
  private List<String> staffNotices() {
    return f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == STAFF_FORUM && !c.params().has("message_thread_id"))
        .map(c -> c.params().path("text").asText()).filter(x -> x.contains("⬆️ Escalated to Level 2")).toList();
  }

  private static int indexOf(List<FakeTelegram.Call> calls, java.util.function.Predicate<FakeTelegram.Call> which) {
    for (int i = 0; i < calls.size(); i++) {
      if (which.test(calls.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such call among " + calls.size());
  }
}
