package dev.forumdesk.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A Zammad on loopback (MockWebServer) that keeps its tickets, articles and customers in memory and
 * answers the part of the REST API Forumdesk calls as Zammad does (app/controllers of Zammad 6):
 *
 * <ul>
 *   <li>Token auth ({@code Authorization: Token token=...}): no credentials are 403 "Authentication
 *       required", a wrong token 401 "Can't find User for Token"; errors are {@code
 *       {"error":...,"error_human":...}}.
 *   <li>{@code POST /tickets}: group and state by name (unknown: 422 "No lookup value found for
 *       'group': ..."), {@code customer_id: "guess:<email>"} creates that customer once, an {@code
 *       article} needs a body; 201 with the ticket (ids, not names).
 *   <li>{@code PUT /tickets/{id}}: 404 for an unknown ticket, state by name, a pending state needs
 *       {@code pending_time} (Zammad's core workflow makes it mandatory).
 *   <li>{@code POST /ticket_articles}: 404 for an unknown ticket; the ticket's updated_at moves.
 *       Every article (the ticket's first too) is the token's user's ({@code created_by_id}),
 *       sender "Agent" unless it says otherwise.
 *   <li>{@code GET /ticket_articles/by_ticket/{id}}: the ticket's articles, oldest first, with
 *       their ids and the names of sender, type and author ({@code
 *       attributes_with_association_names}); 404 for an unknown ticket.
 *   <li>{@code GET /users/me}, {@code GET /users/{id}}: the token's user (id 3, as Zammad's first
 *       admin), agents and customers with login, firstname, lastname, email.
 *   <li>{@code GET|POST /tickets/search}: a {@code condition} on {@code ticket.updated_at} or
 *       {@code ticket.created_at} ("after (absolute)" is {@code >=}, as in Zammad's SQL) and on
 *       {@code article.body} ("contains", any article, case-insensitive), answered from the store
 *       at once as Zammad answers a condition without a query from its database; {@code sort_by}/{@code order_by}
 *       (default updated_at desc), {@code page}/{@code per_page} (at most 200); {@code
 *       expand=true} answers a list with state and group names.
 * </ul>
 *
 * Every change moves the ticket's updated_at to a strictly later millisecond. The team's side is
 * {@link #setState} and {@link #write}: what an agent does in Zammad's UI.
 */
public final class FakeZammad implements AutoCloseable {
  public static final List<String> STATES =
      List.of("new", "open", "pending reminder", "closed", "merged", "pending close");
  private static final List<String> ARTICLE_TYPES = List.of("email", "phone", "web", "note", "sms", "chat");
  private static final Pattern BEARER = Pattern.compile("Token\\s+token=\"?([^\"]*)\"?");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

  /** A ticket as Zammad holds it. */
  public record Ticket(long id, String number, String title, String group, String state, long customerId,
      Instant pendingTime, Instant createdAt, Instant updatedAt) {}

  /** An article of a ticket. */
  public record Article(long id, long ticketId, String subject, String body, String type, String sender,
      boolean internal, String contentType, long createdById, Instant createdAt) {}

  /** A user: the token's, an agent, a customer. */
  public record User(long id, String login, String firstname, String lastname, String email) {}

  /** The id of the token's user, as Zammad's first admin has. */
  public static final long TOKEN_USER = 3;

  private final MockWebServer server = new MockWebServer();
  private final String token;
  private final Set<String> groups = new LinkedHashSet<>(List.of("Users"));
  private final Map<Long, Ticket> tickets = new LinkedHashMap<>();
  private final List<Article> articles = new ArrayList<>();
  private final Map<String, Long> customers = new LinkedHashMap<>(); // email → user id
  private final Map<Long, User> users = new LinkedHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private Instant lastChange = Instant.EPOCH;
  private long nextArticle = 1;
  private boolean losing;

  public FakeZammad(String token, String... moreGroups) throws IOException {
    this.token = token;
    groups.addAll(List.of(moreGroups));
    users.put(TOKEN_USER, new User(TOKEN_USER, "forumdesk@example.com", "Forumdesk", "API", "forumdesk@example.com"));
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        return answer(request);
      }
    });
    server.start();
  }

  /** The base URL, as help-desk.url takes it (no /api/v1). */
  public String url() {
    HttpUrl u = server.url("/");
    return u.toString().substring(0, u.toString().length() - 1);
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many requests of {@code method} reached {@code path} (e.g. "/api/v1/tickets/search"). */
  public long calls(String method, String path) {
    return requests.stream().filter(r -> r.getMethod().equals(method) && r.getUrl().encodedPath().equals(path)).count();
  }

  public synchronized Ticket ticket(long id) {
    Ticket t = tickets.get(id);
    if (t == null) {
      throw new AssertionError("no Zammad ticket " + id + " among " + tickets.keySet());
    }
    return t;
  }

  public synchronized List<Ticket> tickets() {
    return List.copyOf(tickets.values());
  }

  public synchronized List<Article> articles(long ticketId) {
    return articles.stream().filter(a -> a.ticketId() == ticketId).toList();
  }

  /** The email of the ticket's customer. */
  public synchronized String customerOf(long ticketId) {
    long id = ticket(ticketId).customerId();
    return customers.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  /** A ticket opened in Zammad itself (by mail, by an agent), state new, customer the first one. */
  public synchronized long open(String title, String group) {
    long customer = customer("nicole.braun@zammad.org");
    long id = tickets.size() + 1L;
    Instant now = now();
    put(new Ticket(id, Long.toString(31000 + id), title, group, "new", customer, null, now, now));
    return id;
  }

  /**
   * While on, a ticket created through the API is made but its answer never sent: the client
   * times out, as when Zammad is slow past its timeout or the network drops the answer.
   */
  public synchronized void loseAnswers(boolean on) {
    losing = on;
  }

  /** An agent changes the state in Zammad's UI. */
  public synchronized Ticket setState(long id, String state) {
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException(state);
    }
    Ticket t = ticket(id);
    Instant pending = state.startsWith("pending") ? Instant.now().plus(1, ChronoUnit.DAYS) : null;
    return put(new Ticket(t.id(), t.number(), t.title(), t.group(), state, t.customerId(), pending, t.createdAt(), now()));
  }

  /** An agent, a user of Zammad with a name. */
  public synchronized long agent(String firstname, String lastname) {
    long id = 10L + users.size();
    String login = (firstname + "." + lastname).toLowerCase(java.util.Locale.ROOT) + "@example.com";
    users.put(id, new User(id, login, firstname, lastname, login));
    return id;
  }

  /**
   * An agent writes an article in Zammad's UI: a reply to the customer ({@code internal} false,
   * type email), or an internal note; the ticket's updated_at moves.
   */
  public synchronized Article write(long ticketId, long agentId, String body, String contentType, boolean internal) {
    if (!users.containsKey(agentId)) {
      throw new IllegalArgumentException("no user " + agentId);
    }
    ObjectNode a = Json.mapper().createObjectNode().put("body", body).put("content_type", contentType)
        .put("type", internal ? "note" : "email").put("sender", "Agent").put("internal", internal);
    return addArticle(ticket(ticketId), a, agentId);
  }

  @Override
  public void close() {
    server.close();
  }

  // --- the HTTP side

  private synchronized MockResponse answer(RecordedRequest r) {
    String auth = r.getHeaders().get("Authorization");
    Matcher m = auth == null ? null : BEARER.matcher(auth.strip());
    if (m == null || !m.matches()) {
      return error(403, "Authentication required");
    }
    if (!m.group(1).equals(token)) {
      return error(401, "Can't find User for Token");
    }
    String path = r.getUrl().encodedPath();
    String method = r.getMethod();
    JsonNode body;
    try {
      String text = r.getBody() == null ? "" : r.getBody().utf8();
      body = text.isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
    } catch (IOException e) {
      return error(422, "unexpected token in JSON body");
    }
    Matcher ticketPath = Pattern.compile("/api/v1/tickets/(\\d+)").matcher(path);
    if (path.equals("/api/v1/tickets/search") && (method.equals("GET") || method.equals("POST"))) {
      return search(r.getUrl(), body);
    } else if (path.equals("/api/v1/tickets") && method.equals("POST")) {
      MockResponse created = create(body);
      // the ticket is made; its answer never leaves, until the client gives up and hangs up
      return losing ? created.newBuilder().onResponseStart(SocketEffect.Stall.INSTANCE).build() : created;
    } else if (ticketPath.matches() && method.equals("PUT")) {
      return update(Long.parseLong(ticketPath.group(1)), body);
    } else if (ticketPath.matches() && method.equals("GET")) {
      Ticket t = tickets.get(Long.parseLong(ticketPath.group(1)));
      return t == null ? notFound("Ticket", ticketPath.group(1)) : json(200, ticketJson(t, false));
    } else if (path.equals("/api/v1/ticket_articles") && method.equals("POST")) {
      return article(body);
    } else if (path.startsWith("/api/v1/ticket_articles/by_ticket/") && method.equals("GET")) {
      String id = path.substring("/api/v1/ticket_articles/by_ticket/".length());
      Ticket t = id.matches("\\d+") ? tickets.get(Long.parseLong(id)) : null;
      if (t == null) {
        return notFound("Ticket", id);
      }
      ArrayNode list = Json.mapper().createArrayNode();
      articles.stream().filter(a -> a.ticketId() == t.id()).forEach(a -> list.add(articleJson(a)));
      return json(200, list);
    } else if (path.equals("/api/v1/users/me") && method.equals("GET")) {
      return json(200, userJson(users.get(TOKEN_USER)));
    } else if (path.matches("/api/v1/users/\\d+") && method.equals("GET")) {
      String id = path.substring("/api/v1/users/".length());
      User u = users.get(Long.parseLong(id));
      return u == null ? notFound("User", id) : json(200, userJson(u));
    }
    return error(404, "No route matches [" + method + "] \"" + path + "\"");
  }

  private MockResponse create(JsonNode b) {
    String title = b.path("title").asText("");
    if (title.isBlank()) {
      return error(422, "Attribute 'title' required!");
    }
    String group = b.path("group").asText(null);
    if (group == null || !groups.contains(group)) {
      return lookupError("group", group);
    }
    String state = b.path("state").asText("new");
    if (!STATES.contains(state)) {
      return lookupError("state", state);
    }
    String customer = b.path("customer_id").asText("");
    long customerId;
    if (customer.startsWith("guess:")) {
      String email = customer.substring("guess:".length());
      if (!EMAIL.matcher(email).matches()) {
        return error(422, "Invalid email '" + email + "' of customer");
      }
      customerId = customer(email.toLowerCase(java.util.Locale.ROOT));
    } else if (customer.matches("\\d+") && customers.containsValue(Long.parseLong(customer))) {
      customerId = Long.parseLong(customer);
    } else if (customer.isEmpty()) {
      return error(422, "Attribute 'customer_id' required!");
    } else {
      return lookupError("customer", customer);
    }
    JsonNode a = b.get("article");
    if (a != null && (!a.has("body") || a.get("body").isNull())) {
      return error(422, "Need at least article: { body: \"some text\" }");
    }
    if (a != null && !ARTICLE_TYPES.contains(a.path("type").asText("note"))) {
      return lookupError("type", a.path("type").asText());
    }
    long id = tickets.size() + 1L;
    Instant now = now();
    Ticket t = put(new Ticket(id, Long.toString(31000 + id), title, group, state, customerId, null, now, now));
    if (a != null) {
      addArticle(t, a, TOKEN_USER);
    }
    return json(201, ticketJson(tickets.get(id), false));
  }

  private MockResponse update(long id, JsonNode b) {
    Ticket t = tickets.get(id);
    if (t == null) {
      return notFound("Ticket", Long.toString(id));
    }
    String state = b.path("state").asText(t.state());
    if (!STATES.contains(state)) {
      return lookupError("state", state);
    }
    Instant pending = t.pendingTime();
    if (b.hasNonNull("pending_time")) {
      try {
        pending = Instant.parse(b.get("pending_time").asText());
      } catch (DateTimeParseException e) {
        return error(422, "Invalid value for param 'pending_time': " + b.get("pending_time").asText());
      }
    }
    if (state.startsWith("pending") && pending == null) {
      return error(422, "Missing required value for field 'pending_time'!");
    }
    String title = b.path("title").asText(t.title());
    Ticket changed = new Ticket(id, t.number(), title, t.group(), state, t.customerId(),
        state.startsWith("pending") ? pending : null, t.createdAt(), t.updatedAt());
    if (!changed.equals(t)) {
      changed = put(new Ticket(id, t.number(), title, t.group(), state, t.customerId(), changed.pendingTime(),
          t.createdAt(), now()));
    }
    return json(200, ticketJson(changed, false));
  }

  private MockResponse article(JsonNode b) {
    String ticketId = b.path("ticket_id").asText("");
    Ticket t = ticketId.matches("\\d+") ? tickets.get(Long.parseLong(ticketId)) : null;
    if (t == null) {
      return notFound("Ticket", ticketId);
    }
    if (!b.has("body") || b.get("body").isNull()) {
      return error(422, "Need at least article: { body: \"some text\" }");
    }
    if (!ARTICLE_TYPES.contains(b.path("type").asText("note"))) {
      return lookupError("type", b.path("type").asText());
    }
    Article a = addArticle(t, b, TOKEN_USER);
    ObjectNode json = Json.mapper().createObjectNode()
        .put("id", a.id()).put("ticket_id", a.ticketId()).put("body", a.body()).put("internal", a.internal())
        .put("content_type", a.contentType()).put("created_by_id", a.createdById())
        .put("created_at", a.createdAt().toString());
    return json(201, json);
  }

  private MockResponse search(HttpUrl url, JsonNode b) {
    int perPage = Math.min(200, intParam(url, b, "per_page", intParam(url, b, "limit", 50)));
    int page = Math.max(1, intParam(url, b, "page", 1));
    boolean expand = "true".equals(param(url, b, "expand"));
    String sortBy = param(url, b, "sort_by");
    String orderBy = param(url, b, "order_by");
    String query = param(url, b, "query");
    List<Predicate<Ticket>> conditions = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : b.path("condition").properties()) {
      Predicate<Ticket> condition = condition(c.getKey(), c.getValue().path("operator").asText(),
          c.getValue().path("value").asText());
      if (condition == null) {
        return error(422, "Invalid condition " + c.getKey() + ": " + c.getValue());
      }
      conditions.add(condition);
    }
    List<Ticket> found = new ArrayList<>();
    for (Ticket t : tickets.values()) {
      if (query != null && !query.isBlank() && !t.title().toLowerCase().contains(query.toLowerCase())) {
        continue;
      }
      if (conditions.stream().allMatch(c -> c.test(t))) {
        found.add(t);
      }
    }
    Comparator<Ticket> order = switch (sortBy == null ? "updated_at" : sortBy) {
      case "created_at" -> Comparator.comparing(Ticket::createdAt);
      case "id" -> Comparator.comparing(Ticket::id);
      default -> Comparator.comparing(Ticket::updatedAt);
    };
    found.sort("asc".equals(orderBy) ? order.thenComparing(Ticket::id) : order.thenComparing(Ticket::id).reversed());
    List<Ticket> slice = found.stream().skip((long) (page - 1) * perPage).limit(perPage).toList();
    if (expand) {
      ArrayNode list = Json.mapper().createArrayNode();
      slice.forEach(t -> list.add(ticketJson(t, true)));
      return json(200, list);
    }
    ObjectNode result = Json.mapper().createObjectNode();
    ArrayNode ids = result.putArray("tickets");
    ObjectNode assets = result.putObject("assets").putObject("Ticket");
    slice.forEach(t -> {
      ids.add(t.id());
      assets.set(Long.toString(t.id()), ticketJson(t, false));
    });
    result.put("tickets_count", found.size());
    return json(200, result);
  }

  /**
   * A condition as Selector::Sql reads it, null for one this fake does not know: a ticket's time
   * "after (absolute)" ({@code >=}) or "before (absolute)" ({@code <=}), and an article's body that
   * "contains" a text (any article of the ticket: the search joins them; ILIKE, so case-insensitive).
   */
  private Predicate<Ticket> condition(String name, String operator, String value) {
    if (name.equals("article.body") && operator.equals("contains")) {
      String text = value.toLowerCase(java.util.Locale.ROOT);
      return t -> articles.stream()
          .anyMatch(a -> a.ticketId() == t.id() && a.body().toLowerCase(java.util.Locale.ROOT).contains(text));
    }
    Function<Ticket, Instant> at = switch (name) {
      case "ticket.updated_at" -> Ticket::updatedAt;
      case "ticket.created_at" -> Ticket::createdAt;
      default -> null;
    };
    Instant time;
    try {
      time = Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
    return at == null ? null : switch (operator) {
      case "after (absolute)" -> t -> !at.apply(t).isBefore(time);
      case "before (absolute)" -> t -> !at.apply(t).isAfter(time);
      default -> null;
    };
  }

  // --- the store

  private Instant now() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    lastChange = now.isAfter(lastChange) ? now : lastChange.plusMillis(1);
    return lastChange;
  }

  private long customer(String email) {
    return customers.computeIfAbsent(email, e -> {
      long id = 100L + customers.size();
      users.put(id, new User(id, e, "", "", e));
      return id;
    });
  }

  private Ticket put(Ticket t) {
    tickets.put(t.id(), t);
    return t;
  }

  private Article addArticle(Ticket t, JsonNode a, long author) {
    Instant now = now();
    Article article = new Article(nextArticle++, t.id(), a.path("subject").asText(null), a.path("body").asText(),
        a.path("type").asText("note"), a.path("sender").asText("Agent"), a.path("internal").asBoolean(false),
        a.path("content_type").asText("text/plain"), author, now);
    articles.add(article);
    put(new Ticket(t.id(), t.number(), t.title(), t.group(), t.state(), t.customerId(), t.pendingTime(), t.createdAt(), now));
    return article;
  }

  /** As Zammad's attributes_with_association_names: ids and the names of sender, type, author. */
  private ObjectNode articleJson(Article a) {
    User author = users.get(a.createdById());
    return Json.mapper().createObjectNode()
        .put("id", a.id())
        .put("ticket_id", a.ticketId())
        .put("type_id", ARTICLE_TYPES.indexOf(a.type()) + 1)
        .put("type", a.type())
        .put("sender_id", List.of("Agent", "Customer", "System").indexOf(a.sender()) + 1)
        .put("sender", a.sender())
        .put("subject", a.subject())
        .put("body", a.body())
        .put("content_type", a.contentType())
        .put("internal", a.internal())
        .put("created_by_id", a.createdById())
        .put("created_by", author == null ? null : author.login())
        .put("updated_by_id", a.createdById())
        .put("created_at", a.createdAt().toString())
        .put("updated_at", a.createdAt().toString());
  }

  private static ObjectNode userJson(User u) {
    return Json.mapper().createObjectNode().put("id", u.id()).put("login", u.login()).put("firstname", u.firstname())
        .put("lastname", u.lastname()).put("email", u.email()).put("active", true);
  }

  private ObjectNode ticketJson(Ticket t, boolean names) {
    ObjectNode json = Json.mapper().createObjectNode()
        .put("id", t.id())
        .put("number", t.number())
        .put("title", t.title())
        .put("customer_id", t.customerId())
        .put("pending_time", t.pendingTime() == null ? null : t.pendingTime().toString())
        .put("created_at", t.createdAt().toString())
        .put("updated_at", t.updatedAt().toString());
    json.put("group_id", List.copyOf(groups).indexOf(t.group()) + 1);
    json.put("state_id", STATES.indexOf(t.state()) + 1);
    if (names) {
      json.put("group", t.group());
      json.put("state", t.state());
      json.put("customer", customerOf(t.id()));
    }
    return json;
  }

  private static String param(HttpUrl url, JsonNode body, String name) {
    String q = url.queryParameter(name);
    return q != null ? q : body.hasNonNull(name) ? body.get(name).asText() : null;
  }

  private static int intParam(HttpUrl url, JsonNode body, String name, int dflt) {
    String v = param(url, body, name);
    try {
      return v == null ? dflt : Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return 0; // Rails' "x".to_i
    }
  }

  private static MockResponse lookupError(String field, String value) {
    return error(422, "No lookup value found for '" + field + "': " + Json.write(value));
  }

  private static MockResponse notFound(String model, String id) {
    return error(404, "Couldn't find " + model + " with 'id'=" + id);
  }

  private static MockResponse error(int code, String message) {
    return json(code, Json.mapper().createObjectNode().put("error", message).put("error_human", message));
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
        .body(Json.write(body)).build();
  }
}
