package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands typed in a ticket's Level 2 topic, through the real webhook, Temporal and fake Telegram:
 * they act on the escalated ticket and are answered where they were typed.
 */
class Level2CommandsEndToEndTest {
  static final long L2 = -1009876543210L;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String TICKET = "ticket--1001234567890-80";
  static final String YAML = AppFixture.CONFIG + """
      sla:
        auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED, too
      routing:
        enabled: false
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;


  /** The texts the bot sent into {@code thread} of {@code chat}. */
  private List<String> textsIn(long chat, long thread) {
    return f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == chat && c.params().path("message_thread_id").asLong() == thread)
        .map(c -> c.params().path("text").asText())
        .toList();
  }

  private static boolean summary(FakeTelegram.Call c) {
    return c.params().path("chat_id").asLong() == L2 && c.params().path("text").asText().startsWith("Level 2 escalation of");
  }

  private void awaitText(long chat, long thread, String part) {
    Awaitility.await(part).atMost(Duration.ofSeconds(15))
        .until(() -> textsIn(chat, thread).stream().anyMatch(x -> x.contains(part)));
  }

  @Test
  void statusAndResolveInTheLevel2TopicAreAnsweredThereAndActOnTheTicket() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 80, BOB, "Vendor bug", now()));
    f.awaitTicket(TICKET, x -> !x.path("createdAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 80, 81, ALICE, "/escalate vendor side", now()));
    f.awaitTicket(TICKET, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"));
    // the summary, in the Level 2 topic: the escalation's notice to the staff may go out there before it
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.sent().stream().anyMatch(Level2CommandsEndToEndTest::summary));
    long l2 = f.telegram.sent().stream().filter(Level2CommandsEndToEndTest::summary).findFirst()
        .orElseThrow().params().path("message_thread_id").asLong();
    awaitText(CHAT, 80, "⬆️ A specialist will join shortly."); // group mode: the reason and the mention went to the staff
    int inTopic = textsIn(CHAT, 80).size();

    f.postUpdate(UpdateJson.text(update++, L2, l2, 1_001, ALICE, "/status", now()));
    awaitText(L2, l2, "Status: ESCALATED");
    // a customer (anyone not on the roster) is refused there as in the ticket's topic, and told why there
    f.postUpdate(UpdateJson.text(update++, L2, l2, 1_002, BOB, "/resolve", now()));
    awaitText(L2, l2, "Only agents and supervisors can use /resolve.");
    // another bot's command is not ours, here either
    f.postUpdate(UpdateJson.text(update++, L2, l2, 1_003, ALICE, "/hold@SomeOtherBot", now()));
    f.postUpdate(UpdateJson.text(update++, L2, l2, 1_004, ALICE, "/resolve@ForumdeskBot", now()));
    JsonNode resolved = f.awaitTicket(TICKET, x -> x.path("status").asText().equals("RESOLVED"));
    assertThat(resolved.path("audit")).anyMatch(a -> a.path("event").asText().equals("RESOLVED")
        && a.path("actor").asText().equals("agent:1001"));
    assertThat(resolved.path("audit")).as("a command is no Level 2 reply")
        .noneMatch(a -> a.path("event").asText().equals("L2_REPLY"));
    assertThat(resolved.path("audit")).as("/hold@SomeOtherBot was another bot's")
        .noneMatch(a -> a.path("event").asText().equals("ON_HOLD"));
    awaitText(L2, l2, "✅ Resolved");
    // the customer still learns it in their topic, and nothing else of the Level 2 topic's commands reaches it
    awaitText(CHAT, 80, "is resolved");
    assertThat(textsIn(CHAT, 80).subList(inTopic, textsIn(CHAT, 80).size())).singleElement()
        .satisfies(x -> assertThat(x).startsWith("✅ Your request <b>Vendor bug</b> is resolved."));

    // once CLOSED, a command there is told so, there
    f.awaitTicket(TICKET, x -> x.path("status").asText().equals("CLOSED"));
    f.postUpdate(UpdateJson.text(update++, L2, l2, 1_005, ALICE, "/status", now()));
    awaitText(L2, l2, "is closed");
    // and a topic of the Level 2 forum that belongs to no ticket answers a command too
    f.postUpdate(UpdateJson.text(update++, L2, 5_000, 5_001, ALICE, "/status", now()));
    awaitText(L2, 5_000, "no ticket");
  }

  /**
   * A follow-up run (the customer wrote after CLOSED) that escalates gets a Level 2 topic of its own,
   * with its own summary: the closed run's topic is about the old request, and its summary, keyed
   * by the ticket alone, had taken the follow-up's place in the outbox (nothing was posted at all).
   */
  @Test
  void aFollowUpsEscalationOpensALevel2TopicOfItsOwnWithItsSummary() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 80, BOB, "Vendor bug", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 80, 81, ALICE, "/escalate vendor side", now()));
    f.awaitTicket(TICKET, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"));
    f.postUpdate(UpdateJson.text(update++, CHAT, 80, 82, ALICE, "/resolve", now()));
    f.awaitTicket(TICKET, x -> x.path("status").asText().equals("CLOSED"));

    f.postUpdate(UpdateJson.text(update++, CHAT, 80, 83, BOB, "It is broken again", now()));
    f.awaitTicket(TICKET, x -> !x.path("followUpOf").isNull() && x.path("status").asText().equals("NEW"));
    f.postUpdate(UpdateJson.text(update++, CHAT, 80, 84, ALICE, "/escalate same vendor bug", now()));
    JsonNode follow = f.awaitTicket(TICKET, x -> x.path("audit").findValuesAsText("event").stream()
        .filter("LEVEL2_TOPIC"::equals).count() == 2);

    // "opened topic 17 in the Level 2 group", once per run
    List<Long> topics = new java.util.ArrayList<>();
    for (JsonNode a : follow.path("audit")) {
      if (a.path("event").asText().equals("LEVEL2_TOPIC")) {
        topics.add(Long.parseLong(a.path("reason").asText().split(" ")[2]));
      }
    }
    assertThat(topics).hasSize(2).doesNotHaveDuplicates();
    assertThat(f.telegram.calls("createForumTopic")).hasSize(2);
    for (long thread : topics) {
      awaitText(L2, thread, "Level 2 escalation of <b>Vendor bug</b>");
    }
    awaitText(L2, topics.getLast(), "Reason: same vendor bug");
  }
}
