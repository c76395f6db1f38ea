package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Level 2 summary carries the customer's first message even when the escalation reached the
 * ticket before it (audit 12, F1): an API escalation in the first seconds of a ticket, a
 * supervisor's /escalate right after the customer wrote. Level 2 reads the summary instead of the
 * customer's topic, and got the reason without the problem.
 */
class Level2SummaryFirstMessageEndToEndTest {
  static final long L2 = -1009876543210L;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender SAM = new UpdateJson.Sender(900001, "Sam", "sam", "en");
  static final String YAML = AppFixture.CONFIG + """
      routing:
        enabled: false
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;

  private String summaryOf(String title) {
    Awaitility.await("the Level 2 summary of " + title).atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.sent().stream().anyMatch(c -> summary(c, title)));
    return f.telegram.sent().stream().filter(c -> summary(c, title)).findFirst().orElseThrow()
        .params().path("text").asText();
  }

  private static boolean summary(FakeTelegram.Call c, String title) {
    return c.params().path("chat_id").asLong() == L2
        && c.params().path("text").asText().startsWith("Level 2 escalation of <b>" + title + "</b>");
  }

  @Test
  void anApiEscalationBeforeTheFirstMessageStillGivesLevel2TheCustomersQuestion() throws Exception {
    String ticket = "ticket-" + CHAT + "-952";
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 952, BOB, "Quick escalate", now()));
    f.awaitTicket(ticket, x -> !x.path("createdAt").isNull());
    assertThat(f.post("/api/tickets/" + ticket + "/actions", "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"vip\"}")
        .statusCode()).isEqualTo(200);
    f.postUpdate(UpdateJson.text(update++, CHAT, 952, 953, BOB, "My payment failed twice & I was charged", now()));

    assertThat(summaryOf("Quick escalate"))
        .contains("Reason: vip\n")
        .endsWith("\nFirst message: My payment failed twice &amp; I was charged");
    assertThat(f.awaitTicket(ticket, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"))
        .path("firstMessage").asText()).isEqualTo("My payment failed twice & I was charged");
  }

  @Test
  void aSupervisorsEscalateRightAfterTheMessageStillGivesLevel2TheCustomersQuestion() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 105, BOB, "Production down", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 105, 106, BOB, "Our whole team cannot log in since 10 minutes", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 105, 107, SAM, "/escalate VIP customer, production down", now()));

    assertThat(summaryOf("Production down"))
        .contains("Reason: VIP customer, production down\n")
        .endsWith("\nFirst message: Our whole team cannot log in since 10 minutes");
  }

  /**
   * A first message at Telegram's own most, 4,096 characters (here 2,048 emoji, 4,096 UTF-16
   * units): the summary used to be over the limit with it, refused for good ("400 Bad Request:
   * message is too long", as the fake refuses it too), and the Level 2 topic stayed empty (audit
   * 16, F1). Its first message is cut with "…", between two emoji.
   */
  @Test
  void aFirstMessageAtTelegramsMostIsCutInTheSummaryWhichArrives() throws Exception {
    String ticket = "ticket-" + CHAT + "-304";
    String first = "Help & " + "😀".repeat(2_044) + "!";
    assertThat(first.length()).isEqualTo(4_096);
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 304, BOB, "Emoji message", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 304, 305, BOB, first, now()));
    f.awaitTicket(ticket, x -> x.path("firstMessage").asText().startsWith("Help & "));
    assertThat(f.post("/api/tickets/" + ticket + "/actions", "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"vip\"}")
        .statusCode()).isEqualTo(200);

    String summary = summaryOf("Emoji message");
    assertThat(dev.forumdesk.text.TelegramHtml.length(summary)).isLessThanOrEqualTo(4_096);
    assertThat(summary).contains("Reason: vip\nFirst message: Help &amp; 😀😀").endsWith("😀…");
    assertThat(f.telegram.calls("sendMessage")).as("nothing refused").allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
  }

  /**
   * A ticket whose customer had not written gets its summary without the message, once the wait for it
   * is over; when the message comes after all, it is posted in the Level 2 topic (lifecycle rules 8),
   * once: before, Level 2 never got the customer's question.
   */
  @Test
  void aTicketWithoutAFirstMessageGetsItsSummaryAfterTheWaitAndTheMessageWhenItComes() throws Exception {
    String ticket = "ticket-" + CHAT + "-300";
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 300, BOB, "Only a title", now()));
    f.awaitTicket(ticket, x -> !x.path("createdAt").isNull());
    assertThat(f.post("/api/tickets/" + ticket + "/actions", "{\"action\":\"escalate\",\"actor\":900001,\"reason\":\"vip\"}")
        .statusCode()).isEqualTo(200);

    assertThat(summaryOf("Only a title")).endsWith("Reason: vip\n");
    long topic = f.telegram.sent().stream().filter(c -> summary(c, "Only a title")).findFirst().orElseThrow()
        .params().path("message_thread_id").asLong();
    assertThat(f.awaitTicket(ticket, x -> x.path("audit").findValuesAsText("event").contains("LEVEL2_TOPIC"))
        .path("audit").findValuesAsText("reason")).contains("opened topic " + topic + " in the Level 2 group");

    f.postUpdate(UpdateJson.text(update++, CHAT, 300, 301, BOB, "Where is my <refund>?", now()));
    Awaitility.await("the first message in the Level 2 topic").atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.sent().stream().anyMatch(c -> firstMessageAfter(c, topic)));
    f.postUpdate(UpdateJson.text(update++, CHAT, 300, 302, BOB, "Hello?", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 300, 303, SAM, "Looking at it", now()));
    f.awaitTicket(ticket, x -> x.path("firstResponseAt").isTextual()); // after "Hello?": one ticket's in order
    assertThat(f.telegram.sent()).filteredOn(c -> firstMessageAfter(c, topic)).singleElement()
        .satisfies(c -> assertThat(c.params().path("text").asText())
            .isEqualTo("First message from Bob, which came after the summary:\nWhere is my &lt;refund&gt;?"));
    assertThat(f.telegram.sent()).as("nothing else in the Level 2 topic: not the second message")
        .filteredOn(c -> c.params().path("chat_id").asLong() == L2 && c.params().path("message_thread_id").asLong() == topic)
        .hasSize(2);
  }

  private static boolean firstMessageAfter(FakeTelegram.Call c, long topic) {
    return c.params().path("chat_id").asLong() == L2 && c.params().path("message_thread_id").asLong() == topic
        && c.params().path("text").asText().startsWith("First message from ");
  }
}
