package dev.forumdesk.bench.harness;

import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.app.ForumdeskApp;
import dev.forumdesk.config.Settings;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.FakeTelegram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole product in this JVM as `./forumdesk run` starts it (embedded Temporal, worker,
 * Helidon, H2 with WRITE_DELAY=0 under its own data dir) against a {@link FakeTelegram} that
 * enforces Telegram's limits. Restartable on the same data dir.
 */
public final class BenchApp implements AutoCloseable {
  public static final String TOKEN = "123456:BENCH-bot-token-value";
  public static final String SECRET = "bench_webhook_Secret-7";
  public static final String API_TOKEN = "bench-api-token";
  public static final long CHAT = SampleDesk.CHAT;
  public static final String CONFIG = desk(50);

  /**
   * The sample desk. The load streams open topics with forum_topic_created and write into them
   * later, at random: phase 2 routes at once (routing.first-message-wait PT0S), so the figures
   * measure routing's own cost, not the product's wait for a first message a stream may never send.
   */
  public static String desk(int maxOpen) {
    return SampleDesk.yaml(maxOpen) + """
        routing:
          first-message-wait: PT0S
        """;
  }

  public final FakeTelegram telegram;
  private final Path dir;
  private final int temporalPort;
  private final java.util.Map<String, String> extraEnv;
  private ForumdeskApp app;

  private BenchApp(Path dir, int temporalPort, java.util.Map<String, String> extraEnv) {
    this.dir = dir;
    this.temporalPort = temporalPort;
    this.extraEnv = extraEnv;
    this.telegram = new FakeTelegram(TOKEN);
  }

  /** Starts a fresh app in a new temporary data dir. */
  public static BenchApp start(String name, int temporalPort) {
    return start(name, temporalPort, "");
  }

  /** @param extraYaml top-level YAML sections appended to the sample desk (e.g. an sla block) */
  public static BenchApp start(String name, int temporalPort, String extraYaml) {
    return start(name, temporalPort, extraYaml, 50);
  }

  /** @param maxOpen each sample agent's cap of open tickets */
  public static BenchApp start(String name, int temporalPort, String extraYaml, int maxOpen) {
    BenchApp b = new BenchApp(configuredDir(name, desk(maxOpen) + extraYaml), temporalPort, java.util.Map.of());
    b.app = ForumdeskApp.start(b.settings(), ForumdeskApp.Mode.RUN, temporalPort);
    return b;
  }

  /** A new temporary dir holding forumdesk.yaml: the sample desk, then BENCH_YAML. */
  private static Path configuredDir(String name, String yaml) {
    try {
      Path dir = Files.createTempDirectory("forumdesk-bench-" + name + "-");
      // BENCH_YAML="ingress: {dispatch-concurrency: 4}" tries a setting without a rebuild
      Files.writeString(dir.resolve("forumdesk.yaml"), yaml + System.getenv().getOrDefault("BENCH_YAML", "") + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The webhook half of the production shape: {@code Mode.WEBHOOK} on a shared PostgreSQL and a
   * Temporal at {@code temporalAddress}. {@code beforeStart} runs once the fake Telegram and the
   * config exist (it starts the worker half, which must be up first).
   */
  public static BenchApp startWebhookRole(String name, String dbUrl, String dbUser, String temporalAddress,
      java.util.function.Consumer<BenchApp> beforeStart) {
    BenchApp b = new BenchApp(configuredDir(name, desk(50)), 0, java.util.Map.of(
        "FORUMDESK_DB_URL", dbUrl, "FORUMDESK_DB_USER", dbUser, "TEMPORAL_ADDRESS", temporalAddress));
    beforeStart.accept(b);
    b.app = ForumdeskApp.start(b.settings(), ForumdeskApp.Mode.WEBHOOK, 0);
    return b;
  }

  /**
   * The webhook role alone on the embedded store (SQLite inbox, fsync on) with no Temporal behind
   * it: {@code temporalAddress} is a loopback port nothing listens on, as in an outage. What it
   * measures is the front door by itself; every update waits in the inbox.
   */
  public static BenchApp startIngressAlone(String name, String temporalAddress) {
    // the steps store more than the default bound of undelivered rows (10,000; beyond it new
    // updates get 503 so Telegram holds them): this measures the ack, not that bound
    BenchApp b = new BenchApp(configuredDir(name, desk(50) + "ingress:\n  max-backlog: 1000000\n"), 0,
        java.util.Map.of("TEMPORAL_ADDRESS", temporalAddress));
    b.app = ForumdeskApp.start(b.settings(), ForumdeskApp.Mode.WEBHOOK, 0);
    return b;
  }

  public Settings settings() {
    java.util.Map<String, String> env = SampleDesk.env(TOKEN, telegram.url(), SECRET, "forumdesk.bench.test", API_TOKEN,
        configFile(), dataDir());
    env.putAll(extraEnv);
    return Settings.fromEnv(env);
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path configFile() {
    return dir.resolve("forumdesk.yaml");
  }

  /** Stops the app (Temporal, worker, HTTP, database) but keeps the data dir and the fake. */
  public void stop() {
    if (app != null) {
      app.close();
      app = null;
    }
  }

  /** Starts the app again on the same data dir. @return how long start took, in nanos */
  public long restart() {
    stop();
    long t0 = System.nanoTime();
    app = ForumdeskApp.start(settings(), ForumdeskApp.Mode.RUN, temporalPort);
    return System.nanoTime() - t0;
  }

  public ForumdeskApp app() {
    return app;
  }

  public URI webhook() {
    return URI.create("http://127.0.0.1:" + app.port() + "/telegram/webhook");
  }

  public HttpRequest webhookRequest(String json) {
    return webhookPost(webhook(), SECRET, json);
  }

  /** One update as Telegram posts it: to the webhook, with the secret header. */
  public static HttpRequest webhookPost(URI webhook, String secret, String json) {
    return HttpRequest.newBuilder(webhook)
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** {@code POST /api/tickets/{id}/actions} as the sample desk's agent Alice. */
  public HttpRequest apiAction(String ticketId, String action) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/tickets/" + ticketId + "/actions"))
        .header("Authorization", "Bearer " + API_TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\",\"actor\":1001}"))
        .build();
  }

  /** Tickets the read model shows in {@code status}. */
  public long ticketCount(String status) {
    return app.database().jdbi().withHandle(h -> h.createQuery("select count(*) from tickets where status = :s")
        .bind("s", status).mapTo(Long.class).one());
  }

  /** Ids of the tickets the read model shows neither resolved nor closed. */
  public List<String> unresolvedTicketIds() {
    return List.copyOf(app.database().jdbi().withHandle(h -> h.createQuery(
        "select id from tickets where status not in ('RESOLVED', 'CLOSED') order by id").mapTo(String.class).list()));
  }

  public HttpRequest apiGet(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .header("Authorization", "Bearer " + API_TOKEN)
        .GET()
        .build();
  }

  /**
   * The webhook's own part of the ack (parse, classify, inbox commit) as the app measures it:
   * p50 and p99 of {@code forumdesk_webhook_store} over the last minutes, in ms.
   */
  public String serverStoreLatency() {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/observe/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return "p50 " + quantile(text, "0.5") + " ms, p99 " + quantile(text, "0.99") + " ms";
    } catch (java.io.IOException | InterruptedException e) {
      return "not read: " + e;
    }
  }

  private static String quantile(String metrics, String q) {
    String prefix = "forumdesk_webhook_store_seconds{quantile=\"" + q + "\"} ";
    return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> String.format(java.util.Locale.ROOT, "%.1f", Double.parseDouble(l.substring(prefix.length())) * 1000))
        .orElse("?");
  }

  public long inboxBacklog() {
    return new Inbox(app.database()).backlog();
  }

  public long ticketCount() {
    return app.database().jdbi().withHandle(h -> h.createQuery("select count(*) from tickets").mapTo(Long.class).one());
  }

  /**
   * Why acknowledged updates are not tickets yet: the inbox rows of tickets the read model lacks,
   * by status and last error (a benchmark that waited in vain says this instead of just a count).
   */
  public String missingTickets(int max) {
    java.util.Set<String> known = new java.util.HashSet<>(app.database().jdbi().withHandle(h ->
        h.createQuery("select id from tickets").mapTo(String.class).list()));
    List<String> rows = inboxRows("ticket_id is not null", Integer.MAX_VALUE).stream()
        .filter(r -> !known.contains(r.ticketId()))
        .map(InboxRowText::text)
        .toList();
    return rows.isEmpty() ? "none" : rows.size() + " rows: " + String.join("; ", rows.subList(0, Math.min(max, rows.size())));
  }

  /** An inbox row as a diagnostic names it. */
  private record InboxRowText(String ticketId, String text) {}

  private List<InboxRowText> inboxRows(String where, int limit) {
    return app.database().inboxJdbi().withHandle(h -> h.createQuery(
            "select ticket_id, update_id, kind, status, attempts, last_error from inbox where " + where
                + " order by update_id limit :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> new InboxRowText(rs.getString(1), rs.getString(1) + " update " + rs.getLong(2) + " "
            + rs.getString(3) + " " + rs.getString(4) + " after " + rs.getInt(5) + " attempts"
            + (rs.getString(6) == null ? "" : ": " + rs.getString(6))))
        .list());
  }

  /** Tickets phase 2 has routed (assigned, or waiting for an agent). */
  public long routedCount() {
    return app.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from tickets where state like '%\"phase\":\"ROUTED\"%'").mapTo(Long.class).one());
  }

  /** Tickets with an agent, as the read model shows them. */
  public long assignedCount() {
    return app.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from tickets where assignee_id is not null").mapTo(Long.class).one());
  }

  /** Updates not yet reflected in a projection of their ticket (pending or only delivered). */
  public long inboxUnapplied() {
    return app.database().inboxJdbi().withHandle(h -> h.createQuery(
        "select count(*) from inbox where status in ('PENDING', 'DELIVERED')").mapTo(Long.class).one());
  }

  /** The first {@code max} updates not yet reflected in a projection, by status: why a wait failed. */
  public String unapplied(int max) {
    List<String> rows = inboxRows("status in ('PENDING', 'DELIVERED')", max).stream().map(InboxRowText::text).toList();
    return rows.isEmpty() ? "none" : String.join("; ", rows);
  }

  public long outboxBacklog() {
    return app.database().jdbi()
        .withHandle(h -> h.createQuery("select count(*) from outbox where status = 'PENDING'").mapTo(Long.class).one());
  }

  @Override
  public void close() {
    stop();
    telegram.close();
    deleteQuietly(dir);
  }

  /** Deletes a bench's temp directory; one left behind is harmless. */
  public static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
