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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole app in-process, as `./forumdesk run` starts it, against a fake Telegram Bot API on
 * loopback. Tests talk to it over HTTP only, like a black-box client.
 *
 * <p>Started by a constructor, or for each test by JUnit: {@code @RegisterExtension final AppFixture f =
 * AppFixture.perTest(YAML);} starts it before each test in a directory of its own and closes it after.
 */
public final class AppFixture implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  public static final String TOKEN = "123456:TEST-bot-token-value";
  public static final String SECRET = "webhook_Secret-42";
  public static final String API_TOKEN = "api-token-for-tests";
  public static final long CHAT = SampleDesk.CHAT;
  public static final String CONFIG = SampleDesk.yaml(8);
  /** The smallest desk: the support chat and one agent, Alice (1001, English), with 4 tickets at most. */
  public static final String ALICE_ONLY = """
      support:
        chat-id: -1001234567890
      agents:
        - {id: 1001, name: Alice, username: alice, team: general, languages: [en], max-open: 4}
      """;

  public final FakeTelegram telegram;
  private final String yaml;
  private final Map<String, String> extraEnv;
  private final ForumdeskApp.Mode mode;
  private final boolean ownsTelegram;
  private final HttpClient http = HttpClient.newHttpClient();
  private ForumdeskApp app;
  /** Per test only: the directory made for the test, removed after it. */
  private Path perTestDir;
  /** Per test only: whether the fake Telegram keeps its one-message-a-second limit per chat. */
  private boolean perChatLimit = true;
  /** FORUMDESK_CONFIG of the running app: a test that edits it sees a reload. */
  private Path configFile;

  public Path configFile() {
    return configFile;
  }

  /**
   * FORUMDESK_CONFIG rewritten to {@code yaml}, dated {@code modified}; returns once the running app
   * has looked at it (its watch looks every 2 s on a thread of its own): applied, or refused with its
   * ERROR. At most 10 s.
   */
  public void rewriteConfig(String yaml, java.time.Instant modified) throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(dev.forumdesk.config.LiveConfig.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> looks =
        new ch.qos.logback.core.read.ListAppender<>();
    looks.setContext(logger.getLoggerContext());
    looks.start();
    ch.qos.logback.classic.Level before = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.addAppender(looks);
    try {
      // written beside it and moved in, as editors save: the watch never sees it half-dated (read at
      // the write's own time, then again at {@code modified}, which would be two looks)
      Path next = configFile.resolveSibling(configFile.getFileName() + ".next");
      Files.writeString(next, yaml);
      Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.from(modified));
      Files.move(next, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> List.copyOf(looks.list).stream().map(e -> e.getFormattedMessage())
              .anyMatch(m -> m.startsWith("configuration reloaded from") || m.startsWith("configuration reload from")));
    } finally {
      logger.detachAppender(looks);
      logger.setLevel(before);
    }
  }

  public AppFixture(Path dataDir) throws Exception {
    this(dataDir, CONFIG, Map.of());
  }

  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv) throws Exception {
    this(dataDir, yaml, extraEnv, telegram -> {});
  }

  /** @param beforeStart prepares the fake Telegram before the app first calls it (faults, say) */
  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv,
      Consumer<FakeTelegram> beforeStart) throws Exception {
    this(yaml, extraEnv, ForumdeskApp.Mode.RUN, new FakeTelegram(TOKEN), true);
    start(dataDir, beforeStart);
  }

  /**
   * One role of the production shape (worker or webhook, {@code extraEnv} naming the shared
   * PostgreSQL and Temporal) beside another that talks to the same fake Telegram; the caller
   * closes {@code telegram}.
   */
  public AppFixture(Path dataDir, String yaml, Map<String, String> extraEnv, ForumdeskApp.Mode role,
      FakeTelegram telegram) throws Exception {
    this(yaml, extraEnv, role, telegram, false);
    start(dataDir, t -> {});
  }

  private AppFixture(String yaml, Map<String, String> extraEnv, ForumdeskApp.Mode mode, FakeTelegram telegram,
      boolean ownsTelegram) {
    this.telegram = telegram;
    this.yaml = yaml;
    this.extraEnv = extraEnv;
    this.mode = mode;
    this.ownsTelegram = ownsTelegram;
  }

  /**
   * The one-JVM app with {@code yaml}, started before each test and closed after it, when registered
   * with {@code @RegisterExtension}; its fake Telegram is up from the start.
   */
  public static AppFixture perTest(String yaml) {
    return new AppFixture(yaml, Map.of(), ForumdeskApp.Mode.RUN, new FakeTelegram(TOKEN), true);
  }

  /** Per test: the fake Telegram, once the app is up, lets any chat have more than a message a second. */
  public AppFixture withoutPerChatLimit() {
    perChatLimit = false;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    perTestDir = Files.createTempDirectory("forumdesk-app-");
    start(perTestDir, t -> {});
    if (!perChatLimit) {
      telegram.enforcePerChatSecond(false);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (app != null) { // else it did not start, and closed the fake Telegram
      close();
    }
    try (Stream<Path> files = Files.walk(perTestDir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void start(Path dataDir, Consumer<FakeTelegram> beforeStart) throws Exception {
    beforeStart.accept(telegram);
    Path config = dataDir.resolve("forumdesk.yaml");
    configFile = config;
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

  public ForumdeskApp app() {
    return app;
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
    long now = UpdateJson.now();
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
