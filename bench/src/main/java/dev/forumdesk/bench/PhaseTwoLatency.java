package dev.forumdesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.forumdesk.app.ForumdeskApp;
import dev.forumdesk.config.Settings;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole app against a fake Telegram and a CRM that answers in 300 ms: for each new topic, the
 * time until the ticket is visible in the API (phase 1) and until it is routed and assigned
 * (phase 2). One-phase routing (CRM + NLP before the ticket exists) would make the ticket visible
 * only after the enrichment; we report that as visible-time + the measured sequential enrichment.
 */
final class PhaseTwoLatency {
  static final String TOKEN = "123456:BENCH-token";
  static final long CHAT = -1001234567890L;

  private PhaseTwoLatency() {}

  /** Milliseconds from posting a new topic: visible (phase 1), routed and assigned (phase 2). */
  record Result(int tickets, double visibleP50, double visibleP99, double routedP50, double routedP99,
      double sequentialEnrichment) {}

  static Result run(int tickets) throws Exception {
    HttpServer crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    crm.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    crm.createContext("/customers/", ex -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] b = "{\"tier\":\"gold\",\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    crm.start();
    Path dir = Files.createTempDirectory("phase2");
    Path config = dir.resolve("forumdesk.yaml");
    Files.writeString(config, """
        support: {chat-id: -1001234567890}
        agents:
          - {id: 1001, name: Alice, username: alice, languages: [en, ru], max-open: 1000}
          - {id: 1002, name: Boris, username: boris, languages: [en, ru], max-open: 1000}
        crm: {url: "http://127.0.0.1:%d/", timeout: PT2S}
        """.formatted(crm.getAddress().getPort()));
    FakeTelegram telegram = new FakeTelegram(TOKEN);
    Map<String, String> env = dev.forumdesk.telegram.SampleDesk.env(TOKEN, telegram.url(), "bench_secret",
        "bench.example.test", "bench-api", config, dir.resolve("data"));
    HttpClient http = HttpClient.newHttpClient();
    List<Double> visible = new ArrayList<>();
    List<Double> routed = new ArrayList<>();
    try (ForumdeskApp app = ForumdeskApp.start(Settings.fromEnv(env), ForumdeskApp.Mode.RUN, 0)) {
      String base = "http://127.0.0.1:" + app.port();
      for (int i = 0; i < tickets + 3; i++) { // the first 3 warm up lingua and the JIT
        long thread = 1000 + i * 10L;
        var from = new UpdateJson.Sender(8000 + i, "C" + i, null, "en");
        long t0 = System.nanoTime();
        http.send(HttpRequest.newBuilder(URI.create(base + "/telegram/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", "bench_secret")
            .POST(HttpRequest.BodyPublishers.ofString(UpdateJson.text(i + 1, CHAT, thread, thread + 1, from,
                "I was charged twice for my order, please refund it", UpdateJson.now())))
            .build(), HttpResponse.BodyHandlers.ofString());
        double seen = -1;
        while (true) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tickets/ticket-" + CHAT + "-" + thread))
              .header("Authorization", "Bearer bench-api").build(), HttpResponse.BodyHandlers.ofString());
          double ms = (System.nanoTime() - t0) / 1e6;
          if (r.statusCode() == 200) {
            JsonNode t = Json.mapper().readTree(r.body());
            if (seen < 0) {
              seen = ms;
            }
            if (t.path("routing").path("phase").asText().equals("ROUTED") && t.path("assignee").hasNonNull("id")) {
              if (i >= 3) {
                visible.add(seen);
                routed.add(ms);
              }
              break;
            }
          }
          if (ms > 30_000) {
            throw new IllegalStateException("ticket " + thread + " not routed within 30 s");
          }
          Thread.sleep(5);
        }
      }
    } finally {
      telegram.close();
      crm.stop(0);
    }
    return new Result(visible.size(), pct(visible, 50), pct(visible, 99), pct(routed, 50), pct(routed, 99),
        300 + sequentialNlpMs());
  }

  /** Language detection and sentiment of one message, warmed up, in milliseconds. */
  private static double sequentialNlpMs() {
    var langs = new dev.forumdesk.nlp.Languages(java.util.Set.of("en", "ru"), "en");
    var sentiment = new dev.forumdesk.nlp.Sentiment();
    String text = "I was charged twice for my order, please refund it";
    for (int i = 0; i < 50; i++) {
      langs.detect(text, null);
      sentiment.score(text);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      langs.detect(text, null);
      sentiment.score(text);
    }
    return (System.nanoTime() - t0) / 1e6 / 100;
  }

  private static double pct(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
  }
}
