package dev.forumdesk.helpdesk;

import static dev.forumdesk.helpdesk.HelpDeskHttp.abbreviate;
import static dev.forumdesk.helpdesk.HelpDeskHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.Query;

/**
 * Zammad through its REST API ({@code {baseUrl}/api/v1/}) with an access token ({@code
 * Authorization: Token token=...}), Retrofit + OkHttp.
 *
 * <ul>
 *   <li>A ticket is created in the group ({@code help-desk.queue}) with the customer's first
 *       message as its first article; its id (not its number) is the external id.
 *   <li>Zammad needs a customer for every ticket, and Telegram users have no email address: each
 *       gets a synthetic one, {@code tg-<Telegram user id>@telegram.invalid} ({@code customer_id:
 *       "guess:..."} creates that customer the first time), and the article starts "From: name".
 *   <li>The conversation follows as internal notes.
 *   <li>Status changes are read back with a ticket search by condition (updated_at after the
 *       cursor, ascending), which Zammad answers from its database, not from Elasticsearch, so
 *       they are seen at once and without a search index.
 * </ul>
 *
 * Errors become {@link HelpDeskException}s with one line naming the HTTP status and Zammad's
 * {@code error_human}, never the token.
 */
public final class Zammad implements HelpDesk {
  static final int PER_PAGE = 100;
  static final int MAX_PAGES = 20;
  /** When Zammad reminds the owner of a ticket put on hold here ("pending reminder" needs a time). */
  static final Duration HOLD_REMINDER = Duration.ofDays(7);

  /** The part of the REST API we call; answers are read as trees. */
  interface Rest {
    @SendOnce
    @POST("tickets")
    Call<JsonNode> create(@Body Map<String, Object> ticket);

    @PUT("tickets/{id}")
    Call<JsonNode> update(@Path("id") String id, @Body Map<String, Object> fields);

    @SendOnce
    @POST("ticket_articles")
    Call<JsonNode> article(@Body Map<String, Object> article);

    /** {@code expand=true}: a list of tickets with names (state, group) instead of ids. */
    @POST("tickets/search")
    Call<JsonNode> search(
        @Query("expand") boolean expand,
        @Query("page") int page,
        @Query("per_page") int perPage,
        @Body Map<String, Object> search);

    /** The token's own user: the author of everything Forumdesk writes. */
    @GET("users/me")
    Call<JsonNode> me();

    @GET("users/{id}")
    Call<JsonNode> user(@Path("id") String id);

    /** All articles of a ticket, oldest first, with sender and type by name. */
    @GET("ticket_articles/by_ticket/{id}")
    Call<JsonNode> articles(@Path("id") String ticketId);
  }

  private final String baseUrl;
  private final String group;
  private final String token;
  private final Rest api;
  /** The token's user id, once asked; agents' names by user id. */
  private volatile String me;
  private final Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

  public Zammad(String baseUrl, String group, String token, Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(timeout, "timeout");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("Zammad needs an access token");
    }
    this.baseUrl = HelpDeskHttp.base(baseUrl);
    this.group = group;
    this.token = token.strip();
    this.api = HelpDeskHttp.api(Rest.class, this.baseUrl + "/api/v1/", "Token token=" + this.token, timeout);
  }

  @Override
  public String kind() {
    return "zammad";
  }

  @Override
  public String url(String externalId) {
    return baseUrl + "/#ticket/zoom/" + externalId;
  }

  @Override
  public String create(NewTicket twin) {
    String subject = twin.subject();
    String title = subject == null || subject.isBlank() ? "(no subject)" : OneLine.of(subject);
    Map<String, Object> article = new LinkedHashMap<>();
    article.put("subject", title);
    article.put("body", twin.firstMessage(twin.content() == null || twin.content().isBlank() ? title : twin.content()));
    article.put("content_type", "text/plain");
    article.put("type", "note");
    article.put("sender", "Customer");
    article.put("internal", false);
    Map<String, Object> ticket = new LinkedHashMap<>();
    ticket.put("title", title);
    ticket.put("group", group);
    ticket.put("customer_id", "guess:" + customerEmail(twin.requestor()));
    ticket.put("article", article);
    JsonNode answer = call(api.create(ticket), "creating a ticket in group '" + group + "'", null);
    return HelpDeskHttp.createdId(answer, "Zammad");
  }

  /**
   * One ticket search by condition, answered from Zammad's database (a search with a condition and
   * no query never asks Elasticsearch, so a twin made a moment ago is found): created since then,
   * with an article whose body contains the marker; the oldest of the group's.
   */
  @Override
  public Optional<String> twinOf(String ticketId, Instant since) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(since, "since");
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("ticket.created_at", Map.of("operator", "after (absolute)", "value", since.toString()));
    condition.put("article.body", Map.of("operator", "contains", "value", TwinMarker.of(ticketId)));
    Map<String, Object> search = new LinkedHashMap<>();
    search.put("condition", condition);
    search.put("sort_by", "created_at");
    search.put("order_by", "asc");
    JsonNode answer = call(api.search(true, 1, PER_PAGE, search), "looking for the twin of " + ticketId, null);
    JsonNode items = HelpDeskHttp.array(answer, "Zammad", "the twin search");
    for (JsonNode item : items) {
      String id = text(item.get("id"));
      if (id != null && group.equals(text(item.get("group")))) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /** An internal note: agents see it, the (synthetic) customer is not mailed. */
  @Override
  public void comment(String externalId, String text) {
    Map<String, Object> article = new LinkedHashMap<>();
    article.put("ticket_id", idValue(externalId));
    article.put("body", text);
    article.put("content_type", "text/plain");
    article.put("type", "note");
    article.put("internal", true);
    call(api.article(article), "adding a note to Zammad ticket " + externalId, externalId);
  }

  /** The ticket's articles, one request: whether a note Forumdesk's user made since then carries the stamp. */
  @Override
  public boolean commented(String externalId, String eventId, Instant since) {
    String self = me();
    String stamp = TwinMarker.ofMessage(Objects.requireNonNull(eventId, "eventId"));
    for (JsonNode a : articles(externalId)) {
      Instant at = instant(text(a.get("created_at")));
      String body = text(a.get("body"));
      if (self.equals(text(a.get("created_by_id"))) && (at == null || !at.isBefore(since))
          && body != null && body.contains(stamp)) {
        return true;
      }
    }
    return false;
  }

  /** All articles of a ticket, oldest first. */
  private JsonNode articles(String ticketId) {
    JsonNode answer = call(api.articles(ticketId), "reading the articles of Zammad ticket " + ticketId, ticketId);
    return HelpDeskHttp.array(answer, "Zammad", "the articles of ticket " + ticketId);
  }

  @Override
  public void status(String externalId, Status status) {
    Objects.requireNonNull(status, "status");
    String state = toZammad(status);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("state", state);
    if (state.startsWith("pending")) {
      fields.put("pending_time", Instant.now().plus(HOLD_REMINDER).toString());
    }
    call(api.update(externalId, fields), "setting Zammad ticket " + externalId + " to '" + state + "'", externalId);
  }

  @Override
  public void title(String externalId, String title) {
    String t = OneLine.of(Objects.requireNonNull(title, "title"));
    call(api.update(externalId, Map.of("title", t)), "renaming Zammad ticket " + externalId + " to '" + abbreviate(t) + "'",
        externalId);
  }

  @Override
  public List<Change> changedSince(Instant since) {
    return changes(updatedSince(since));
  }

  /** Both from one search of the tickets updated since then: not the same search twice a pull. */
  @Override
  public Activity activitySince(Instant since) {
    List<Updated> tickets = updatedSince(since);
    return new Activity(changes(tickets), replies(tickets, since));
  }

  private static List<Change> changes(List<Updated> tickets) {
    return tickets.stream().filter(t -> t.status() != null)
        .map(t -> new Change(t.id(), t.status(), t.updatedAt())).toList();
  }

  /** A ticket of the group as the search found it; status null for a state we do not know. */
  private record Updated(String id, Status status, Instant updatedAt) {}

  /** The group's tickets updated after {@code since}, oldest first. */
  private List<Updated> updatedSince(Instant since) {
    Objects.requireNonNull(since, "since");
    Map<String, Object> search = new LinkedHashMap<>();
    // Zammad's "after (absolute)" is >= in SQL: the strictly-after is ours, below
    search.put("condition", Map.of("ticket.updated_at", Map.of("operator", "after (absolute)", "value", since.toString())));
    search.put("sort_by", "updated_at");
    search.put("order_by", "asc");
    List<Updated> changes = new ArrayList<>();
    boolean truncated = true;
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode answer = call(api.search(true, page, PER_PAGE, search), "searching tickets updated since " + since, null);
      JsonNode items = HelpDeskHttp.array(answer, "Zammad", "the ticket search");
      for (JsonNode item : items) {
        String id = text(item.get("id"));
        Status status = fromZammad(text(item.get("state")));
        Instant updated = instant(text(item.get("updated_at")));
        if (id != null && updated != null && updated.isAfter(since) && group.equals(text(item.get("group")))) {
          changes.add(new Updated(id, status, updated));
        }
      }
      if (items.size() < PER_PAGE) {
        truncated = false;
        break;
      }
    }
    return HelpDeskHttp.oldestFirst(changes, Updated::updatedAt, Comparator.comparing(Updated::id), truncated);
  }

  /**
   * The public articles agents wrote after {@code since} on the group's tickets: found through the
   * tickets updated since then (an article moves its ticket's updated_at), each ticket's articles
   * read whole. An article counts when it is not internal, its sender is "Agent", and its author
   * is not the token's own user (Forumdesk's first article and notes); the author's name is the
   * user's first and last name (asked once per user), else the login.
   */
  @Override
  public List<Reply> repliesSince(Instant since) {
    return replies(updatedSince(since), since);
  }

  /** The replies on {@code tickets} (updated since then, oldest first) after {@code since}. */
  private List<Reply> replies(List<Updated> tickets, Instant since) {
    if (tickets.isEmpty()) {
      return List.of();
    }
    // a ticket's article is never newer than the ticket: what the search left out stays out
    Instant until = tickets.getLast().updatedAt();
    String self = me();
    List<Reply> replies = new ArrayList<>();
    for (Updated t : tickets) {
      for (JsonNode a : articles(t.id())) {
        String id = text(a.get("id"));
        Instant at = instant(text(a.get("created_at")));
        String author = text(a.get("created_by_id"));
        if (id == null || at == null || !at.isAfter(since) || at.isAfter(until)
            || a.path("internal").asBoolean(true) || !"Agent".equals(text(a.get("sender")))
            || author == null || author.equals(self)) {
          continue;
        }
        HelpDesk.ReplyBody body = HelpDeskHttp.body(text(a.get("body")), text(a.get("content_type")));
        if (!body.text().isBlank()) {
          replies.add(new Reply(t.id(), id, body, name(author, text(a.get("created_by"))), at));
        }
      }
    }
    replies.sort(Comparator.comparing(Reply::at).thenComparing(r -> Long.parseLong(r.replyId())));
    return List.copyOf(replies);
  }

  /** The token's user id ({@code GET /users/me}), asked once. */
  private String me() {
    String id = me;
    if (id == null) {
      JsonNode user = call(api.me(), "asking who the token's user is", null);
      id = user == null ? null : text(user.get("id"));
      if (id == null) {
        throw new HelpDeskException("Zammad answered users/me without an id: " + abbreviate(String.valueOf(user)));
      }
      me = id;
    }
    return id;
  }

  /** "Firstname Lastname" of a user ({@code GET /users/{id}}), asked once; else the login. */
  private String name(String userId, String login) {
    String known = names.get(userId);
    if (known != null) {
      return known;
    }
    JsonNode user = call(api.user(userId), "asking the name of Zammad user " + userId, null);
    String full = user == null ? "" : (String.valueOf(Objects.requireNonNullElse(text(user.get("firstname")), "")) + " "
        + Objects.requireNonNullElse(text(user.get("lastname")), "")).strip();
    if (full.isEmpty()) {
      full = user != null && text(user.get("login")) != null ? text(user.get("login"))
          : login != null ? login : "Zammad user " + userId;
    }
    names.put(userId, full);
    return full;
  }

  @Override
  public boolean sameThere(Status a, Status b) {
    return toZammad(a).equals(toZammad(b));
  }

  /** Ours to Zammad's default states. */
  static String toZammad(Status status) {
    return switch (status) {
      case NEW -> "new";
      case IN_PROGRESS, ESCALATED, STALE -> "open";
      case ON_HOLD -> "pending reminder";
      case RESOLVED, CLOSED -> "closed";
    };
  }

  /** Zammad's default states to ours; null for one we do not know (an instance's own). */
  static Status fromZammad(String state) {
    if (state == null) {
      return null;
    }
    return switch (state.strip().toLowerCase(Locale.ROOT)) {
      case "new" -> Status.NEW;
      case "open" -> Status.IN_PROGRESS;
      case "pending reminder", "pending close" -> Status.ON_HOLD;
      case "closed", "merged", "removed" -> Status.RESOLVED;
      default -> null;
    };
  }

  /** The Telegram user's Zammad customer: {@link HelpDesk#customerAddress}. */
  static String customerEmail(Person customer) {
    return HelpDesk.customerAddress(customer);
  }

  /** Zammad's ids are numbers; sent as one when it is one. */
  private static Object idValue(String externalId) {
    try {
      return Long.parseLong(externalId.strip());
    } catch (NumberFormatException e) {
      return externalId;
    }
  }

  private static Instant instant(String value) {
    try {
      return value == null ? null : Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Runs the call; any non-2xx, IOException or unreadable answer becomes a HelpDeskException. */
  private JsonNode call(Call<JsonNode> call, String doing, String ticketId) {
    Response<JsonNode> r = HelpDeskHttp.execute(call, "Zammad", baseUrl, doing);
    if (r.isSuccessful()) {
      return r.body();
    }
    // Zammad does not echo the token; masked all the same, should a proxy do it
    String message = HelpDeskHttp.errorMessage(r.errorBody(), "error_human", "error").replace(token, "***");
    String detail = message.isEmpty() ? "" : ": " + message;
    throw new HelpDeskException(switch (r.code()) {
      case 401 -> "Zammad refused the token (FORUMDESK_HELPDESK_TOKEN): HTTP 401 while " + doing + detail;
      case 403 -> "Zammad answered HTTP 403 (the token's user lacks a permission) while " + doing + detail;
      case 404 -> ticketId != null
          ? "Zammad ticket " + ticketId + " does not exist (HTTP 404" + detail + ")"
          : "Zammad answered HTTP 404 while " + doing + detail + " (is help-desk.url Zammad's base URL?)";
      default -> "Zammad answered HTTP " + r.code() + " while " + doing + detail;
    }, r.code(), r.code() == 404 && ticketId != null);
  }
}
