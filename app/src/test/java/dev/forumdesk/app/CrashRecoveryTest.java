package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real `Forumdesk run` in the middle of a burst of 30 new topics, then a restart on
 * the same data dir: 30 tickets, none doubled, each acknowledged by the bot exactly once. The
 * poster behaves like Telegram: whatever did not get a 200 is sent again after the restart.
 */
class CrashRecoveryTest {
  static final int TOPICS = 30;
  static final Set<String> OUTBOX_METHODS = Set.of("sendMessage", "copyMessage", "editForumTopic", "createForumTopic");
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void killNineMidBurstLosesNothingAndDoublesNothing() throws Exception {
    Files.writeString(dir.resolve("forumdesk.yaml"), AppFixture.CONFIG);
    Path log = dir.resolve("child.log");
    try (FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN)) {
      // the child gets its own HTTP and Temporal ports from ChildProcess
      Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, telegram.url(), AppFixture.SECRET,
          "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("forumdesk.yaml"), dir.resolve("data"));

      long now = UpdateJson.now();
      List<String> burst = new ArrayList<>();
      for (int i = 0; i < TOPICS; i++) {
        long thread = 1000 + i;
        burst.add(UpdateJson.topicCreated(2L * i + 1, AppFixture.CHAT, thread, BOB, "Topic " + i, now));
        burst.add(UpdateJson.text(2L * i + 2, AppFixture.CHAT, thread, thread + 1, BOB, "help " + i, now));
      }
      Set<Integer> acked = ConcurrentHashMap.newKeySet();
      List<Long> ackMillis = new ArrayList<>();

      ChildProcess first = ChildProcess.start(env, log);
      first.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
      Thread poster = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < burst.size(); i++) {
          long t0 = System.nanoTime();
          if (post(first, burst.get(i)) == 200) {
            acked.add(i);
            synchronized (ackMillis) {
              ackMillis.add((System.nanoTime() - t0) / 1_000_000);
            }
          }
        }
      });
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> acked.size() >= 25);
      first.kill9();
      poster.join();
      int ackedBeforeKill = acked.size();
      assertThat(ackedBeforeKill).as("killed mid-burst").isLessThan(burst.size());

      Instant restart = Instant.now();
      ChildProcess second = ChildProcess.start(env, log);
      try {
        Duration up = second.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        for (int i = 0; i < burst.size(); i++) {
          if (!acked.contains(i) || i % 7 == 0) { // Telegram's retries, and some redeliveries of acked ones
            assertThat(post(second, burst.get(i))).isEqualTo(200);
          }
        }
        Awaitility.await("30 tickets").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> tickets(second).size() == TOPICS
                && tickets(second).stream().allMatch(t -> t.path("firstMessage").asText().startsWith("help")));
        Duration recovered = Duration.between(restart, Instant.now());
        List<JsonNode> tickets = tickets(second);
        assertThat(tickets.stream().map(t -> t.path("id").asText()).distinct()).hasSize(TOPICS);
        // SLA clocks carry on from the topic's creation, not from the restart (first-response PT30M)
        assertThat(tickets).allSatisfy(t -> assertThat(Instant.parse(t.path("sla").path("firstResponseDue").asText()))
            .isEqualTo(Instant.parse(t.path("createdAt").asText()).plus(Duration.ofMinutes(30))));

        // 30 acks into one group: at least a minute (20 per minute), so the bound is generous
        Awaitility.await("acks").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
            .until(() -> acksByThread(telegram).size() + unknownAcks(second) >= TOPICS);
        Thread.sleep(3000); // a duplicate would be on its way by now
        Map<Long, Long> acks = acksByThread(telegram);
        assertThat(acks.values()).as("no ack twice").allMatch(n -> n == 1);
        // an ack whose call was under way at the instant of the kill is UNKNOWN, not repeated
        assertThat((long) acks.size()).isGreaterThanOrEqualTo(TOPICS - unknownAcks(second));
        assertThat(unknownAcks(second)).isLessThanOrEqualTo(1);
        assertThat(Files.readString(log)).doesNotContain(AppFixture.TOKEN).doesNotContain(AppFixture.SECRET);
        System.out.printf("crash recovery: %d of %d updates acked before kill -9; restart to HTTP up %d ms,"
                + " to all %d tickets visible %d ms; ack latency median %d ms max %d ms%n",
            ackedBeforeKill, burst.size(), up.toMillis(), TOPICS, recovered.toMillis(),
            ackMillis.stream().sorted().toList().get(ackMillis.size() / 2), ackMillis.stream().max(Long::compare).orElse(0L));
      } finally {
        second.close();
      }
    }
  }

  /**
   * The black-box audit's run: every update of a burst of 30 topics stored (200), then three
   * times, while the outbox drains the acknowledgements at the group's 20 a minute: a few seconds,
   * kill -9, restart on the same data dir. Every topic is acknowledged exactly once, and no outbox
   * key is sent twice: a message Telegram got before a kill is not sent again after the restart.
   */
  @Test
  void killNineThreeTimesWhileTheOutboxDrainsSendsNothingTwice() throws Exception {
    Files.writeString(dir.resolve("forumdesk.yaml"), AppFixture.CONFIG);
    Path log = dir.resolve("child.log");
    Instant start = Instant.now();
    try (FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN)) {
      Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, telegram.url(), AppFixture.SECRET,
          "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("forumdesk.yaml"), dir.resolve("data"));
      long now = UpdateJson.now();
      ChildProcess child = ChildProcess.start(env, log);
      try {
        child.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        for (int i = 0; i < TOPICS; i++) {
          long thread = 2000 + i;
          assertThat(post(child, UpdateJson.topicCreated(2L * i + 1, AppFixture.CHAT, thread, BOB, "Topic " + i, now)))
              .isEqualTo(200);
          assertThat(post(child, UpdateJson.text(2L * i + 2, AppFixture.CHAT, thread, thread + 1, BOB, "help " + i, now)))
              .isEqualTo(200);
        }
        java.util.Random random = new java.util.Random(7);
        for (int kill = 0; kill < 3; kill++) {
          Thread.sleep(4000 + random.nextInt(2000));
          child.kill9();
          child = ChildProcess.start(env, log);
          child.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        }
        ChildProcess last = child;
        Awaitility.await("acks").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
            .until(() -> acksByThread(telegram).size() + unknownAcks(last) >= TOPICS);
        Thread.sleep(3000); // a duplicate would be on its way by now
        // what reached the chat: a call refused with 429 posted nothing and is rightly tried again
        Map<String, Long> twice = telegram.calls().stream()
            .filter(c -> c.status() == 200 && OUTBOX_METHODS.contains(c.method()))
            .collect(Collectors.groupingBy(c -> c.method() + " " + c.params().path("message_thread_id").asLong() + " "
                + c.params().path("text").asText(c.params().path("name").asText()), Collectors.counting()))
            .entrySet().stream().filter(e -> e.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("calls Telegram got twice").isEmpty();
        Map<Long, Long> acks = acksByThread(telegram);
        assertThat(acks.values()).as("no ack twice").allMatch(n -> n == 1);
        assertThat((long) acks.size()).isGreaterThanOrEqualTo(TOPICS - unknownAcks(last));
        // one call per acknowledgement: a restarted sender that forgot the group's last minute sent
        // into its 20 a minute, met a 429 and called again 30 s later (the audit's "32 acks for 30")
        Map<Long, Long> ackCalls = telegram.calls("sendMessage").stream()
            .filter(c -> c.params().path("text").asText().contains("we got your request"))
            .collect(Collectors.groupingBy(c -> c.params().path("message_thread_id").asLong(), Collectors.counting()));
        assertThat(ackCalls.values()).as("calls per acknowledgement, a 429 included").allMatch(n -> n == 1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMinutes(2));
        System.out.printf("three kills while draining: %d acks, %d unknown, %d s%n", acks.size(), unknownAcks(last),
            Duration.between(start, Instant.now()).toSeconds());
      } finally {
        child.close();
        if (System.getProperty("forumdesk.keep") != null) {
          Path keep = Path.of(System.getProperty("forumdesk.keep"));
          Files.createDirectories(keep);
          try (var files = Files.walk(dir)) {
            for (Path f : files.toList()) {
              Path to = keep.resolve(dir.relativize(f).toString());
              if (Files.isDirectory(f)) {
                Files.createDirectories(to);
              } else {
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              }
            }
          }
          Files.writeString(keep.resolve("calls.txt"), telegram.calls().stream()
              .map(c -> c.at() + " " + c.status() + " " + c.method() + " " + c.params()).collect(Collectors.joining("\n")));
        }
      }
    }
  }

  /**
   * Audit 11, F3: kill -9 while Telegram holds the acknowledgement's sendMessage unanswered (it got
   * the call; the bot never learns what became of it). After the restart the row is UNKNOWN and
   * the customer has the one acknowledgement: it is not sent again.
   */
  @Test
  void killNineDuringTheAcknowledgementsCallMakesItUnknownNotTwice() throws Exception {
    killNineDuringAnAcknowledgementsCall(1, 0);
  }

  /** The same in the audit's burst: the held acknowledgement is one of 15 draining at the group's 20 a minute. */
  @Test
  void killNineDuringAnAcknowledgementsCallInABurstMakesItUnknownNotTwice() throws Exception {
    killNineDuringAnAcknowledgementsCall(15, 4);
  }

  private void killNineDuringAnAcknowledgementsCall(int topics, int heldTopic) throws Exception {
    Files.writeString(dir.resolve("forumdesk.yaml"), AppFixture.CONFIG);
    Path log = dir.resolve("child.log");
    long heldThread = 3000 + heldTopic;
    try (FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN)) {
      Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, telegram.url(), AppFixture.SECRET,
          "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("forumdesk.yaml"), dir.resolve("data"));
      var held = telegram.hold("sendMessage", p -> p.path("message_thread_id").asLong() == heldThread
          && p.path("text").asText().contains("we got your request"));
      long now = UpdateJson.now();
      ChildProcess first = ChildProcess.start(env, log);
      ChildProcess second = null;
      try {
        first.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        for (int i = 0; i < topics; i++) {
          long thread = 3000 + i;
          assertThat(post(first, UpdateJson.topicCreated(2L * i + 1, AppFixture.CHAT, thread, BOB, "Held " + i, now)))
              .isEqualTo(200);
          assertThat(post(first, UpdateJson.text(2L * i + 2, AppFixture.CHAT, thread, thread + 1, BOB, "help " + i, now)))
              .isEqualTo(200);
        }
        held.get(90, java.util.concurrent.TimeUnit.SECONDS);
        first.kill9();

        second = ChildProcess.start(env, log);
        second.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        ChildProcess restarted = second;
        Awaitility.await("the acknowledgement settled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> unknownAcks(restarted) > 0 || acksByThread(telegram).containsKey(heldThread));
        Thread.sleep(3000); // a second copy would be on its way by now
        List<FakeTelegram.Call> ackCalls = telegram.calls("sendMessage").stream()
            .filter(c -> c.params().path("message_thread_id").asLong() == heldThread
                && c.params().path("text").asText().contains("we got your request"))
            .toList();
        assertThat(ackCalls).as("calls of the acknowledgement").hasSize(1);
        assertThat(unknownAcks(second)).as("the held call is UNKNOWN").isEqualTo(1);
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /**
   * Audit 12, F4: kill -9 while Telegram holds an escalation's createForumTopic unanswered (it may
   * have opened the topic; the bot never learns its thread id). The restored ticket opens its Level 2
   * topic again, since one is needed, and its summary there tells the staff that an earlier, empty
   * topic of the same name may exist and that this one is the ticket's.
   */
  @Test
  void killNineDuringALevel2TopicsCallOpensItAgainAndTheSummarySaysAnEarlierOneMayExist() throws Exception {
    Files.writeString(dir.resolve("forumdesk.yaml"), AppFixture.CONFIG);
    Path log = dir.resolve("child.log");
    long thread = 3100;
    try (FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN)) {
      Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(AppFixture.TOKEN, telegram.url(), AppFixture.SECRET,
          "forumdesk.example.test", AppFixture.API_TOKEN, dir.resolve("forumdesk.yaml"), dir.resolve("data"));
      var held = telegram.hold("createForumTopic", p -> true);
      long now = UpdateJson.now();
      ChildProcess first = ChildProcess.start(env, log);
      ChildProcess second = null;
      try {
        first.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        assertThat(post(first, UpdateJson.topicCreated(1, AppFixture.CHAT, thread, BOB, "Topic kill", now))).isEqualTo(200);
        assertThat(post(first, UpdateJson.text(2, AppFixture.CHAT, thread, thread + 1, BOB, "help", now))).isEqualTo(200);
        ChildProcess running = first;
        Awaitility.await("the ticket").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> !tickets(running).isEmpty());
        UpdateJson.Sender alice = new UpdateJson.Sender(1001, "Alice", "alice", "en");
        assertThat(post(first, UpdateJson.text(3, AppFixture.CHAT, thread, thread + 2, alice, "/escalate bank", now)))
            .isEqualTo(200);
        held.get(90, java.util.concurrent.TimeUnit.SECONDS);
        first.kill9();

        second = ChildProcess.start(env, log);
        second.awaitUp(Duration.ofSeconds(90), AppFixture.API_TOKEN);
        Awaitility.await("the Level 2 summary").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
            .until(() -> !summaries(telegram).isEmpty());
        assertThat(telegram.calls("createForumTopic")).as("asked before the kill, and again after it")
            .extracting(c -> c.params().path("name").asText(), FakeTelegram.Call::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("L2: Topic kill", 0),
                org.assertj.core.groups.Tuple.tuple("L2: Topic kill", 200));
        assertThat(summaries(telegram)).singleElement().satisfies(t -> assertThat(t).endsWith("\n\nℹ️ A restart"
            + " interrupted the call that opened this topic before: an earlier topic “L2: Topic kill” may exist in"
            + " this forum, empty. This one is the ticket's."));
        // lifecycle rules 8: the ticket's audit says it too, not only "opened topic N"
        ChildProcess restored = second;
        String id = "ticket-" + AppFixture.CHAT + "-" + thread;
        Awaitility.await("the LEVEL2_TOPIC entry").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> level2TopicEntry(restored, id) != null);
        assertThat(level2TopicEntry(restored, id)).matches("opened topic \\d+ in the Level 2 group \\(a restart"
            + " interrupted an earlier try: an empty topic may exist in the Level 2 forum\\)");
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  private static List<String> summaries(FakeTelegram telegram) {
    return telegram.sent().stream().map(c -> c.params().path("text").asText())
        .filter(t -> t.startsWith("Level 2 escalation of")).toList();
  }

  private int post(ChildProcess p, String body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(p.base() + "/telegram/webhook"))
              .header("X-Telegram-Bot-Api-Secret-Token", AppFixture.SECRET)
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1; // connection refused or reset: the process is gone, Telegram would retry
    }
  }

  /** The reason of the ticket's LEVEL2_TOPIC audit entry, or null while it has none. */
  private String level2TopicEntry(ChildProcess p, String id) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.base() + "/api/tickets/" + id))
        .header("Authorization", "Bearer " + AppFixture.API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode a : Json.mapper().readTree(r.body()).path("audit")) {
      if (a.path("event").asText().equals("LEVEL2_TOPIC")) {
        return a.path("reason").asText();
      }
    }
    return null;
  }

  private List<JsonNode> tickets(ChildProcess p) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.base() + "/api/tickets?limit=100"))
        .header("Authorization", "Bearer " + AppFixture.API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    List<JsonNode> out = new ArrayList<>();
    Json.mapper().readTree(r.body()).forEach(out::add);
    return out;
  }

  private long unknownAcks(ChildProcess p) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.base() + "/observe/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body()).path("checks").path("outbox").path("unknown").asLong();
  }

  private static Map<Long, Long> acksByThread(FakeTelegram telegram) {
    return telegram.sent().stream().filter(c -> c.params().path("text").asText().contains("we got your request"))
        .collect(Collectors.groupingBy(c -> c.params().path("message_thread_id").asLong(), Collectors.counting()));
  }
}
