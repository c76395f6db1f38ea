package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.helpdesk.RtRest;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.UpdateJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * help-desk.kind request-tracker against a real Request Tracker 5 (Debian's packages, started by
 * deploy/rt/rt-test-server.sh on loopback): a new ticket is mirrored there, its resolve reaches RT,
 * and a reopen made in RT comes back.
 */
class HelpDeskEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static Path rtDir;
  static String rtBase;

  @TempDir Path dir;
  AppFixture f;

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
    f = app(rtBase, "password");
  }

  AppFixture app(String url, String password) throws Exception {
    AppFixture app = new AppFixture(dir.resolve("app-" + System.nanoTime()),
        AppFixture.withHelpDesk("request-tracker", url, "General"), Map.of("FORUMDESK_HELPDESK_USER", "root", "FORUMDESK_HELPDESK_PASSWORD", password));
    app.telegram.enforcePerChatSecond(false);
    return app;
  }

  @Test
  void whileRtRefusesTheTicketWorksAndItsTwinSaysFailedWithTheReasonButNotTheSecret() throws Exception {
    f.close();
    f = app(rtBase, "wrong-password-123");
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 80, BOB, "Login fails", UpdateJson.now()));
    f.postUpdate(UpdateJson.text(2, CHAT, 80, 81, BOB, "I cannot log in", UpdateJson.now()));
    JsonNode t = f.awaitTicket("ticket-" + CHAT + "-80", x -> x.path("helpDesk").path("sync").asText().equals("FAILED"));
    assertThat(t.path("status").asText()).isEqualTo("NEW");
    assertThat(t.path("helpDesk").path("externalId").isNull()).isTrue();
    assertThat(t.path("helpDesk").path("error").asText()).contains("credentials").doesNotContain("wrong-password-123");

    // the audit's F10: health and metrics say so, and the help desk does not take the whole DOWN
    JsonNode health = Json.mapper().readTree(f.get("/observe/health").body());
    assertThat(health.path("checks").path("helpDesk").path("status").asText()).isEqualTo("DEGRADED");
    assertThat(health.path("checks").path("helpDesk").path("lastError").asText()).contains("credentials")
        .doesNotContain("wrong-password-123");
    assertThat(health.path("checks").path("helpDesk").path("unsynced").asLong()).isEqualTo(1);
    String metrics = f.get("/observe/metrics").body();
    assertThat(metrics).contains("forumdesk_helpdesk_unsynced 1.0", "forumdesk_helpdesk_last_success_seconds ")
        .containsPattern("forumdesk_helpdesk_sync_failures_total [1-9]");
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  static JsonNode rt(String method, String path, String body) throws IOException, InterruptedException {
    return RtRest.call(rtBase, method, path, body);
  }

  static List<String> contents(String external) throws IOException, InterruptedException {
    return RtRest.contents(rtBase, external);
  }

  @Test
  void aNewTicketIsMirroredItsResolveReachesRtAndAReopenInRtComesBack() throws Exception {
    JsonNode t = f.openMirrored(70, "Refund for order 7", "I was charged twice");
    String id = t.path("id").asText();
    long now = UpdateJson.now();
    JsonNode hd = t.path("helpDesk");
    assertThat(hd.path("kind").asText()).isEqualTo("request-tracker");
    String external = hd.path("externalId").asText();
    assertThat(hd.path("url").asText()).isEqualTo(rtBase + "/Ticket/Display.html?id=" + external);
    JsonNode twin = rt("GET", "/ticket/" + external, null);
    assertThat(twin.path("Subject").asText()).isEqualTo("Refund for order 7");
    assertThat(twin.path("Status").asText()).isEqualTo("new");

    // an agent answers: IN_PROGRESS here, open in RT
    f.postUpdate(UpdateJson.text(3, CHAT, 70, 72, ALICE, "Looking into it", now));
    f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS"));
    Awaitility.await("open in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("open"));
    // the conversation is in RT as comments; the first message is the ticket's content, not a comment
    Awaitility.await("the agent's reply as a comment in RT").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250)).until(() -> contents(external).stream()
            .anyMatch(c -> c.startsWith("Alice (agent): Looking into it\n\n(Forumdesk message ")));
    assertThat(contents(external).stream().filter(c -> c.contains("I was charged twice")).count()).isEqualTo(1);

    // put on hold in RT (stalled): on hold here, clocks paused; opened again in RT: resumed here
    Thread.sleep(1_100); // RT's LastUpdated has one-second steps
    rt("PUT", "/ticket/" + external, "{\"Status\":\"stalled\"}");
    JsonNode held = f.awaitTicket(id, x -> x.path("status").asText().equals("ON_HOLD"));
    assertThat(held.path("sla").path("paused").asBoolean()).isTrue();
    assertThat(held.path("audit")).anyMatch(a -> a.path("event").asText().equals("ON_HOLD")
        && a.path("reason").asText().equals("on hold in request-tracker #" + external));
    Thread.sleep(1_100);
    rt("PUT", "/ticket/" + external, "{\"Status\":\"open\"}");
    f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS") && !x.path("sla").path("paused").asBoolean());

    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"resolve\",\"actor\":1001}").statusCode()).isEqualTo(200);
    Awaitility.await("resolved in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("resolved"));

    // someone reopens it in RT: the sync-back reopens the ticket, audited as done there
    Thread.sleep(1_100); // RT's LastUpdated has one-second steps
    JsonNode changed = rt("PUT", "/ticket/" + external, "{\"Status\":\"open\"}");
    assertThat(changed.toString()).contains("Status changed");
    JsonNode reopened = f.awaitTicket(id, x -> x.path("status").asText().equals("IN_PROGRESS"));
    assertThat(reopened.path("audit")).anyMatch(a -> a.path("event").asText().equals("REOPENED")
        && a.path("reason").asText().contains("request-tracker #" + external));
    assertThat(f.json("/api/tickets/" + id).path("helpDesk").path("sync").asText()).isEqualTo("OK");
    List<String> statuses = List.of(rt("GET", "/ticket/" + external, null).path("Status").asText());
    assertThat(statuses).containsExactly("open");
  }

  /**
   * Audit 17's F1 and F6: a customer writes after the ticket CLOSED; the follow-up run reuses the
   * RT ticket, and its first message reaches it as a comment (it was lost: RT saw the ticket go back
   * to new with nothing in it).
   */
  @Test
  void aFollowUpsFirstMessageReachesTheRtTicketItReusesAsAComment() throws Exception {
    JsonNode t = closedAndResolvedInRt("app-follow-up", 110, "Payment question", "My payment did not go through");
    String id = t.path("id").asText();
    String external = t.path("helpDesk").path("externalId").asText();

    f.postUpdate(UpdateJson.text(1190, CHAT, 110, 115, BOB, "One more question about payment", UpdateJson.now()));
    JsonNode follow = f.awaitTicket(id, x -> !x.path("followUpOf").isNull() && !x.path("followUpOf").isMissingNode()
        && x.path("firstMessage").asText().equals("One more question about payment"));
    assertThat(follow.path("helpDesk").path("externalId").asText()).isEqualTo(external);
    Awaitility.await("the follow-up's first message as a comment in RT").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250)).until(() -> contents(external).stream()
            .anyMatch(c -> c.startsWith("Bob (customer): One more question about payment\n\n(Forumdesk message ")));
    Awaitility.await("new again in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("new"));
    Thread.sleep(2_000); // more passes: nothing twice
    assertThat(contents(external)).filteredOn(c -> c.contains("One more question about payment")).hasSize(1);
    assertThat(contents(external)).filteredOn(c -> c.contains("My payment did not go through")).hasSize(1);
    assertThat(f.json("/api/tickets/" + id).path("helpDesk").path("sync").asText()).isEqualTo("OK");
  }

  /**
   * A reply written in RT on a ticket that is CLOSED here (its run has ended): posted to the topic
   * once, and in the ticket's audit once (REPLY_WHILE_CLOSED, by the RT user), however many pulls
   * look back over it; the follow-up opened later carries that entry and records it no second time.
   */
  @Test
  void aReplyInRtOnAClosedTicketIsInItsAuditOnceAndTheFollowUpDoesNotRecordItAgain() throws Exception {
    JsonNode t = closedAndResolvedInRt("app-closed-reply", 150, "Refund question", "Where is my refund?");
    String id = t.path("id").asText();
    String external = t.path("helpDesk").path("externalId").asText();

    rt("POST", "/ticket/" + external + "/correspond",
        "{\"Content\":\"Your refund went out today\",\"ContentType\":\"text/plain\"}");
    String expected = "💬 Enoch Root (via Request Tracker): Your refund went out today";
    Awaitility.await("the reply in the topic").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> f.telegram.textsIn(150).contains(expected));
    JsonNode closed = f.awaitTicket(id, x -> whileClosed(x).size() == 1);
    assertThat(closed.path("status").asText()).isEqualTo("CLOSED");
    JsonNode entry = whileClosed(closed).getFirst();
    assertThat(entry.path("actor").asText()).isEqualTo("request-tracker:Enoch Root");
    assertThat(entry.path("reason").asText()).startsWith("Enoch Root (via Request Tracker) replied on ")
        .contains("while the ticket was closed");
    Thread.sleep(3_000); // more pulls, each looking back over the reply again
    assertThat(whileClosed(f.json("/api/tickets/" + id))).hasSize(1);
    assertThat(f.telegram.textsIn(150)).filteredOn(x -> x.contains("Your refund went out today")).containsExactly(expected);

    f.postUpdate(UpdateJson.text(1590, CHAT, 150, 155, BOB, "Thanks, one more thing", UpdateJson.now()));
    f.awaitTicket(id, x -> !x.path("followUpOf").isNull() && !x.path("followUpOf").isMissingNode()
        && x.path("firstMessage").asText().equals("Thanks, one more thing"));
    Thread.sleep(2_500);
    JsonNode follow = f.json("/api/tickets/" + id);
    assertThat(whileClosed(follow)).as("carried from the closed run, not recorded again").hasSize(1);
    assertThat(follow.path("firstResponseAt").isNull()).as("no answer to the follow-up").isTrue();
  }

  /**
   * An app of its own (in {@code dirName}) whose resolved tickets close after 3 s, with a ticket in
   * topic {@code thread} mirrored into RT, resolved, CLOSED here and resolved there: the ticket as
   * the API showed it mirrored.
   */
  JsonNode closedAndResolvedInRt(String dirName, long thread, String title, String text) throws Exception {
    f.close();
    f = new AppFixture(dir.resolve(dirName), AppFixture.withHelpDesk("request-tracker", rtBase, "General") + """
        sla:
          auto-close-resolved: PT3S
        """, Map.of("FORUMDESK_HELPDESK_USER", "root", "FORUMDESK_HELPDESK_PASSWORD", "password"));
    f.telegram.enforcePerChatSecond(false);
    JsonNode t = f.openMirrored(thread, title, text);
    String id = t.path("id").asText();
    String external = t.path("helpDesk").path("externalId").asText();
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"resolve\",\"actor\":1001}").statusCode()).isEqualTo(200);
    f.awaitTicket(id, x -> x.path("status").asText().equals("CLOSED"));
    Awaitility.await("resolved in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("resolved"));
    return t;
  }

  static List<JsonNode> whileClosed(JsonNode ticket) {
    return java.util.stream.StreamSupport.stream(ticket.path("audit").spliterator(), false)
        .filter(a -> a.path("event").asText().equals("REPLY_WHILE_CLOSED")).toList();
  }

  /** Stops (STOP) or continues (CONT) RT's process group: a hang, as the audit's s_rthang.py made it. */
  static void signalRt(String signal) throws Exception {
    String group = Files.readString(rtDir.resolve("rt.pid")).strip();
    Process p = new ProcessBuilder("kill", "-" + signal, "--", "-" + group).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -" + signal + " RT").isTrue();
  }

  static List<String> transactionTypes(String external) throws IOException, InterruptedException {
    JsonNode items = rt("GET", "/ticket/" + external + "/history?fields=Type&per_page=100", null).path("items");
    return java.util.stream.StreamSupport.stream(items.spliterator(), false).map(i -> i.path("Type").asText()).toList();
  }

  /**
   * Audit 17's F4 and F5 during an RT hang: a mirrored ticket whose new message cannot reach RT is
   * FAILED with the reason and counted unsynced (it said OK), and the message arrives afterwards; a
   * ticket opened and answered during the hang gets the agent's reply in RT before the status it led
   * to (RT had the status first).
   */
  @Test
  void whileRtHangsAWaitingMessageIsFailedAndAfterwardsMessagesComeBeforeTheirStatus() throws Exception {
    JsonNode t = f.openMirrored(120, "Before the hang", "Hello");
    String id = t.path("id").asText();
    String external = t.path("helpDesk").path("externalId").asText();
    String opened = "ticket-" + CHAT + "-130";
    signalRt("STOP");
    try {
      long now = UpdateJson.now();
      f.postUpdate(UpdateJson.text(1290, CHAT, 120, 125, BOB, "Any news?", now));
      Awaitility.await("FAILED while RT hangs").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
          .until(() -> f.json("/api/tickets/" + id).path("helpDesk").path("sync").asText().equals("FAILED"));
      assertThat(f.json("/api/tickets/" + id).path("helpDesk").path("error").asText()).contains("RT unreachable");
      JsonNode health = Json.mapper().readTree(f.get("/observe/health").body());
      assertThat(health.path("checks").path("helpDesk").path("unsynced").asLong()).isGreaterThanOrEqualTo(1);

      f.postUpdate(UpdateJson.topicCreated(1291, CHAT, 130, BOB, "During the hang", now));
      f.postUpdate(UpdateJson.text(1292, CHAT, 130, 131, BOB, "Opened while RT hangs", now));
      f.postUpdate(UpdateJson.text(1293, CHAT, 130, 132, ALICE, "on it", now));
      f.awaitTicket(opened, x -> x.path("status").asText().equals("IN_PROGRESS"));
    } finally {
      signalRt("CONT");
    }
    Awaitility.await("the waiting message in RT").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> contents(external).stream().anyMatch(c -> c.startsWith("Bob (customer): Any news?")));
    Awaitility.await("OK again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> f.json("/api/tickets/" + id).path("helpDesk").path("sync").asText().equals("OK"));
    Awaitility.await("the ticket opened during the hang open in RT").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).until(() -> {
          String twin = f.json("/api/tickets/" + opened).path("helpDesk").path("externalId").asText("");
          return !twin.isEmpty() && rt("GET", "/ticket/" + twin, null).path("Status").asText().equals("open");
        });
    String twin = f.json("/api/tickets/" + opened).path("helpDesk").path("externalId").asText();
    List<String> types = transactionTypes(twin);
    assertThat(types).contains("Comment", "Status");
    assertThat(types.indexOf("Comment")).as("Alice's reply before the status it led to: " + types)
        .isLessThan(types.indexOf("Status"));
    assertThat(contents(twin)).filteredOn(c -> c.startsWith("Alice (agent): on it")).hasSize(1);
  }

  /**
   * An RT ticket that no longer exists (shredded there; here: its link points at an id RT never
   * had): RT answers the next comment with 400, reading the ticket says 404, and a new RT ticket is
   * made with the conversation (the first message its content, the new one a comment).
   */
  @Test
  void aTicketWhoseRtTicketIsGoneGetsANewOneWithItsMessages() throws Exception {
    JsonNode t = f.openMirrored(140, "Shredded in RT", "My parcel is lost");
    String id = t.path("id").asText();
    // the sync done with it (its status pushed too): a push still under way would write the twin's id back
    Awaitility.await("the ticket settled in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> f.app().database().jdbi().withHandle(h -> h.createQuery(
                "select count(*) from help_desk_links l join tickets t on t.id = l.ticket_id where l.ticket_id = :id"
                    + " and l.synced_version >= t.version and l.sync = 'OK' and not exists (select 1 from help_desk_messages m"
                    + " where m.ticket_id = l.ticket_id and m.pushed_at is null)")
            .bind("id", id).mapTo(Integer.class).one()) == 1);
    Thread.sleep(1_500); // a pass that read the link before it settled has written it by now
    f.app().database().jdbi().useHandle(h -> h.createUpdate(
        "update help_desk_links set external_id = '987654' where ticket_id = :id").bind("id", id).execute());

    f.postUpdate(UpdateJson.text(1400, CHAT, 140, 141, BOB, "Any news about the parcel?", UpdateJson.now()));

    JsonNode again = f.awaitTicket(id, x -> {
      String twin = x.path("helpDesk").path("externalId").asText("");
      return !twin.isEmpty() && !twin.equals("987654") && x.path("helpDesk").path("sync").asText().equals("OK");
    });
    String twin = again.path("helpDesk").path("externalId").asText();
    assertThat(twin).isNotEqualTo(t.path("helpDesk").path("externalId").asText());
    Awaitility.await("the conversation in the new RT ticket").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250)).until(() -> contents(twin).stream()
            .anyMatch(c -> c.startsWith("Bob (customer): Any news about the parcel?")));
    assertThat(contents(twin)).anyMatch(c -> c.contains("My parcel is lost"));
    assertThat(rt("GET", "/ticket/" + twin, null).path("Subject").asText()).isEqualTo("Shredded in RT");
  }

  @Test
  void aCorrespondenceInRtReachesTheTopicOnceStopsTheFirstResponseClockAndIsNotEchoedBack() throws Exception {
    JsonNode t = f.openMirrored(90, "Card declined", "My card is declined");
    String id = t.path("id").asText();
    assertThat(t.path("firstResponseAt").isNull()).isTrue();
    String external = t.path("helpDesk").path("externalId").asText();

    rt("POST", "/ticket/" + external + "/comment", "{\"Content\":\"among us: ask the bank\",\"ContentType\":\"text/plain\"}");
    rt("POST", "/ticket/" + external + "/correspond",
        "{\"Content\":\"Please try again, Bob <3\",\"ContentType\":\"text/plain\"}");

    String expected = "💬 Enoch Root (via Request Tracker): Please try again, Bob &lt;3";
    Awaitility.await("the reply in the topic").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> f.telegram.textsIn(90).contains(expected));
    JsonNode answered = f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull());
    assertThat(answered.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(answered.path("audit")).anyMatch(a -> a.path("event").asText().equals("FIRST_RESPONSE"));
    Awaitility.await("open in RT").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> rt("GET", "/ticket/" + external, null).path("Status").asText().equals("open"));

    Thread.sleep(2_500); // more pulls, each looking back over the reply again
    assertThat(f.telegram.textsIn(90)).filteredOn(x -> x.contains("Please try again")).containsExactly(expected);
    assertThat(f.telegram.textsIn(90)).noneMatch(x -> x.contains("ask the bank"));
    // not mirrored back as a comment: RT has the text once, as the correspondence
    assertThat(contents(external)).filteredOn(c -> c.contains("Please try again")).hasSize(1);
  }
}
