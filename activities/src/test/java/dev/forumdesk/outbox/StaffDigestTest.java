package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst's per-ticket staff notices, as the workflow writes them, reach the supervisor's DM and
 * the staff forum as a handful of digests naming each ticket once; a lone notice goes at once as
 * written, and other messages to the same chat are not held behind the digest.
 */
class StaffDigestTest {
  static final long SAM = 900001;
  static final long STAFF_FORUM = -1009876543210L;
  static final int BURST = 12;

  @TempDir Path dir;

  static String link(int ticket) {
    return "<a href=\"https://t.me/c/1234567890/" + ticket + "\">Question " + ticket + "</a>";
  }

  static String warning(int ticket) {
    return "⏰ " + link(ticket) + ": first response due 09:4" + (ticket % 10) + " (80% of the time used).";
  }

  static String breach(int ticket) {
    return link(ticket) + "\n⚠️ No agent has answered within 1 min. @sam, please take a look.";
  }

  /** The reminders and breaches the workflow sends the assignee (Notices, Escalations.notifyAssignee). */
  static String stale(int ticket) {
    return "💤 " + link(ticket) + " has had no message for 1 h. Please follow up with the customer or /resolve it.";
  }

  static String customerWaiting(int ticket) {
    return "💤 " + link(ticket) + " has had no message for 1 h: the customer has been waiting for a reply since 4 Dec 09:4"
        + (ticket % 10) + " UTC.";
  }

  static String resolutionBreach(int ticket) {
    return "⏰ " + link(ticket) + " is not resolved within 8 h, the resolution time.";
  }

  static String nextResponseBreach(int ticket) {
    return "⏰ " + link(ticket) + ": the customer has waited 30 min for a reply.";
  }

  /** The sender, with Sam as the desk's supervisor and the staff forum for alerts. */
  private static OutboxSender startedSender(Outbox outbox, FakeTelegram telegram) {
    return new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)),
        RateLimits.telegram(), new SimpleMeterRegistry(),
        new SupervisorNotices(outbox, STAFF_FORUM, List.of(new Person(SAM, "Sam", "sam")))).start();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBurstOfWarningsAndBreachesGivesOneDigestPerKindAndALoneNoticeStaysAsItWas() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      try (OutboxSender sender = startedSender(outbox, telegram)) {
        outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, new OutboundMessage("t200:warn:dm", SAM, null, warning(200), OutboundMessage.URGENT), "t200", null);
        outbox.enqueue(MessageKind.FIRST_RESPONSE_BREACH, new OutboundMessage("t200:breach:staff", STAFF_FORUM, null, breach(200), OutboundMessage.URGENT),
            "t200", null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.sent().size() == 2);
        assertThat(telegram.textsTo(SAM, null)).as("a lone notice, exactly as written").containsExactly(warning(200));
        assertThat(telegram.textsTo(STAFF_FORUM, null)).containsExactly(breach(200));

        sleep(Digests.TOGETHER.plusMillis(500)); // a burst after the lone one, not due with it
        Instant burst = Instant.now();
        for (int t = 201; t <= 200 + BURST; t++) {
          outbox.enqueue(MessageKind.FIRST_RESPONSE_BREACH, new OutboundMessage("t" + t + ":breach:staff", STAFF_FORUM, null, breach(t),
              OutboundMessage.URGENT), "t" + t, null);
        }
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage("t300:reply:e1", STAFF_FORUM, null, "⏸ On hold: waiting for bank.",
            OutboundMessage.NORMAL), "t300", null);
        Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> telegram.textsTo(STAFF_FORUM, null).contains("⏸ On hold: waiting for bank."));
        assertThat(Duration.between(burst, Instant.now())).as("not held behind the digest").isLessThan(Duration.ofSeconds(5));
        // the warnings come as the tickets' timers fire: one every 2 s, as the audit's 30 in a minute
        for (int t = 201; t <= 200 + BURST; t++) {
          outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, new OutboundMessage("t" + t + ":warn:dm", SAM, null, warning(t), OutboundMessage.URGENT),
              "t" + t, null);
          sleep(Duration.ofSeconds(2));
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.backlog() == 0);
        List<String> toSam = telegram.textsTo(SAM, null);
        List<String> toForum = telegram.textsTo(STAFF_FORUM, null);
        System.out.printf("staff digests: %d notices to Sam in %d messages, %d to the staff forum in %d (and the hold)%n",
            BURST + 1, toSam.size(), BURST + 1, toForum.size() - 1);
        assertThat(toSam).as("one digest per 10 s of a 24 s burst, after the lone first").hasSizeBetween(3, 5);
        assertThat(toSam.get(1)).startsWith("⏰ First response due soon (80% of the time used):\n")
            .contains(" tickets:\n• " + link(201) + ": due 09:41\n• " + link(202) + ": due 09:42");
        assertThat(toForum).hasSize(3);
        assertThat(toForum.getLast()).startsWith("⚠️ No agent has answered within 1 min. @sam, please take a look.\n"
            + BURST + " tickets:\n• " + link(201) + "\n• " + link(202) + "\n");
        for (int t = 200; t <= 200 + BURST; t++) {
          String named = link(t);
          assertThat(toSam.stream().mapToLong(s -> s.split(java.util.regex.Pattern.quote(named), -1).length - 1).sum())
              .as("ticket %d named once to Sam", t).isEqualTo(1);
          assertThat(toForum.stream().mapToLong(s -> s.split(java.util.regex.Pattern.quote(named), -1).length - 1).sum())
              .as("ticket %d named once in the staff forum", t).isEqualTo(1);
          assertThat(outbox.status("t" + t + ":warn:dm")).contains("SENT");
          assertThat(outbox.status("t" + t + ":breach:staff")).contains("SENT");
        }
        assertThat(telegram.count429()).isZero();
      }
    }
  }

  /**
   * Two tickets' activities queue their warnings to Sam and Sue at the same moment, interleaved (the
   * outbox's ids: 501 to Sam, 502 to Sam, 502 to Sue, 501 to Sue): both digests list the tickets in
   * the same order (audit 10, F8: Sam read "• Thanks • Wrong order", Sue "• Wrong order • Thanks").
   */
  @Test
  void everyReadersDigestListsTheTicketsInTheSameOrder() {
    long sue = 900002;
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      try (OutboxSender sender = startedSender(outbox, telegram)) {
        for (long to : new long[] {SAM, sue}) {
          outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, new OutboundMessage("t500:warn:dm:" + to, to, null, warning(500), OutboundMessage.URGENT),
              "t500", null);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.sent().size() == 2);
        sleep(Digests.TOGETHER.plusMillis(500)); // not due with the lone ones: held for the interval's end
        int[][] interleaved = {{501, (int) SAM}, {502, (int) SAM}, {502, (int) sue}, {501, (int) sue}, {503, (int) sue},
            {503, (int) SAM}};
        for (int[] n : interleaved) {
          outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, new OutboundMessage("t" + n[0] + ":warn:dm:" + n[1], n[1], null, warning(n[0]),
              OutboundMessage.URGENT), "t" + n[0], null);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.backlog() == 0);

        String digest = "⏰ First response due soon (80% of the time used):\n3 tickets:\n• " + link(501)
            + ": due 09:41\n• " + link(502) + ": due 09:42\n• " + link(503) + ": due 09:43";
        assertThat(telegram.textsTo(SAM, null)).containsExactly(warning(500), digest);
        assertThat(telegram.textsTo(sue, null)).containsExactly(warning(500), digest);
      }
    }
  }

  @Test
  void staleRemindersAndResolutionAndNextResponseBreachesThatPileUpInADmGoAsOneDigestEach() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      try (OutboxSender sender = startedSender(outbox, telegram)) {
        List<java.util.function.IntFunction<String>> kinds = List.of(StaffDigestTest::stale,
            StaffDigestTest::customerWaiting, StaffDigestTest::resolutionBreach, StaffDigestTest::nextResponseBreach);
        List<MessageKind> kindOf = List.of(MessageKind.STALE_REMINDER, MessageKind.STALE_REMINDER,
            MessageKind.RESOLUTION_BREACH, MessageKind.NEXT_RESPONSE_BREACH);
        for (int k = 0; k < kinds.size(); k++) {
          outbox.enqueue(kindOf.get(k), new OutboundMessage("t400:" + k, SAM, null, kinds.get(k).apply(400), OutboundMessage.URGENT),
              "t400", null);
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> telegram.sent().size() == kinds.size());
        assertThat(telegram.textsTo(SAM, null)).as("a lone notice of each kind, exactly as written")
            .containsExactlyInAnyOrderElementsOf(kinds.stream().map(k -> k.apply(400)).toList());

        for (int t = 401; t <= 405; t++) {
          for (int k = 0; k < kinds.size(); k++) {
            outbox.enqueue(kindOf.get(k), new OutboundMessage("t" + t + ":" + k, SAM, null, kinds.get(k).apply(t),
                OutboundMessage.URGENT), "t" + t, null);
          }
        }
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> outbox.backlog() == 0);

        List<String> digests = telegram.textsTo(SAM, null).subList(kinds.size(), telegram.textsTo(SAM, null).size());
        String tickets = "\n5 tickets:\n• " + link(401) + "%s\n• " + link(402) + "%s\n• " + link(403) + "%s\n• "
            + link(404) + "%s\n• " + link(405) + "%s";
        assertThat(digests).as("20 notices as 4 messages, each naming its 5 tickets once").containsExactlyInAnyOrder(
            "💤 No message for 1 h. Please follow up with the customer or /resolve it."
                + tickets.formatted("", "", "", "", ""),
            "💤 No message for 1 h; the customer has been waiting for a reply:"
                + tickets.formatted(": since 4 Dec 09:41 UTC", ": since 4 Dec 09:42 UTC", ": since 4 Dec 09:43 UTC",
                    ": since 4 Dec 09:44 UTC", ": since 4 Dec 09:45 UTC"),
            "⏰ Not resolved within 8 h, the resolution time:" + tickets.formatted("", "", "", "", ""),
            "⏰ The customer has waited 30 min for a reply:" + tickets.formatted("", "", "", "", ""));
        for (int t = 401; t <= 405; t++) {
          for (int k = 0; k < kinds.size(); k++) {
            assertThat(outbox.status("t" + t + ":" + k)).contains("SENT");
          }
        }
        assertThat(telegram.count429()).isZero();
      }
    }
  }

  /** A breach's row as the sender reads it, due (enqueued) at {@code due}. */
  private static OutboxRow breachRow(long id, int ticket, Instant due) {
    String payload = Json.mapper().createObjectNode().put("chat_id", STAFF_FORUM).put("text", breach(ticket))
        .put("parse_mode", "HTML").toString();
    return new OutboxRow(id, "t" + ticket + ":breach:staff", STAFF_FORUM, null, "sendMessage", payload,
        OutboundMessage.URGENT, 0, due, MessageKind.FIRST_RESPONSE_BREACH);
  }

  /**
   * Audit 15, F4: three breaches fired at .031, .034 and .045; the first post named two, and the
   * third, queued 11 ms too late for it, went alone 10.06 s later. A notice that fell due within
   * {@link Digests#TOGETHER} (1 s) of the post's goes at once as a post of its own (the forum's 1
   * message a second permitting), and leaves the interval as it was; a stream's next notices still
   * wait for its end, and after a digest of held notices nothing goes "together" with it.
   */
  @Test
  void aNoticeDueWithTheOnesJustPostedGoesAtOnceAndAStreamStillWaitsForTheInterval() {
    Digests digests = new Digests();
    Instant t = Instant.parse("2026-12-05T08:07:10.031Z");
    OutboxRow b2001 = breachRow(1, 2001, t);
    OutboxRow b2002 = breachRow(2, 2002, t.plusMillis(3));
    OutboxRow b2000 = breachRow(3, 2000, t.plusMillis(14));
    Digests.Kind kind = Digests.kindOf(b2001).orElseThrow();
    Instant posted = t.plusMillis(70);
    assertThat(digests.heldUntil(kind, b2001, posted)).as("the first of its kind goes at once").isEmpty();
    digests.sent(kind, List.of(b2001, b2002), posted);
    Instant end = posted.plus(Digests.INTERVAL);

    Instant roomInTheForum = posted.plusMillis(1_100);
    assertThat(digests.heldUntil(kind, b2000, roomInTheForum)).as("due 11 ms after the posted ones").isEmpty();
    digests.sent(kind, List.of(b2000), roomInTheForum);
    OutboxRow b2003 = breachRow(4, 2003, t.plusMillis(1_100));
    assertThat(digests.heldUntil(kind, b2003, t.plusMillis(1_100)))
        .as("1.07 s after the posted ones: a stream, held to the end of the first post's interval").contains(end);
    assertThat(digests.heldUntil(kind, breachRow(5, 2004, t.plusMillis(5_000)), t.plusMillis(5_000))).contains(end);

    // the held ones go as one digest at the interval's end (deferred to it): it opens the next one
    OutboxRow released = breachRow(4, 2003, end);
    assertThat(digests.heldUntil(kind, released, end)).isEmpty();
    digests.sent(kind, List.of(released, breachRow(5, 2004, end)), end);
    assertThat(digests.heldUntil(kind, breachRow(6, 2005, end.plusMillis(20)), end.plusMillis(1_100)))
        .as("after a digest of held notices, the stream's next waits").contains(end.plus(Digests.INTERVAL));

    // that interval passes; a quiet minute later a new post takes the ones due with it again
    digests.sent(kind, List.of(breachRow(6, 2005, end.plus(Digests.INTERVAL))), end.plus(Digests.INTERVAL));
    Instant quiet = end.plusSeconds(80);
    OutboxRow b2006 = breachRow(7, 2006, quiet);
    assertThat(digests.heldUntil(kind, b2006, quiet)).isEmpty();
    digests.sent(kind, List.of(b2006), quiet);
    assertThat(digests.heldUntil(kind, breachRow(8, 2007, quiet.plusMillis(5)), quiet.plusMillis(1_100))).isEmpty();
  }

  /**
   * The same through the sender and the fake Bot API: a breach that fell due 11 ms after the one
   * just posted (its row written then, as a pass's read missed it) goes about a second after it,
   * as its own post, not 10 s later in a digest.
   */
  @Test
  void aBreachDueJustAfterThePostedOneIsNotHeldForTheInterval() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      try (OutboxSender sender = startedSender(outbox, telegram)) {
        outbox.enqueue(MessageKind.FIRST_RESPONSE_BREACH, new OutboundMessage("t2001:breach:staff", STAFF_FORUM, null,
            breach(2001), OutboundMessage.URGENT), "t2001", null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.sent().size() == 1);
        Instant due = db.jdbi().withHandle(h -> h.createQuery(
            "select next_attempt_at from outbox where idem_key = 't2001:breach:staff'")
            .mapTo(java.time.OffsetDateTime.class).one()).toInstant();
        // written as the other ticket's activity would have, 11 ms after the first fell due
        db.jdbi().useHandle(h -> h.createUpdate("insert into outbox (idem_key, chat_id, thread_id, method, payload,"
                + " priority, status, next_attempt_at, created_at, turn_priority, turn_id, ticket_id, kind) values"
                + " ('t2000:breach:staff', :chat, null, 'sendMessage', :payload, 0, 'PENDING', :due, :due, 0, 0,"
                + " 't2000', 'FIRST_RESPONSE_BREACH')")
            .bind("chat", STAFF_FORUM)
            .bind("payload", Json.mapper().createObjectNode().put("chat_id", STAFF_FORUM).put("text", breach(2000))
                .put("parse_mode", "HTML").toString())
            .bind("due", due.plusMillis(11))
            .execute());
        Instant written = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> telegram.sent().size() == 2);
        Duration after = Duration.between(written, telegram.sent().getLast().at());
        System.out.printf("staff digests: a breach due 11 ms after the posted one went %d ms after its row%n",
            after.toMillis());
        assertThat(after).as("not held for the interval's 10 s").isLessThan(Duration.ofSeconds(4));
        assertThat(telegram.textsTo(STAFF_FORUM, null)).containsExactly(breach(2001), breach(2000));
        assertThat(telegram.count429()).isZero();
      }
    }
  }

  /** A DM to Sam about ticket {@code t}, as a command's answer ("🔎 #103 Why this routing"). */
  private static void answer(Outbox outbox, int t, String event, String text) {
    outbox.enqueue(MessageKind.OTHER, new OutboundMessage("t" + t + ":reply:" + event + ":dm", SAM, null, text,
        OutboundMessage.NORMAL), "t" + t, null);
  }

  private static void warn(Outbox outbox, int t) {
    outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, new OutboundMessage("t" + t + ":warn:dm", SAM, null, warning(t),
        OutboundMessage.URGENT), "t" + t, null);
  }

  /**
   * Audit 16b, F4: Sam asked /why and /status in #103 while his DMs were slow; the 80 % warnings of
   * #101 and #103 fell due before those answers went. The warning of #101, first in turn, took
   * #103's into its digest, and Sam read the warning about #103 before the answers about it he had
   * asked for 18 s earlier. A digest now leaves out a notice whose ticket has an older message
   * waiting in the chat: read as the sender reads the queue.
   */
  @Test
  void aDigestLeavesOutANoticeWhoseTicketHasAnOlderMessageWaiting() {
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      answer(outbox, 103, "e5", "🔎 #103 Why this routing");
      answer(outbox, 103, "e6", "📋 #103 status card");
      warn(outbox, 101);
      warn(outbox, 102);
      warn(outbox, 103);
      List<OutboxRow> queue = outbox.queue(50);
      assertThat(queue).extracting(OutboxRow::key).as("the turns: each warning after its ticket's older messages")
          .containsExactly("t101:warn:dm", "t102:warn:dm", "t103:reply:e5:dm", "t103:reply:e6:dm", "t103:warn:dm");
      OutboxRow head = queue.getFirst();
      List<OutboxRow> digest = Digests.batch(head, Digests.kindOf(head).orElseThrow(), queue, new java.util.HashSet<>(),
          Instant.now().plusSeconds(1));
      assertThat(digest).extracting(OutboxRow::key).as("#102's warning folded, #103's left after its answers")
          .containsExactly("t101:warn:dm", "t102:warn:dm");
    }
  }

  /** The same, as Sam reads it: the answers about #103 before the warning about it. */
  @Test
  void aTicketsWarningReachesTheDmAfterTheAnswersAboutItQueuedBefore() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      answer(outbox, 103, "e5", "🔎 #103 Why this routing");
      answer(outbox, 103, "e6", "📋 #103 status card");
      warn(outbox, 101);
      warn(outbox, 103);
      try (OutboxSender sender = startedSender(outbox, telegram)) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.backlog() == 0);
      }
      assertThat(telegram.textsTo(SAM, null)).containsExactly(warning(101), "🔎 #103 Why this routing",
          "📋 #103 status card", warning(103));
      assertThat(telegram.count429()).isZero();
    }
  }
}
