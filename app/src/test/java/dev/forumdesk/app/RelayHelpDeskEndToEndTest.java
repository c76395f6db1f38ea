package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static dev.forumdesk.telegram.UpdateJson.now;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.helpdesk.RtRest;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.ForumTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay mode with a real Request Tracker 5 (deploy/rt/rt-test-server.sh; FORUMDESK_SKIP_RT=1 skips):
 * a reply written in RT on a ticket that is CLOSED here follows the rule of an agent's message in
 * that CLOSED ticket's topic (audit 18b, F1). While the customer has another open ticket it is not
 * sent to them: the topic is told where to write, and so is RT (a comment on the ticket the agent
 * wrote in). With none, it reaches the customer and starts a follow-up in that topic, so their answer
 * goes to that topic and that RT ticket, not to a new one.
 */
class RelayHelpDeskEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static Path rtDir;
  static String rtBase;

  @TempDir Path dir;
  AppFixture f;
  long update = 100;

  @BeforeAll
  static void startRequestTracker() throws Exception {
    Assumptions.assumeFalse("1".equals(System.getenv("FORUMDESK_SKIP_RT")), "FORUMDESK_SKIP_RT=1");
    rtDir = Files.createTempDirectory("forumdesk-rt-");
    rtBase = RtRest.start(rtDir);
  }

  @AfterAll
  static void stopRequestTracker() throws Exception {
    if (rtDir != null) {
      RtRest.stop(rtDir);
    }
  }

  @BeforeEach
  void start() throws Exception {
    String yaml = AppFixture.withHelpDesk("request-tracker", rtBase, "General")
        .replace("support:\n", "support:\n  mode: relay\n") + """
        sla:
          auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED
        """;
    f = new AppFixture(dir.resolve("app"), yaml,
        Map.of("FORUMDESK_HELPDESK_USER", "root", "FORUMDESK_HELPDESK_PASSWORD", "password"));
    f.telegram.enforcePerChatSecond(false);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  static JsonNode rt(String method, String path, String body) throws Exception {
    return RtRest.call(rtBase, method, path, body);
  }

  static List<String> contents(String external) throws Exception {
    return RtRest.contents(rtBase, external);
  }

  static List<JsonNode> entries(JsonNode ticket, String event) {
    return StreamSupport.stream(ticket.path("audit").spliterator(), false)
        .filter(a -> a.path("event").asText().equals(event)).toList();
  }

  /** A new ticket of Bob's, from his private message, mirrored into RT: its topic's thread. */
  private long opened(String text, int tickets) throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, update, BOB, text, now()));
    Awaitility.await("topic " + tickets).atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.calls("createForumTopic").size() == tickets);
    Awaitility.await("ticket " + tickets).atMost(Duration.ofSeconds(20)).until(() -> newTicket(text) > 0);
    long thread = newTicket(text);
    f.awaitTicket(id(thread), x -> x.path("helpDesk").path("sync").asText().equals("OK")
        && !x.path("helpDesk").path("externalId").asText("").isEmpty());
    return thread;
  }

  /** The thread of the NEW ticket whose first message is {@code text}, or 0. */
  private long newTicket(String text) throws Exception {
    return StreamSupport.stream(f.json("/api/tickets?status=NEW").spliterator(), false)
        .filter(t -> t.path("firstMessage").asText().equals(text)).findFirst()
        .map(t -> t.path("threadId").asLong()).orElse(0L);
  }

  static String id(long thread) {
    return "ticket-" + CHAT + "-" + thread;
  }

  private String external(long thread) throws Exception {
    return f.json("/api/tickets/" + id(thread)).path("helpDesk").path("externalId").asText();
  }

  /** Bob's ticket resolved by Alice and CLOSED here, resolved in RT: its topic's thread. */
  private long closed(String text) throws Exception {
    long thread = opened(text, 1);
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 900, ALICE, "/resolve", now()));
    f.awaitTicket(id(thread), x -> x.path("status").asText().equals("CLOSED"));
    String external = external(thread);
    Awaitility.await("resolved in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("resolved"));
    Thread.sleep(1_100); // RT dates in whole seconds: the reply comes after the pulls so far
    return thread;
  }

  @Test
  void anRtReplyOnAClosedTicketIsNotSentWhileTheCustomerHasAnotherOpenTicketAndTopicAndRtAreToldWhere()
      throws Exception {
    long old = closed("Where is my refund?");
    String oldExternal = external(old);
    long current = opened("New problem: my login fails", 2);
    String currentExternal = external(current);

    rt("POST", "/ticket/" + oldExternal + "/correspond",
        "{\"Content\":\"Your refund went out today\",\"ContentType\":\"text/plain\"}");

    String posted = "💬 Enoch Root (via Request Tracker): Your refund went out today";
    Awaitility.await("the reply and the notice in the closed topic").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250)).until(() -> f.telegram.textsTo(CHAT, old).contains(posted)
            && f.telegram.textsTo(CHAT, old).stream().anyMatch(x -> x.startsWith("🚫 Not sent to <b>Bob</b>:")));
    assertThat(f.telegram.textsTo(CHAT, old)).filteredOn(x -> x.startsWith("🚫 Not sent to")).singleElement()
        .satisfies(x -> assertThat(x).startsWith("🚫 Not sent to <b>Bob</b>: this ticket is closed, and Bob has an open"
            + " ticket, <a href=\"" + new ForumTopic(CHAT, current).url() + "\">here</a>. Write there"));
    String told = "Forumdesk (system): 🚫 Your reply was not sent to Bob: this ticket is closed, and Bob has an open"
        + " ticket, " + rtBase + "/Ticket/Display.html?id=" + currentExternal + " (its Telegram topic: "
        + new ForumTopic(CHAT, current).url() + "). Write there: their answers go to that ticket.";
    Awaitility.await("RT told where to write").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> contents(oldExternal).stream().anyMatch(c -> c.startsWith(told)));
    JsonNode closed = f.awaitTicket(id(old), x -> entries(x, "REPLY_WHILE_CLOSED").size() == 1);
    assertThat(closed.path("status").asText()).isEqualTo("CLOSED");
    assertThat(entries(closed, "REPLY_WHILE_CLOSED").getFirst().path("reason").asText())
        .startsWith("Enoch Root (via Request Tracker) replied on ")
        .endsWith("while the ticket was closed: not sent to Bob, who has an open ticket (topic " + current
            + "); the ticket stays closed, and Request Tracker was told");

    Thread.sleep(3_000); // more pulls, each looking back over the reply again
    assertThat(f.telegram.textsTo(BOB.id(), null)).as("not sent to Bob").noneMatch(x -> x.contains("refund went out"));
    assertThat(f.telegram.textsTo(CHAT, old)).filteredOn(x -> x.contains("Your refund went out today")).containsExactly(posted);
    assertThat(f.telegram.textsTo(CHAT, old)).filteredOn(x -> x.startsWith("🚫 Not sent to")).hasSize(1);
    assertThat(contents(oldExternal)).filteredOn(c -> c.startsWith(told)).hasSize(1);
    JsonNode after = f.json("/api/tickets/" + id(old));
    assertThat(after.path("status").asText()).as("no follow-up").isEqualTo("CLOSED");
    assertThat(entries(after, "REPLY_WHILE_CLOSED")).hasSize(1);
    JsonNode open = f.json("/api/tickets/" + id(current));
    assertThat(open.path("firstResponseAt").isNull()).as("no answer to the other ticket").isTrue();
    assertThat(f.telegram.textsTo(CHAT, current)).noneMatch(x -> x.contains("refund went out"));
    // RT opened its ticket on the reply; the ticket stays CLOSED here, and so RT's is resolved again
    Awaitility.await("resolved again in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + oldExternal, null).path("Status").asText().equals("resolved"));
  }

  @Test
  void withNoOtherOpenTicketAnRtReplyOnAClosedTicketStartsAFollowUpThatTheCustomersAnswerAndRtTicketReach()
      throws Exception {
    long old = closed("Where is my refund?");
    String external = external(old);

    rt("POST", "/ticket/" + external + "/correspond",
        "{\"Content\":\"Your refund went out today\",\"ContentType\":\"text/plain\"}");

    String relayed = "<b>Enoch Root (via Request Tracker)</b>: Your refund went out today";
    Awaitility.await("the reply sent to Bob").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> f.telegram.textsTo(BOB.id(), null).contains(relayed));
    JsonNode follow = f.awaitTicket(id(old), x -> !x.path("status").asText().equals("CLOSED"));
    assertThat(follow.path("followUpOf").isNull()).as("a follow-up").isFalse();
    assertThat(entries(follow, "OPENED").getLast().path("reason").asText())
        .startsWith("follow-up #1: Enoch Root (via Request Tracker) wrote in the topic after the ticket closed on ");
    assertThat(follow.path("firstResponseAt").isNull()).as("as an agent's message in the topic: nothing asked yet")
        .isTrue();

    f.postUpdate(UpdateJson.privateText(update++, 70, BOB, "Thanks, but it still fails", now()));
    Awaitility.await("Bob's answer in that topic").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> f.telegram.textsTo(CHAT, old).contains("💬 <b>Bob</b>: Thanks, but it still fails"));
    Awaitility.await("and in that RT ticket").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> contents(external).stream().anyMatch(c -> c.startsWith("Bob (customer): Thanks, but it still fails")));
    Awaitility.await("the follow-up new again in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("new"));
    assertThat(f.telegram.calls("createForumTopic")).as("no new topic").hasSize(1);
    assertThat(f.json("/api/tickets")).as("no new ticket").hasSize(1);

    Thread.sleep(3_000); // more pulls, each looking back over the reply again
    assertThat(f.telegram.textsTo(BOB.id(), null)).filteredOn(x -> x.contains("Your refund went out today"))
        .containsExactly(relayed);
    JsonNode after = f.json("/api/tickets/" + id(old));
    assertThat(entries(after, "REPLY_WHILE_CLOSED")).as("audited once, by the follow-up's opening").isEmpty();
    assertThat(entries(after, "OPENED")).filteredOn(a -> a.path("reason").asText().contains("Enoch Root")).hasSize(1);
    assertThat(after.path("customer").path("name").asText()).isEqualTo("Bob");
    assertThat(contents(external)).filteredOn(c -> c.contains("Your refund went out today")).hasSize(1);
  }
}
