package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.forumdesk.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A faithful stand-in for the Telegram Bot API on loopback, for tests and benchmarks. It checks
 * the token in the path, answers in Telegram's envelope, and enforces the limits bots meet: 20
 * messages per minute per group, 1 per second per chat (with Telegram's tolerance of short
 * bursts switched off unless asked), 30 per second overall, each refused with 429 and
 * parameters.retry_after; sendMessage, copyMessage and createForumTopic (whose "topic created"
 * service message is posted in the group) count alike. Faults can be injected
 * ({@link #failNext}), and the whole API can hang ({@link #hang}). A message's text over 4,096 as
 * Telegram counts it (after entity parsing) is
 * refused as Telegram does, 400 "Bad Request: message is too long".
 */
public final class FakeTelegram implements AutoCloseable {
  /** One call the bot made. */
  public record Call(Instant at, String method, JsonNode params, int status) {}

  private final HttpServer server;
  private final String token;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<Long, Deque<Instant>> perGroup = new HashMap<>();
  private final Map<Long, Deque<Instant>> perChat = new HashMap<>();
  private final Deque<Instant> global = new ArrayDeque<>();
  private final AtomicLong messageIds = new AtomicLong(10_000);
  private final Deque<Integer> scriptedFaults = new ArrayDeque<>();
  private final java.util.Map<String, Deque<Integer>> methodFaults = new java.util.HashMap<>();
  private volatile Duration delayNext = Duration.ZERO;
  private final AtomicInteger delayed = new AtomicInteger();
  /** Methods every call of which is answered only after a while (a Telegram that is slow there). */
  private final Map<String, Duration> slow = new java.util.concurrent.ConcurrentHashMap<>();
  /** Calls per method as they came, before any answer (slow ones are in {@link #calls} once answered). */
  private final Map<String, AtomicInteger> arrived = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean enforcePerChatSecond = true;
  private final Deque<JsonNode> pendingUpdates = new ArrayDeque<>();
  private volatile String username = "ForumdeskBot";
  private final java.util.Set<Long> neverStartedTheBot = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<Long, Map.Entry<Integer, String>> refusals = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<Long> blockedBy = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<Long> removedFrom = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<Long> cannotManageTopicsIn = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<Hold> holds = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
  /** While set, every call hangs until it is counted down ({@link #hang}, {@link #answerAgain}). */
  private volatile java.util.concurrent.CountDownLatch hanging;

  /** A call to hold unanswered, and the one it took once it came. */
  private record Hold(String method, java.util.function.Predicate<JsonNode> which,
      java.util.concurrent.CompletableFuture<Call> arrived) {}

  public FakeTelegram(String token) {
    this.token = token;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Message ids, and new topics' thread ids, from {@code last} + 1 on: Telegram never gives one twice,
   * also not to a bot that restarted (a test's second app on the same data has a new fake Telegram).
   */
  public void idsAfter(long last) {
    messageIds.set(last);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Successful copyMessage calls. */
  public List<Call> copied() {
    return calls.stream().filter(c -> c.method().equals("copyMessage") && c.status() == 200).toList();
  }

  /** Successful sendMessage calls. */
  public List<Call> sent() {
    return calls.stream().filter(c -> c.method().equals("sendMessage") && c.status() == 200).toList();
  }

  /** Successful sendMessage calls in one topic (any chat), in order. */
  public List<Call> sentIn(long thread) {
    return sent().stream().filter(c -> c.params().path("message_thread_id").asLong() == thread).toList();
  }

  /** Their texts. */
  public List<String> textsIn(long thread) {
    return sentIn(thread).stream().map(c -> c.params().path("text").asText()).toList();
  }

  /** The texts sent to {@code chat}: in topic {@code thread}, or outside any topic when it is null. */
  public List<String> textsTo(long chat, Long thread) {
    return sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == chat)
        .filter(c -> thread == null ? !c.params().has("message_thread_id")
            : c.params().path("message_thread_id").asLong() == thread)
        .map(c -> c.params().path("text").asText()).toList();
  }

  /** The webhook URL Telegram holds for the bot (setWebhook, deleteWebhook), "" for none. */
  private volatile String webhookUrl = "";

  public String webhookUrl() {
    return webhookUrl;
  }

  /**
   * Someone else's setWebhook ({@code url}) or deleteWebhook ({@code ""}) for the same bot: by hand,
   * or another deployment. Not one of our calls: {@link #calls()} does not show it.
   */
  public void webhookChangedElsewhere(String url) {
    webhookUrl = url;
  }

  /** Telegram's last failed delivery to the webhook, as getWebhookInfo reports it. */
  private volatile ObjectNode webhookError;

  public void webhookDeliveryFailed(Instant at, String message) {
    webhookError = Json.mapper().createObjectNode().put("last_error_date", at.getEpochSecond())
        .put("last_error_message", message);
  }

  public long count429() {
    return calls.stream().filter(c -> c.status() == 429).count();
  }

  /**
   * The next {@code n} calls fail with {@code status} (500, 502, 400, 403, 429...). A 429 carries
   * {@code parameters.retry_after} of 2 seconds; a 400 says "message thread not found".
   */
  public synchronized void failNext(int n, int status) {
    scriptedFaults.clear();
    for (int i = 0; i < n; i++) {
      scriptedFaults.add(status);
    }
  }

  /** The next calls fail with these statuses in turn, e.g. {@code script(429, 500, 500)}. */
  public synchronized void script(int... statuses) {
    scriptedFaults.clear();
    for (int s : statuses) {
      scriptedFaults.add(s);
    }
  }

  /**
   * The first call of {@code method} whose parameters match is never answered: the bot's request
   * stays open, as when the bot's process dies before Telegram's answer comes back. It is in
   * {@link #calls()} with status 0 (Telegram got it; what it did is unknown to the bot).
   *
   * @return completed with the call when it comes
   */
  public java.util.concurrent.CompletableFuture<Call> hold(String method, java.util.function.Predicate<JsonNode> which) {
    Hold h = new Hold(method, which, new java.util.concurrent.CompletableFuture<>());
    holds.add(h);
    return h.arrived();
  }

  /**
   * From now on Telegram hangs: every call, of any method, is taken (it is in {@link #calls()} with
   * status 0, counted by {@link #arrived}) and never answered; the connection is dropped at {@link
   * #answerAgain}, long after the bot's client gave up (audit 21b, F1: 60 s, then closed). What
   * Telegram did with such a call is unknown to the bot; here it did nothing (no message posted).
   */
  public void hang() {
    hanging = new java.util.concurrent.CountDownLatch(1);
  }

  /** Telegram answers again: calls from now on are answered as before, the hung ones dropped. */
  public void answerAgain() {
    java.util.concurrent.CountDownLatch h = hanging;
    hanging = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** The next {@code n} calls are answered (successfully) only after {@code delay}: a client timeout. */
  public void delayNext(int n, Duration delay) {
    delayNext = delay;
    delayed.set(n);
  }

  /** Every call of {@code method} from now on is answered (successfully) only after {@code delay}; ZERO ends it. */
  public void slow(String method, Duration delay) {
    if (delay.isZero()) {
      slow.remove(method);
    } else {
      slow.put(method, delay);
    }
  }

  /** How many calls of {@code method} came so far, answered or not yet. */
  public int arrived(String method) {
    AtomicInteger n = arrived.get(method);
    return n == null ? 0 : n.get();
  }

  private synchronized Integer nextFault(String method) {
    Deque<Integer> forMethod = methodFaults.get(method);
    if (forMethod != null && !forMethod.isEmpty()) {
      return forMethod.pollFirst();
    }
    return scriptedFaults.pollFirst();
  }

  /** The next {@code n} calls of {@code method} fail with {@code status}; other methods are answered. */
  public synchronized void failNext(String method, int n, int status) {
    Deque<Integer> faults = methodFaults.computeIfAbsent(method, m -> new ArrayDeque<>());
    faults.clear();
    for (int i = 0; i < n; i++) {
      faults.add(status);
    }
  }

  public void enforcePerChatSecond(boolean on) {
    enforcePerChatSecond = on;
  }

  /** Private chats with this user fail like Telegram's: 403, the user never started the bot. */
  public void neverStartedTheBot(long userId) {
    neverStartedTheBot.add(userId);
  }

  /**
   * Messages to this chat are refused with this status and description, as Telegram refuses one
   * message rather than the chat (400 "Bad Request: can't parse entities: …").
   */
  public void refuses(long chatId, int status, String description) {
    refusals.put(chatId, Map.entry(status, description));
  }

  /** Private chats with this user fail like Telegram's once they blocked the bot: 403 "bot was blocked by the user". */
  public void blockedBy(long userId) {
    blockedBy.add(userId);
  }

  /** The user unblocked the bot again. */
  public void unblockedBy(long userId) {
    blockedBy.remove(userId);
  }

  /**
   * The bot was removed from this group (the usual reason to move a staff forum): every call for it
   * fails like Telegram's, 403 "bot was kicked from the supergroup chat".
   */
  public void removedFrom(long chatId) {
    removedFrom.add(chatId);
  }

  /**
   * The bot is a member of this forum but no admin with the right to manage topics: createForumTopic
   * fails like Telegram's, 400 "not enough rights to create a topic"; messages are answered.
   */
  public void cannotManageTopicsIn(long chatId) {
    cannotManageTopicsIn.add(chatId);
  }

  /** The bot's @username that getMe answers with (default ForumdeskBot). */
  public void username(String username) {
    this.username = username;
  }

  /** Queues an update for the next getUpdates call. */
  public synchronized void queueUpdate(JsonNode update) {
    pendingUpdates.add(update);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String prefix = "/bot" + token + "/";
    byte[] body = ex.getRequestBody().readAllBytes();
    if (!path.startsWith(prefix)) {
      reply(ex, 404, error(404, "Not Found", null), "unknown", null);
      return;
    }
    String method = path.substring(prefix.length());
    arrived.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    JsonNode params =
        body.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
    long chat = params.path("chat_id").asLong();
    if (removedFrom.contains(chat)) {
      reply(ex, 403, error(403, "Forbidden: bot was kicked from the supergroup chat", null), method, params);
      return;
    }
    if (method.equals("createForumTopic") && cannotManageTopicsIn.contains(chat)) {
      reply(ex, 400, error(400, "Bad Request: not enough rights to create a topic", null), method, params);
      return;
    }
    java.util.concurrent.CountDownLatch hung = hanging;
    if (hung != null) {
      calls.add(new Call(Instant.now(), method, params, 0));
      try {
        while (!hung.await(100, java.util.concurrent.TimeUnit.MILLISECONDS) && closed.getCount() > 0) {
          // no answer while it hangs, nor after: the client gave up long ago
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    for (Hold h : holds) {
      if (h.method().equals(method) && h.which().test(params) && holds.remove(h)) {
        Call call = new Call(Instant.now(), method, params, 0);
        calls.add(call);
        h.arrived().complete(call);
        try {
          closed.await(); // no answer: the exchange is dropped when the server stops
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
    }
    Integer fault = nextFault(method);
    if (fault != null) {
      String text = switch (fault) {
        case 403 -> "Forbidden: bot was blocked by the user";
        case 400 -> "Bad Request: message thread not found";
        case 429 -> "Too Many Requests: retry after 2";
        default -> "Internal Server Error";
      };
      reply(ex, fault, error(fault, text, fault == 429 ? 2 : null), method, params);
      return;
    }
    if (delayed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        Thread.sleep(delayNext);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Duration slowHere = slow.get(method);
    if (slowHere != null) {
      try {
        Thread.sleep(slowHere);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    switch (method) {
      case "sendMessage" -> sendMessage(ex, params);
      case "copyMessage" -> copyMessage(ex, params);
      case "getUpdates" -> getUpdates(ex, params);
      case "createForumTopic" -> {
        // a new topic posts its "topic created" service message: it counts like a message
        if (!admitted(ex, method, params, params.path("chat_id").asLong(), Instant.now())) {
          return;
        }
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("message_thread_id", messageIds.incrementAndGet()).put("name", params.path("name").asText());
        reply(ex, 200, ok(r), method, params);
      }
      case "getMe" -> {
        // Telegram's User for a bot: https://core.telegram.org/bots/api#getme
        ObjectNode r = Json.mapper().createObjectNode().put("id", 7_000_000_001L).put("is_bot", true)
            .put("first_name", "Forumdesk").put("username", username)
            .put("can_join_groups", true).put("can_read_all_group_messages", true)
            .put("supports_inline_queries", false);
        reply(ex, 200, ok(r), method, params);
      }
      case "getWebhookInfo" -> {
        ObjectNode r = Json.mapper().createObjectNode().put("url", webhookUrl).put("pending_update_count", 0);
        if (webhookError != null) {
          r.setAll(webhookError);
        }
        reply(ex, 200, ok(r), method, params);
      }
      case "setWebhook" -> {
        webhookUrl = params.path("url").asText("");
        reply(ex, 200, ok(Json.mapper().getNodeFactory().booleanNode(true)), method, params);
      }
      case "deleteWebhook" -> {
        webhookUrl = "";
        reply(ex, 200, ok(Json.mapper().getNodeFactory().booleanNode(true)), method, params);
      }
      default -> reply(ex, 200, ok(Json.mapper().getNodeFactory().booleanNode(true)), method, params);
    }
  }

  private void sendMessage(HttpExchange ex, JsonNode params) throws IOException {
    long chat = params.path("chat_id").asLong();
    Instant now = Instant.now();
    if (!admitted(ex, "sendMessage", params, chat, now)) {
      return;
    }
    String text = params.path("text").asText();
    int length = params.path("parse_mode").asText("").equals("HTML")
        ? dev.forumdesk.text.TelegramHtml.length(text) : text.length();
    if (length > dev.forumdesk.text.TelegramHtml.MESSAGE_MAX) { // as Telegram counts: after entity parsing
      reply(ex, 400, error(400, "Bad Request: message is too long", null), "sendMessage", params);
      return;
    }
    ObjectNode msg = Json.mapper().createObjectNode();
    msg.put("message_id", messageIds.incrementAndGet()).put("date", now.getEpochSecond());
    msg.putObject("chat").put("id", chat);
    if (params.has("message_thread_id")) {
      msg.put("message_thread_id", params.get("message_thread_id").asLong());
    }
    msg.put("text", params.path("text").asText());
    reply(ex, 200, ok(msg), "sendMessage", params);
  }

  /**
   * copyMessage: a message like any other for the limits (a 429 with retry_after as for sendMessage),
   * answered with Telegram's MessageId ({@code {"message_id": n}}). It needs the message to copy.
   */
  private void copyMessage(HttpExchange ex, JsonNode params) throws IOException {
    if (!params.hasNonNull("from_chat_id") || !params.hasNonNull("message_id")) {
      reply(ex, 400, error(400, "Bad Request: message to copy not found", null), "copyMessage", params);
      return;
    }
    long chat = params.path("chat_id").asLong();
    if (!admitted(ex, "copyMessage", params, chat, Instant.now())) {
      return;
    }
    reply(ex, 200, ok(Json.mapper().createObjectNode().put("message_id", messageIds.incrementAndGet())),
        "copyMessage", params);
  }

  /**
   * Whether a message to {@code chat} may go now; if not, it was answered as Telegram does: 403 for a
   * user who never started the bot, 429 with parameters.retry_after over a limit.
   */
  private boolean admitted(HttpExchange ex, String method, JsonNode params, long chat, Instant now) throws IOException {
    if (neverStartedTheBot.contains(chat)) {
      reply(ex, 403, error(403, "Forbidden: bot can't initiate conversation with a user", null), method, params);
      return false;
    }
    if (blockedBy.contains(chat)) {
      reply(ex, 403, error(403, "Forbidden: bot was blocked by the user", null), method, params);
      return false;
    }
    Map.Entry<Integer, String> refusal = refusals.get(chat);
    if (refusal != null) {
      reply(ex, refusal.getKey(), error(refusal.getKey(), refusal.getValue(), null), method, params);
      return false;
    }
    int retryAfter;
    synchronized (this) {
      retryAfter = limitHit(chat, now);
      if (retryAfter == 0) {
        global.add(now);
        perChat.computeIfAbsent(chat, c -> new ArrayDeque<>()).add(now);
        if (chat < 0) {
          perGroup.computeIfAbsent(chat, c -> new ArrayDeque<>()).add(now);
        }
      }
    }
    if (retryAfter > 0) {
      reply(ex, 429, error(429, "Too Many Requests: retry after " + retryAfter, retryAfter), method, params);
      return false;
    }
    return true;
  }

  /** @return seconds to wait, 0 when the message may go now */
  private int limitHit(long chat, Instant now) {
    int wait = window(global, now, Duration.ofSeconds(1), 30);
    if (enforcePerChatSecond) {
      wait = Math.max(wait, window(perChat.computeIfAbsent(chat, c -> new ArrayDeque<>()), now, Duration.ofSeconds(1), 1));
    }
    if (chat < 0) {
      wait = Math.max(wait, window(perGroup.computeIfAbsent(chat, c -> new ArrayDeque<>()), now, Duration.ofMinutes(1), 20));
    }
    return wait;
  }

  /** Sliding window: drop old entries, and if full say how long until the oldest leaves. */
  private static int window(Deque<Instant> sent, Instant now, Duration span, int max) {
    while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(span))) {
      sent.pollFirst();
    }
    if (sent.size() < max) {
      return 0;
    }
    long ms = Duration.between(now, sent.peekFirst().plus(span)).toMillis();
    return (int) Math.max(1, (ms + 999) / 1000);
  }

  private void getUpdates(HttpExchange ex, JsonNode params) throws IOException {
    long offset = params.path("offset").asLong(0);
    List<JsonNode> out = new ArrayList<>();
    synchronized (this) {
      pendingUpdates.removeIf(u -> u.path("update_id").asLong() < offset);
      out.addAll(pendingUpdates);
    }
    if (out.isEmpty()) {
      try {
        Thread.sleep(Math.min(1000, params.path("timeout").asLong(0) * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    reply(ex, 200, ok(Json.mapper().valueToTree(out)), "getUpdates", params);
  }

  private static ObjectNode ok(JsonNode result) {
    ObjectNode n = Json.mapper().createObjectNode().put("ok", true);
    n.set("result", result);
    return n;
  }

  private static ObjectNode error(int code, String description, Integer retryAfter) {
    ObjectNode n = Json.mapper().createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    if (retryAfter != null) {
      n.putObject("parameters").put("retry_after", retryAfter);
    }
    return n;
  }

  private void reply(HttpExchange ex, int status, JsonNode body, String method, JsonNode params) throws IOException {
    calls.add(new Call(Instant.now(), method, params, status));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
