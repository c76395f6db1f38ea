package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.Settings;
import dev.forumdesk.helpdesk.FakeZammad;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * help-desk.kind zammad, the whole app against {@link FakeZammad} (Zammad's REST API in memory on
 * loopback): a new ticket is mirrored there with the customer's first message, the conversation
 * follows as internal notes, a resolve here closes it there, and what the team does in Zammad
 * (a hold, opening it again, closing it) comes back within sync-back.
 */
class ZammadEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String TOKEN = "zammad-e2e-T0ken";

  @TempDir Path dir;
  FakeZammad zammad;
  AppFixture f;

  @BeforeEach
  void start() throws Exception {
    zammad = new FakeZammad(TOKEN);
    f = app(TOKEN);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
    zammad.close();
  }

  String yaml() {
    return AppFixture.withHelpDesk("zammad", zammad.url(), "Users");
  }

  AppFixture app(String token) throws Exception {
    AppFixture app = new AppFixture(dir.resolve("app-" + System.nanoTime()), yaml(),
        Map.of("FORUMDESK_HELPDESK_TOKEN", token));
    app.telegram.enforcePerChatSecond(false);
    return app;
  }

  static void await(String what, org.awaitility.core.ThrowingRunnable assertion) {
    Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
  }

  @Test
  void aTopicBecomesAZammadTicketItsConversationNotesAndItsStateGoesBothWays() throws Exception {
    JsonNode t = f.openMirrored(70, "Refund for order 7", "I was charged twice");
    String id = t.path("id").asText();
    long now = UpdateJson.now();
    JsonNode hd = t.path("helpDesk");
    assertThat(hd.path("kind").asText()).isEqualTo("zammad");
    String external = hd.path("externalId").asText();
    assertThat(hd.path("url").asText()).isEqualTo(zammad.url() + "/#ticket/zoom/" + external);
    long zid = Long.parseLong(external);
    FakeZammad.Ticket twin = zammad.ticket(zid);
    assertThat(twin.title()).isEqualTo("Refund for order 7");
    assertThat(twin.group()).isEqualTo("Users");
    assertThat(twin.state()).isEqualTo("new");
    assertThat(zammad.customerOf(zid)).as("the customer by their Telegram id").isEqualTo("tg-5001@telegram.invalid");
    assertThat(zammad.articles(zid).getFirst()).satisfies(a -> {
      assertThat(a.body()).startsWith("From: Bob\n\nI was charged twice");
      assertThat(a.internal()).isFalse();
    });

    // an agent answers: IN_PROGRESS here, open in Zammad, the reply an internal note
    f.postUpdate(UpdateJson.text(3, CHAT, 70, 72, ALICE, "Looking into it", now));
    f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS"));
    await("open in Zammad", () -> assertThat(zammad.ticket(zid).state()).isEqualTo("open"));
    await("the reply as an internal note", () -> assertThat(zammad.articles(zid))
        .anySatisfy(a -> {
          assertThat(a.body()).startsWith("Alice (agent): Looking into it\n\n(Forumdesk message ");
          assertThat(a.internal()).isTrue();
        }));
    assertThat(zammad.articles(zid)).filteredOn(a -> a.body().contains("I was charged twice")).hasSize(1);

    // pending in Zammad: on hold here, clocks paused; open again there: resumed here
    zammad.setState(zid, "pending reminder");
    JsonNode held = f.awaitTicket(id, x -> x.path("status").asText().equals("ON_HOLD"));
    assertThat(held.path("sla").path("paused").asBoolean()).isTrue();
    assertThat(held.path("audit")).anyMatch(a -> a.path("event").asText().equals("ON_HOLD")
        && a.path("reason").asText().equals("on hold in zammad #" + external));
    zammad.setState(zid, "open");
    f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS") && !x.path("sla").path("paused").asBoolean());

    // /resolve here closes it there
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"resolve\",\"actor\":1001}").statusCode())
        .isEqualTo(200);
    await("closed in Zammad", () -> assertThat(zammad.ticket(zid).state()).isEqualTo("closed"));

    // opened again in Zammad: reopened here; closed in Zammad: resolved here, audited as done there
    zammad.setState(zid, "open");
    JsonNode reopened = f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS"));
    assertThat(reopened.path("audit")).anyMatch(a -> a.path("event").asText().equals("REOPENED")
        && a.path("reason").asText().contains("zammad #" + external));
    zammad.setState(zid, "closed");
    JsonNode resolved = f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"));
    assertThat(resolved.path("helpDesk").path("sync").asText()).isEqualTo("OK");
    assertThat(resolved.path("helpDesk").path("kind").asText()).isEqualTo("zammad");
    // nothing here echoes back there: still closed, and the ticket was created once
    Thread.sleep(1_500);
    assertThat(zammad.ticket(zid).state()).isEqualTo("closed");
    assertThat(zammad.tickets()).hasSize(1);
  }

  @Test
  void anAgentsReplyInZammadReachesTheTopicOnceStopsTheFirstResponseClockAndIsNotEchoedBack() throws Exception {
    JsonNode t = f.openMirrored(90, "Card declined", "My card is declined");
    String id = t.path("id").asText();
    assertThat(t.path("firstResponseAt").isNull()).isTrue();
    long zid = Long.parseLong(t.path("helpDesk").path("externalId").asText());
    long anna = zammad.agent("Anna", "Agent");

    zammad.write(zid, anna, "internal: ask the bank first", "text/plain", true); // a note: stays in Zammad
    zammad.write(zid, anna, "<p>Please try again, <b>Bob</b> & tell us</p>", "text/html", false);

    String expected = "💬 Anna Agent (via Zammad): Please try again, Bob &amp; tell us";
    await("the reply in the topic", () -> assertThat(f.telegram.textsIn(90)).contains(expected));
    JsonNode answered = f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull());
    assertThat(answered.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(answered.path("audit")).anyMatch(a -> a.path("event").asText().equals("FIRST_RESPONSE"));
    await("open in Zammad", () -> assertThat(zammad.ticket(zid).state()).isEqualTo("open"));

    Thread.sleep(2_500); // more pulls, each looking back over the reply again
    assertThat(f.telegram.textsIn(90)).filteredOn(x -> x.contains("Please try again")).containsExactly(expected);
    assertThat(f.telegram.textsIn(90)).noneMatch(x -> x.contains("ask the bank"));
    // not mirrored back as a note: the reply is in Zammad once, Anna's own
    assertThat(zammad.articles(zid)).filteredOn(a -> a.body().contains("Please try again"))
        .singleElement().satisfies(a -> assertThat(a.createdById()).isEqualTo(anna));
  }

  @Test
  void inRelayModeTheCustomerReadsAnAgentsZammadReplyPrivately() throws Exception {
    f.close();
    f = new AppFixture(dir.resolve("relay"), yaml().replace("support:\n", "support:\n  mode: relay\n"),
        Map.of("FORUMDESK_HELPDESK_TOKEN", TOKEN));
    f.telegram.enforcePerChatSecond(false);
    f.postUpdate(UpdateJson.privateText(1, 11, BOB, "My card is declined", UpdateJson.now()));
    await("a relayed topic", () -> assertThat(f.json("/api/tickets")).hasSize(1));
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    JsonNode t = f.awaitTicket("ticket-" + CHAT + "-" + thread, x -> x.path("helpDesk").path("sync").asText().equals("OK"));
    long zid = Long.parseLong(t.path("helpDesk").path("externalId").asText());
    long anna = zammad.agent("Anna", "Agent");

    zammad.write(zid, anna, "internal: ask the bank first", "text/plain", true);
    // audit 19a F1: a link written in Zammad's editor keeps its address, as a Telegram link
    zammad.write(zid, anna, "<div>Please try again, Bob: open <a href=\"https://example.com/reset?a=1&amp;b=2\">the"
        + " reset page</a> &amp; retry</div>", "text/html", false);

    String reply = "Please try again, Bob: open <a href=\"https://example.com/reset?a=1&amp;b=2\">the reset page</a>"
        + " &amp; retry";
    await("the reply in the topic and in Bob's private chat", () -> {
      assertThat(f.telegram.textsIn(thread)).contains("💬 Anna Agent (via Zammad): " + reply);
      assertThat(privateTexts()).contains("<b>Anna Agent (via Zammad)</b>: " + reply);
    });
    f.awaitTicket(t.path("id").asText(), x -> !x.path("firstResponseAt").isNull());
    Thread.sleep(2_500); // more pulls, each looking back over the reply again
    assertThat(privateTexts()).filteredOn(x -> x.contains("Please try again")).hasSize(1);
    assertThat(privateTexts()).noneMatch(x -> x.contains("ask the bank"));
  }

  /** What Bob read in his private chat with the bot. */
  java.util.List<String> privateTexts() {
    return f.telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == BOB.id())
        .map(c -> c.params().path("text").asText()).toList();
  }

  @Test
  void whileZammadRefusesTheTokenTheTicketWorksAndItsTwinSaysFailedWithoutTheToken() throws Exception {
    f.close();
    f = app("wrong-Zammad-token-123");
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 80, BOB, "Login fails", UpdateJson.now()));
    f.postUpdate(UpdateJson.text(2, CHAT, 80, 81, BOB, "I cannot log in", UpdateJson.now()));
    JsonNode t = f.awaitTicket("ticket-" + CHAT + "-80", x -> x.path("helpDesk").path("sync").asText().equals("FAILED"));
    assertThat(t.path("status").asText()).isEqualTo("NEW");
    assertThat(t.path("helpDesk").path("kind").asText()).isEqualTo("zammad");
    assertThat(t.path("helpDesk").path("externalId").isNull()).isTrue();
    assertThat(t.path("helpDesk").path("error").asText()).contains("refused the token").contains("401")
        .doesNotContain("wrong-Zammad-token-123");
    assertThat(zammad.tickets()).isEmpty();
  }

  @Test
  void withoutATokenTheStartStopsWithOneLine() throws Exception {
    f.close(); // the app of @BeforeEach, whose sync has asked Zammad already
    f = null;
    int asked = zammad.requests().size();
    Path config = dir.resolve("no-token.yaml");
    Files.writeString(config, yaml());
    Map<String, String> env = SampleDesk.env(AppFixture.TOKEN, "http://127.0.0.1:1", AppFixture.SECRET,
        "forumdesk.example.test", AppFixture.API_TOKEN, config, dir.resolve("no-token-data"));
    env.put("FORUMDESK_HELPDESK_USER", "admin@example.com"); // Zammad takes a token, not a user
    assertThatThrownBy(() -> ForumdeskApp.start(Settings.fromEnv(env), ForumdeskApp.Mode.RUN, 0))
        .isInstanceOf(ConfigException.class)
        .hasMessage("help-desk.kind zammad needs FORUMDESK_HELPDESK_TOKEN (a Zammad access token with the ticket.agent"
            + " permission)");
    assertThat(zammad.requests()).hasSize(asked);
  }
}
