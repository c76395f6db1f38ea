package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Audit 15, F1: a resolved ticket whose auto-close fell due while `./forumdesk run` was down. Telegram
 * holds the updates it could not deliver meanwhile and sends them again once the webhook is set, each
 * with its own date; the restore used to close such a ticket about a second after the webhook was
 * registered, before they came. A customer's message written before the auto-close then found no
 * open ticket: in relay mode a second topic and a second "Thanks, we got your message", in group mode
 * a follow-up run ("wrote in the topic after the ticket closed", listed before the close) with a new
 * ticket's acknowledgement. Now the restore holds such an auto-close for {@code
 * temporal.auto-close-after-restore}: the message reopens the ticket in its own topic, as it would
 * have live, and without one the ticket closes once the hold is over.
 */
class HeldAutoCloseAfterRestartEndToEndTest extends AppOnADataDir {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender SAM = new UpdateJson.Sender(900001, "Sam", "sam", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  /** Long enough to resolve and stop before it, on a loaded machine. */
  static final Duration AUTO_CLOSE = Duration.ofSeconds(10);
  /** The hold after the restore: long enough for the redelivery below, short for the control's wait. */
  static final Duration HOLD = Duration.ofSeconds(8);
  static final String SETTINGS = """
      sla:
        auto-close-resolved: %s
      temporal:
        auto-close-after-restore: %s
      """.formatted(AUTO_CLOSE, HOLD);
  static final String GROUP_YAML = AppFixture.CONFIG + SETTINGS;
  static final String RELAY_YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n") + SETTINGS;
  static final long THREAD = 700;
  static final String ID = "ticket-" + CHAT + "-" + THREAD;

  @Test
  void aTopicMessageWrittenBeforeTheAutoCloseReopensTheTicketWhenTelegramSendsItAfterTheRestart() throws Exception {
    f = new AppFixture(dir, GROUP_YAML, Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(7000, CHAT, THREAD, BOB, "Refund P9601", now));
    f.postUpdate(UpdateJson.text(7001, CHAT, THREAD, 701, BOB, "Where is my refund?", now));
    f.awaitTicket(ID, x -> x.path("firstMessage").asText().equals("Where is my refund?"));
    Awaitility.await("the acknowledgement").atMost(Duration.ofSeconds(15))
        .until(() -> acknowledgements(f, "Thanks, we got your request").size() == 1);
    f.postUpdate(UpdateJson.text(7002, CHAT, THREAD, 702, SAM, "/resolve", UpdateJson.now()));
    Instant closes = resolvedAt(f).plus(AUTO_CLOSE);
    stopUntilAfter(closes, GROUP_YAML);

    assertResolvedAfterTheRestore(f);
    // Telegram's redelivery of what it held: written two seconds before the auto-close
    long written = closes.minusSeconds(2).getEpochSecond();
    assertThat(f.postUpdate(UpdateJson.text(7003, CHAT, THREAD, 703, BOB, "It still has not come", written))
        .statusCode()).isEqualTo(200);
    JsonNode t = f.awaitTicket(ID, x -> x.path("reopenCount").asInt() == 1);
    assertThat(t.path("status").asText()).isNotIn("RESOLVED", "CLOSED");
    assertThat(t.path("followUpOf").isNull()).as("the same run, no follow-up").isTrue();
    assertThat(t.path("audit").findValuesAsText("event")).contains("REOPENED").doesNotContain("CLOSED");
    assertThat(t.path("audit").findValuesAsText("reason")).noneMatch(r -> r.contains("after the ticket closed"));
    assertThat(t.path("audit").findValuesAsText("reason")).contains("customer wrote after resolution (reopen #1)");
    Thread.sleep(HOLD.toMillis() + 1_500); // the held auto-close would have fired by now
    assertThat(f.awaitTicket(ID, x -> true).path("status").asText()).as("reopened: no auto-close any more")
        .isNotIn("RESOLVED", "CLOSED");
    // (the fake Telegram of this start has seen only what came after the restart)
    assertThat(acknowledgements(f, "Thanks, we got your request")).as("no new ticket's acknowledgement").isEmpty();
  }

  @Test
  void aPrivateMessageWrittenBeforeTheAutoCloseReopensTheTicketInItsTopicWhenTelegramSendsItAfterTheRestart()
      throws Exception {
    f = new AppFixture(dir, RELAY_YAML, Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.privateText(200, 21, BOB, "My parcel is lost", now));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("My parcel is lost"));
    Awaitility.await("the acknowledgement").atMost(Duration.ofSeconds(15))
        .until(() -> acknowledgements(f, "Thanks, we got your message").size() == 1);
    f.postUpdate(UpdateJson.text(201, CHAT, thread, 600, ALICE, "/resolve", UpdateJson.now()));
    Instant closes = Instant.parse(f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"))
        .path("resolvedAt").asText()).plus(AUTO_CLOSE);
    stopUntilAfter(closes, RELAY_YAML);

    JsonNode restored = f.awaitTicket(id, x -> true);
    Thread.sleep(1_500); // the restore's auto-close would be projected by now
    assertThat(f.awaitTicket(id, x -> true).path("status").asText()).as("held after the restore, %s", restored)
        .isEqualTo("RESOLVED");
    long written = closes.minusSeconds(2).getEpochSecond();
    assertThat(f.postUpdate(UpdateJson.privateText(202, 22, BOB, "It is still not here", written)).statusCode())
        .isEqualTo(200);
    JsonNode t = f.awaitTicket(id, x -> x.path("reopenCount").asInt() == 1);
    assertThat(t.path("status").asText()).isNotIn("RESOLVED", "CLOSED");
    Awaitility.await("the agents read it in the ticket's topic").atMost(Duration.ofSeconds(15))
        .until(() -> f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: It is still not here"));
    Inbox inbox = new Inbox(f.app().database());
    Awaitility.await("the inbox delivered").atMost(Duration.ofSeconds(15)).until(() -> inbox.backlog() == 0);
    Thread.sleep(1_500); // a second topic would be asked for by now
    // (the fake Telegram of this start has seen only what came after the restart)
    assertThat(f.telegram.calls("createForumTopic")).as("no second topic").isEmpty();
    List<String> tickets = f.app().database().jdbi().withHandle(h -> h.createQuery("select id from tickets")
        .mapTo(String.class).list());
    assertThat(tickets).containsExactly(id);
    assertThat(t.path("audit").findValuesAsText("event")).contains("REOPENED").doesNotContain("CLOSED");
    assertThat(acknowledgements(f, "Thanks, we got your message")).as("not thanked a second time").isEmpty();
  }

  /** Nothing held by Telegram: the held auto-close fires once the hold is over, and says why it closed. */
  @Test
  void withoutAMessageTheHeldAutoCloseClosesTheTicketAfterTheHold() throws Exception {
    f = new AppFixture(dir, GROUP_YAML, Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(7000, CHAT, THREAD, BOB, "Refund P9601", now));
    f.postUpdate(UpdateJson.text(7001, CHAT, THREAD, 701, BOB, "Where is my refund?", now));
    f.awaitTicket(ID, x -> x.path("firstMessage").asText().equals("Where is my refund?"));
    f.postUpdate(UpdateJson.text(7002, CHAT, THREAD, 702, SAM, "/resolve", UpdateJson.now()));
    Instant closes = resolvedAt(f).plus(AUTO_CLOSE);
    Instant restarted = stopUntilAfter(closes, GROUP_YAML);

    assertResolvedAfterTheRestore(f);
    // held, the ticket counts as resolved in the day's report, as before (not open)
    JsonNode report = f.json("/api/reports/sla?date=" + LocalDate.now(ZoneOffset.UTC));
    assertThat(report.path("total").path("resolved").asInt()).as("%s", report).isEqualTo(1);
    assertThat(report.path("total").path("open").asInt()).as("%s", report).isZero();
    JsonNode closed = Awaitility.await("closed after the hold").atMost(HOLD.plusSeconds(15))
        .until(() -> f.awaitTicket(ID, x -> true), x -> x.path("status").asText().equals("CLOSED"));
    Instant closedAt = null;
    String why = null;
    for (JsonNode e : closed.path("audit")) {
      if (e.path("event").asText().equals("CLOSED")) {
        closedAt = Instant.parse(e.path("at").asText());
        why = e.path("reason").asText();
      }
    }
    assertThat(closedAt).as("not before the hold was over").isAfterOrEqualTo(restarted.plus(HOLD));
    // how long it was resolved in fact (audit 16b F5.5), longer than the policy's AUTO_CLOSE by the hold
    Duration resolvedFor = Duration.between(closes.minus(AUTO_CLOSE), closedAt);
    assertThat(resolvedFor).isGreaterThan(AUTO_CLOSE);
    assertThat(why).isEqualTo("resolved for " + dev.forumdesk.text.HumanTime.duration(resolvedFor)
        + " without a customer message");
    assertThat(closed.path("reopenCount").asInt()).isZero();
  }

  /** When the ticket was resolved, once the read model shows it. */
  private static Instant resolvedAt(AppFixture f) {
    return Instant.parse(f.awaitTicket(ID, x -> x.path("status").asText().equals("RESOLVED"))
        .path("resolvedAt").asText());
  }

  /**
   * Stops the app before {@code closes} and starts it again once it passed: the auto-close falls due
   * while it is down.
   *
   * @return a moment before the restore
   */
  private Instant stopUntilAfter(Instant closes, String yaml) throws Exception {
    assertThat(Instant.now()).as("the scenario: stopped before the auto-close").isBefore(closes);
    f.close();
    f = null;
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), closes).toMillis()) + 1_000); // due while down
    Instant restarted = Instant.now();
    f = new AppFixture(dir, yaml, Map.of());
    return restarted;
  }

  /** The restored ticket is still RESOLVED, the moment the restore would have closed it. */
  private static void assertResolvedAfterTheRestore(AppFixture f) throws Exception {
    Thread.sleep(1_500); // the restore's auto-close would be projected by now
    JsonNode t = f.awaitTicket(ID, x -> true);
    assertThat(t.path("status").asText()).as("held after the restore: %s", t.path("audit")).isEqualTo("RESOLVED");
  }

  /** The bot's texts that begin with {@code start}, anywhere. */
  private static List<String> acknowledgements(AppFixture f, String start) {
    return f.telegram.sent().stream().map(c -> c.params().path("text").asText()).filter(x -> x.startsWith(start))
        .toList();
  }
}
