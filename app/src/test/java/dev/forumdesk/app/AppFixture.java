package dev.forumdesk.app;

import dev.forumdesk.telegram.SampleDesk;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.Settings;
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
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * The whole app in-process, as `./forumdesk run` starts it, against a fake Telegram Bot API on
 * loopback. Tests talk to it over HTTP only, like a black-box client.
 */
public final class AppFixture implements AutoCloseable {
  public static final String TOKEN = "123456:TEST-bot-token-value";
  public static final String SECRET = "webhook_Secret-42";
  public static final String API_TOKEN = "api-token-for-tests";
  public static final long CHAT = SampleDesk.CHAT;
  public static final String CONFIG = SampleDesk.yaml(8);

  public final FakeTelegram telegram;
  public final ForumdeskApp app;
  private final boolean ownsTelegram;
  private final HttpClient http = HttpClient.newHttpClient();

  public AppFixture(Path dataDir) throws Exception {
    this(dataDir, CONFIG, Map.of());
  }

  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv) throws Exception {
    this(dataDir, yaml, extraEnv, telegram -> {});
  }

  /** @param beforeStart prepares the fake Telegram before the app first calls it (faults, say) */
  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv,
      java.util.function.Consumer<FakeTelegram> beforeStart) throws Exception {
    this(dataDir, yaml, extraEnv, ForumdeskApp.Mode.RUN, new FakeTelegram(TOKEN), true, beforeStart);
  }

  /**
   * One role of the production shape (worker or webhook, {@code extraEnv} naming the shared
   * PostgreSQL and Temporal) beside another that talks to the same fake Telegram; the caller
   * closes {@code telegram}.
   */
  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv, ForumdeskApp.Mode role,
      FakeTelegram telegram) throws Exception {
    this(dataDir, yaml, extraEnv, role, telegram, false, t -> {});
  }

  private AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv, ForumdeskApp.Mode mode,
      FakeTelegram telegram, boolean ownsTelegram, java.util.function.Consumer<FakeTelegram> beforeStart)
      throws Exception {
    this.telegram = telegram;
    this.ownsTelegram = ownsTelegram;
    beforeStart.accept(telegram);
    Path config = dataDir.resolve("forumdesk.yaml");
    Files.createDirectories(dataDir);
    Files.writeString(config, yaml);
    Map<String, String> env = SampleDesk.env(TOKEN, telegram.url(), SECRET, "forumdesk.example.test", API_TOKEN, config,
        dataDir.resolve("data"));
    env.putAll(extraEnv);
    try {
      app = ForumdeskApp.start(Settings.fromEnv(env), mode, 0);
    } catch (RuntimeException e) {
      if (ownsTelegram) {
        telegram.close();
      }
      throw e;
    }
  }

  public String base() {
    return "http://127.0.0.1:" + app.port();
  }

  public HttpResponse<String> postUpdate(String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/telegram/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + API_TOKEN)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String json) throws Exception {
    return post(path, json, java.util.Map.of());
  }

  /** A POST with these headers besides the token and the content type (an Idempotency-Key). */
  public HttpResponse<String> post(String path, String json, java.util.Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
    headers.forEach(request::header);
    return http.send(
        request
            .header("Authorization", "Bearer " + API_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public JsonNode json(String path) throws Exception {
    return Json.mapper().readTree(get(path).body());
  }

  /**
   * Polls GET /api/tickets/{id} until its workflow has projected the ticket and the condition holds
   * (generous bound; speed is benchmarked). Until then the API shows a new ticket from its opening
   * update in the inbox ({@code "waitingInInbox":true}); tests of that read it directly.
   */
  public JsonNode awaitTicket(String id, Predicate<JsonNode> condition) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await("ticket " + id)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> {
          HttpResponse<String> r = get("/api/tickets/" + id);
          if (r.statusCode() != 200) {
            return false;
          }
          last[0] = Json.mapper().readTree(r.body());
          return !last[0].path("waitingInInbox").asBoolean() && condition.test(last[0]);
        });
    return last[0];
  }

  /** {@link #CONFIG} with a help desk of {@code kind} at {@code url}, pulled back every second, routing off. */
  public static String withHelpDesk(String kind, String url, String queue) {
    return CONFIG + """
        help-desk:
          kind: %s
          url: %s
          queue: %s
          sync-back: PT1S
        routing:
          enabled: false
        """.formatted(kind, url, queue);
  }

  /**
   * Bob opens a topic and writes in it; returns the ticket once its help-desk twin exists (sync
   * OK) and holds that first message.
   */
  public JsonNode openMirrored(long thread, String title, String firstMessage) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    UpdateJson.Sender bob = new UpdateJson.Sender(5001, "Bob", "bob", "en");
    postUpdate(UpdateJson.topicCreated(thread * 10 + 1, CHAT, thread, bob, title, now));
    postUpdate(UpdateJson.text(thread * 10 + 2, CHAT, thread, thread + 1, bob, firstMessage, now));
    return awaitTicket("ticket-" + CHAT + "-" + thread, x -> x.path("helpDesk").path("sync").asText().equals("OK")
        && x.path("firstMessage").asText().equals(firstMessage));
  }

  @Override
  public void close() {
    app.close();
    if (ownsTelegram) {
      telegram.close();
    }
  }
}
