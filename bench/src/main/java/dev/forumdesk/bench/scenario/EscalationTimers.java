package dev.forumdesk.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.Latencies;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.FakeTelegram;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First-response escalation accuracy in real time: topics nobody answers, a short first-response
 * SLA, and the gap between each ticket's firstResponseDue (read from the API) and (a) the
 * ESCALATED audit entry, (b) the moment Telegram receives the supervisor mention. Topics are
 * spaced so the group stays under 20 messages a minute; what remains is timer and outbox delay.
 * Runs in its own app beside the CPU-bound figures, so it is measured under their load.
 */
public final class EscalationTimers {
  private static final Duration LIMIT = Duration.ofSeconds(6);
  private static final String SLA = "sla:\n  first-response: PT6S\n";

  private final BenchOptions options;
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  public EscalationTimers(BenchOptions options) {
    this.options = options;
  }

  /** Completes once the app is up: from then on it posts a topic every few seconds and waits. */
  public CompletableFuture<Void> started() {
    return started;
  }

  public CompletableFuture<List<Row>> startInBackground() {
    return CompletableFuture.supplyAsync(this::run, Background.EXECUTOR);
  }

  private List<Row> run() {
    // each unanswered ticket sends at most four messages to the staff forum (the breach mention, the
    // Level 2 topic, whose "topic created" Telegram counts since Level 2 topics go through the
    // outbox's budget, its summary, and the chain's escalation notice): one topic per 15 s keeps the
    // forum at 16 of its 20 a minute, so the figure is timer plus outbox delay, not rate-limit
    // queueing. At one per 10 s (24 a minute) the last mentions of a run waited up to 9.2 s for the
    // budget (seventeenth session).
    int n = options.quick() ? 4 : 20;
    Duration spacing = Duration.ofSeconds(15);
    String figure = "escalation timer accuracy: first-response deadline → supervisor mention sent, " + n + " tickets";
    try (BenchApp app = BenchApp.start("escalation", 0, SLA)) {
      started.complete(null);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      UpdateStream stream = new UpdateStream(50, 9_000_000, 1.0);
      Map<Long, Instant> due = new LinkedHashMap<>();
      Progress.say("escalation: %d unanswered topics, one every %d s, first response due after %d s",
          n, spacing.toSeconds(), LIMIT.toSeconds());
      for (int i = 0; i < n; i++) {
        http.send(app.webhookRequest(stream.newTopic()), HttpResponse.BodyHandlers.discarding());
        long thread = stream.lastThread();
        readDue(app, http, thread).ifPresent(d -> due.put(thread, d));
        Idle.sleep(spacing);
      }
      Idle.await(() -> mentions(app.telegram).size() >= n, LIMIT.plusSeconds(30), Duration.ofMillis(200));
      Map<Long, Instant> sent = mentions(app.telegram);
      if (System.getenv("BENCH_DEBUG") != null) {
        due.forEach((thread, d) -> Progress.say("  thread %d due %s", thread, d));
        app.telegram.calls("sendMessage").forEach(c -> Progress.say("  %s chat %d thread %d %d: %.40s", c.at(),
            c.params().path("chat_id").asLong(), c.params().path("message_thread_id").asLong(), c.status(),
            c.params().path("text").asText()));
      }
      Latencies toMention = new Latencies();
      Latencies toAudit = new Latencies();
      long early = 0;
      for (var e : due.entrySet()) {
        Instant at = sent.get(e.getKey());
        if (at != null) {
          long lateNanos = Duration.between(e.getValue(), at).toNanos();
          early += lateNanos < 0 ? 1 : 0;
          toMention.add(Math.max(0, lateNanos));
        }
        auditEscalated(app, http, e.getKey())
            .ifPresent(a -> toAudit.add(Math.max(0, Duration.between(e.getValue(), a).toNanos())));
      }
      Progress.say("escalation: mention %s late, audit entry %s late, %d early", toMention.summary(), toAudit.summary(), early);
      List<Row> rows = new ArrayList<>();
      String gaps = (due.size() < n ? ", " + (n - due.size()) + " tickets not visible in 15 s to read their deadline" : "")
          + (toMention.count() < due.size() ? ", " + (due.size() - toMention.count()) + " mentions not sent in "
              + LIMIT.plusSeconds(30).toSeconds() + " s" : "");
      rows.add(Row.measured(figure, toMention.summary() + " late" + (early > 0 ? ", " + early + " before the deadline" : "") + gaps,
          "p99 < 1 s late", toMention.count() == n && early == 0 && toMention.percentileMillis(99) < 1000));
      rows.add(Row.report("↳ deadline → ESCALATED in the audit (the workflow timer alone)", toAudit.summary() + " late", "report"));
      return rows;
    } catch (Exception e) {
      started.complete(null);
      return List.of(Row.failed(figure, "p99 < 1 s late", e));
    }
  }

  private static Optional<Instant> readDue(BenchApp app, HttpClient http, long thread) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(app.apiGet("/api/tickets/" + UpdateStream.ticketId(thread)), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        String due = Json.mapper().readTree(r.body()).path("sla").path("firstResponseDue").asText("");
        if (!due.isEmpty() && !due.equals("null")) {
          return Optional.of(Instant.parse(due));
        }
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  private static Optional<Instant> auditEscalated(BenchApp app, HttpClient http, long thread) throws Exception {
    HttpResponse<String> r = http.send(app.apiGet("/api/tickets/" + UpdateStream.ticketId(thread)), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Optional.empty();
    }
    for (JsonNode a : Json.mapper().readTree(r.body()).path("audit")) {
      if (a.path("event").asText().equals("ESCALATED")) {
        return Optional.of(Instant.parse(a.path("at").asText()));
      }
    }
    return Optional.empty();
  }

  /**
   * First supervisor mention per topic thread, by the time Telegram received it. In group mode it
   * goes to the staff forum's General topic (the sample desk's Level 2 group), naming the ticket by
   * its topic's link; elsewhere it is posted in the topic.
   */
  private static Map<Long, Instant> mentions(FakeTelegram telegram) {
    Map<Long, Instant> out = new LinkedHashMap<>();
    for (FakeTelegram.Call c : telegram.sent()) {
      String text = c.params().path("text").asText();
      if (text.contains("No agent has answered")) {
        Matcher link = TOPIC_LINK.matcher(text);
        if (!link.find()) {
          out.putIfAbsent(c.params().path("message_thread_id").asLong(), c.at());
          continue;
        }
        do { // a digest of breaches names each of its tickets
          out.putIfAbsent(Long.parseLong(link.group(1)), c.at());
        } while (link.find());
      }
    }
    return out;
  }

  /** A ticket's topic link, https://t.me/c/1234567890/42: its thread. */
  private static final Pattern TOPIC_LINK = Pattern.compile("t\\.me/c/\\d+/(\\d+)");
}
