package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst's DMs to a supervisor who never started the bot, through the real webhook, Temporal and
 * fake Telegram: the 80% first-response warnings reach their private chat as the first and one
 * digest, both refused, and each is replaced by its fallback in the staff forum. The digest's
 * fallback is one digest post there, under the supervisor's mention, not one post per ticket
 * (audit 9 F4).
 */
class RefusedDigestEndToEndTest {
  static final long STAFF_FORUM = -1009876543210L;
  static final String MENTION = "<a href=\"tg://user?id=900001\">Supervisor 900001</a> ";
  /**
   * 80% of it (64 s) lets every ticket of the burst start before its warning is due, and the rest,
   * the DM's digest 10 s after the first and its fallback, go before the due: a warning whose turn
   * comes after the due (or the breach) is not sent (LateWarnings).
   */
  static final String YAML = AppFixture.CONFIG + """
      sla:
        first-response: PT80S
        priorities: {HIGH: {first-response: PT80S}, URGENT: {first-response: PT80S}}
      routing:
        enabled: false   # unassigned tickets: the warnings go to the supervisors
      """;
  static final List<Integer> TOPICS = List.of(60, 61, 62, 63, 64, 65);

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();

  @Test
  void aRefusedDigestDmFallsBackAsOneDigestInTheStaffForum() throws Exception {
    f.telegram.neverStartedTheBot(900001);
    long update = 100;
    for (int topic : TOPICS) { // a customer each: no recurring-customer notices
      UpdateJson.Sender customer = new UpdateJson.Sender(5000 + topic, "Customer " + topic, null, "en");
      f.postUpdate(UpdateJson.topicCreated(update++, CHAT, topic, customer, "Burst " + topic,
          UpdateJson.now()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> TOPICS.stream().allMatch(topic ->
        warningsInTheStaffForum().stream().anyMatch(x -> x.contains(link(topic)))));
    Thread.sleep(2000); // nothing more comes

    List<String> warnings = warningsInTheStaffForum();
    // one post per ticket before; the first goes as written when it is alone when the sender looks
    // (two queued in the same instant on a loaded machine go as a digest of two, by design; the
    // timers of a burst started 64 s before often fire in one instant: then all go as one digest)
    assertThat(warnings).as("folded, not one post per ticket").hasSizeBetween(1, 3)
        .allSatisfy(w -> assertThat(w).startsWith(MENTION + "⏰ "));
    // the digest's fallback is one digest post; a straggler whose timer fired after the digest went
    // (a loaded machine) comes alone after it, so the digest need not be the last post
    assertThat(warnings).anySatisfy(w -> assertThat(w)
        .startsWith(MENTION + "⏰ First response due soon (80% of the time used):\n")
        .containsPattern("\n\\d tickets:\n• <a href="));
    for (int topic : TOPICS) {
      assertThat(String.join("\n", warnings).split(link(topic), -1)).as("topic %d named once", topic).hasSize(2);
      f.awaitTicket("ticket-" + CHAT + "-" + topic, x -> x.path("audit").toString().contains(
          "DM to Supervisor 900001 refused") && x.path("audit").toString().contains("posted in the staff forum instead"));
    }
  }

  /** The start of a ticket's link, as notices name it. */
  private static String link(int topic) {
    return "<a href=\"https://t.me/c/1234567890/" + topic + "\">";
  }

  /** The 80% warnings the bot posted in the staff forum's General topic. */
  private List<String> warningsInTheStaffForum() {
    return f.telegram.textsTo(STAFF_FORUM, null).stream().filter(x -> x.contains("(80% of the time used)")).toList();
  }
}
