package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.worker.EmbeddedTemporal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Redeliveries and a Temporal outage against the whole app: nothing lost, nothing doubled. */
class IngressResilienceTest extends AppOnADataDir {
  static final long CHAT = AppFixture.CHAT;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  Inbox inbox() {
    return new Inbox(f.app().database());
  }

  Optional<TicketState> ticket(long thread) {
    return new TicketStore(f.app().database()).find("ticket-" + CHAT + "-" + thread);
  }

  long acksFor(long thread) {
    return f.telegram.sentIn(thread).size();
  }

  @Test
  void theSameUpdateFiveTimesSequentiallyOrConcurrentlyHasOneEffect() throws Exception {
    f = new AppFixture(dir);
    long now = UpdateJson.now();
    String sequential = UpdateJson.topicCreated(1, CHAT, 42, BOB, "Refund", now);
    for (int i = 0; i < 5; i++) {
      assertThat(f.postUpdate(sequential).statusCode()).isEqualTo(200);
    }
    String concurrent = UpdateJson.topicCreated(2, CHAT, 43, BOB, "Login", now);
    try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
      List<Future<Integer>> codes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        codes.add(pool.submit(() -> f.postUpdate(concurrent).statusCode()));
      }
      for (Future<Integer> c : codes) {
        assertThat(c.get()).isEqualTo(200);
      }
    }
    f.awaitTicket("ticket--1001234567890-42", t -> true);
    f.awaitTicket("ticket--1001234567890-43", t -> true);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acksFor(42) + acksFor(43) == 2);
    long versionBefore = ticket(42).orElseThrow().version();

    // below the inbox: Temporal gets both updates again (as after an embedded restart) and the
    // workflows drop them by update id
    f.app().database().inboxJdbi().useHandle(h -> h.execute("update inbox set status = 'PENDING'"));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inbox().backlog() == 0);
    Thread.sleep(1500); // a second projection or ack would have arrived by now

    assertThat(ticket(42).orElseThrow().version()).isEqualTo(versionBefore);
    assertThat(ticket(42).orElseThrow().audit()).filteredOn(a -> a.event().equals("OPENED")).hasSize(1);
    assertThat(acksFor(42)).isEqualTo(1);
    assertThat(acksFor(43)).isEqualTo(1);
    long rows = f.app().database().inboxJdbi().withHandle(h -> h.createQuery("select count(*) from inbox").mapTo(Long.class).one());
    assertThat(rows).as("one inbox row per update id").isEqualTo(2);
  }

  @Test
  void duringATemporalOutageTheWebhookAcceptsUpToTheCapThenAllIsDeliveredInOrder() throws Exception {
    f = new AppFixture(dir, AppFixture.CONFIG + "ingress: {max-backlog: 10}\n", Map.of());
    EmbeddedTemporal temporal = f.app().embeddedTemporal().orElseThrow();
    long now = UpdateJson.now();
    long[] threads = {60, 61, 62};
    List<String> updates = new ArrayList<>();
    long updateId = 100;
    for (long t : threads) {
      updates.add(UpdateJson.topicCreated(updateId++, CHAT, t, BOB, "Topic " + t, now));
    }
    for (int m = 1; m <= 3; m++) {
      for (long t : threads) {
        updates.add(UpdateJson.text(updateId++, CHAT, t, t * 100 + m, BOB, "message " + m, now + m));
      }
    }

    temporal.suspend();
    List<Integer> codes = new ArrayList<>();
    for (String u : updates) {
      codes.add(f.postUpdate(u).statusCode());
    }
    assertThat(codes.subList(0, 10)).as("absorbed by the inbox").containsOnly(200);
    assertThat(codes.subList(10, 12)).as("over the backlog cap: Telegram keeps them").containsOnly(503);
    var health = Json.mapper().readTree(f.get("/observe/health").body());
    assertThat(health.path("checks").path("temporal").path("status").asText()).isEqualTo("DOWN");
    assertThat(health.path("checks").path("inbox").path("backlog").asLong()).isEqualTo(10);
    Thread.sleep(2000); // the outage lasts; the dispatcher keeps retrying with backoff

    // the team sees the new tickets meanwhile, as their workflows will first show them
    String id = "ticket-" + CHAT + "-60";
    var waiting = Json.mapper().readTree(f.get("/api/tickets/" + id).body());
    assertThat(waiting.path("status").asText()).isEqualTo("NEW");
    assertThat(waiting.path("title").asText()).isEqualTo("Topic 60");
    assertThat(waiting.path("customer").path("username").asText()).isEqualTo("bob");
    assertThat(waiting.path("queue").asText()).isEqualTo("general");
    assertThat(waiting.path("sla").path("firstResponseDue").isTextual()).isTrue();
    assertThat(waiting.path("waitingInInbox").asBoolean()).isTrue();
    assertThat(Json.mapper().readTree(f.get("/api/tickets/" + id + "/audit").body()).path(0).path("event").asText())
        .isEqualTo("OPENED");
    var listed = Json.mapper().readTree(f.get("/api/tickets?status=NEW").body());
    assertThat(listed.findValuesAsText("id")).contains(id, "ticket-" + CHAT + "-61", "ticket-" + CHAT + "-62");
    assertThat(Json.mapper().readTree(f.get("/api/tickets?status=RESOLVED").body()).size()).isZero();
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"hold\",\"actor\":1001}").statusCode())
        .as("no command before the workflow has the ticket").isEqualTo(409);
    assertThat(f.get("/api/tickets/ticket-" + CHAT + "-63").statusCode()).isEqualTo(404);
    String day = java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(now), java.time.ZoneOffset.UTC).toString();
    var report = Json.mapper().readTree(f.get("/api/reports/sla?date=" + day).body());
    assertThat(report.path("total").path("tickets").asInt()).as("the day's report counts them").isEqualTo(3);
    assertThat(report.path("total").path("open").asInt()).isEqualTo(3);
    assertThat(report.path("byQueue").path("general").path("tickets").asInt()).isEqualTo(3);

    temporal.resume();
    for (String u : updates.subList(10, 12)) {
      // Telegram retries a 503 until the backlog has drained below the cap
      Awaitility.await("Telegram's retry accepted").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> f.postUpdate(u).statusCode() == 200);
    }
    Awaitility.await("all delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> LongStream.of(threads).allMatch(t -> ticket(t).map(s -> s.seenEvents().size() == 4).orElse(false)));
    for (int i = 0; i < threads.length; i++) {
      long first = 100 + i;
      assertThat(ticket(threads[i]).orElseThrow().seenEvents()).as("in update order")
          .containsExactly("u" + first, "u" + (first + 3), "u" + (first + 6), "u" + (first + 9));
    }
    assertThat(inbox().backlog()).isZero();
    Awaitility.await("the workflow's own projection").atMost(Duration.ofSeconds(20))
        .until(() -> !Json.mapper().readTree(f.get("/api/tickets/" + id).body()).has("waitingInInbox"));
    assertThat(Json.mapper().readTree(f.get("/api/reports/sla?date=" + day).body()).path("total").path("tickets").asInt())
        .as("each ticket once, from the read model now").isEqualTo(3);
  }
}
