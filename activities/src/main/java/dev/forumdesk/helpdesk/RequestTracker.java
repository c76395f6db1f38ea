package dev.forumdesk.helpdesk;

import static dev.forumdesk.helpdesk.HelpDeskHttp.abbreviate;
import static dev.forumdesk.helpdesk.HelpDeskHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.Query;

/**
 * Request Tracker 5 through its REST2 API ({@code {baseUrl}/REST/2.0/}), Retrofit + OkHttp.
 *
 * <p>A token ({@code Authorization: token ...}) wins over user and password (basic auth); every
 * request carries it ({@link HelpDeskHttp}).
 *
 * <p>RT answers a PUT with 200 and a list of messages even when it refused the change ("Status
 * 'x' isn't a valid status", "Can't change status ..."): a message that does not say "changed"
 * is a failure. Errors become {@link HelpDeskException}s with one line naming the HTTP status and
 * RT's message, never the credentials.
 */
public final class RequestTracker implements HelpDesk {
  static final int PER_PAGE = 100;
  static final int MAX_PAGES = 20;
  private static final DateTimeFormatter TICKET_SQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Who Forumdesk is in RT: a token (wins when set), or a user and password. */
  public record Credentials(String user, String password, String token) {
    public Credentials {
      boolean hasToken = token != null && !token.isBlank();
      if (!hasToken && (user == null || user.isBlank() || password == null)) {
        throw new IllegalArgumentException("RT credentials need a token, or a user and a password");
      }
    }

    public static Credentials token(String token) {
      return new Credentials(null, null, token);
    }

    public static Credentials basic(String user, String password) {
      return new Credentials(user, password, null);
    }

    String header() {
      if (token != null && !token.isBlank()) {
        return "token " + token.strip();
      }
      return okhttp3.Credentials.basic(user, password, StandardCharsets.UTF_8);
    }

    /** Never the password or the token: records print their fields otherwise. */
    @Override
    public String toString() {
      return token != null && !token.isBlank() ? "Credentials[token]" : "Credentials[user=" + user + "]";
    }
  }

  /** The part of REST2 we call. Answers are read as trees: RT's numbers are sometimes strings. */
  interface Rest2 {
    @SendOnce
    @POST("ticket")
    Call<JsonNode> create(@Body Map<String, Object> ticket);

    @PUT("ticket/{id}")
    Call<JsonNode> update(@Path("id") String id, @Body Map<String, Object> fields);

    @SendOnce
    @POST("ticket/{id}/comment")
    Call<JsonNode> comment(@Path("id") String id, @Body Map<String, Object> body);

    @GET("ticket/{id}")
    Call<JsonNode> ticket(@Path("id") String id);

    @GET("tickets")
    Call<JsonNode> search(
        @Query("query") String ticketSql,
        @Query("fields") String fields,
        @Query("orderby") String orderBy,
        @Query("order") String order,
        @Query("per_page") int perPage,
        @Query("page") int page);

    /** TransactionSQL; {@code fields[Creator]} expands the creator (RT 5's nested fields). */
    @GET("transactions")
    Call<JsonNode> transactions(
        @Query("query") String transactionSql,
        @Query("fields") String fields,
        @Query("fields[Creator]") String creatorFields,
        @Query("orderby") String orderBy,
        @Query("order") String order,
        @Query("per_page") int perPage,
        @Query("page") int page);

    /**
     * Attachments matching a JSON search, their content as text: conditions on one field are
     * joined with OR (REST2's "JSON searches").
     */
    @POST("attachments")
    Call<JsonNode> attachments(
        @Body List<Map<String, Object>> query,
        @Query("fields") String fields,
        @Query("per_page") int perPage,
        @Query("page") int page);

    /** A transaction's attachments: the message's MIME parts, their content as text. */
    @GET("transaction/{id}/attachments")
    Call<JsonNode> attachments(@Path("id") String id, @Query("fields") String fields, @Query("per_page") int perPage);
  }

  private final String baseUrl;
  private final String queue;
  private final Rest2 api;
  /** {@code help-desk.requestor-domain}: each Telegram user is the requestor {@code tg-<id>@<domain>}. */
  private final Optional<String> requestorDomain;

  public RequestTracker(String baseUrl, String queue, Credentials credentials, Duration timeout) {
    this(baseUrl, queue, credentials, timeout, Optional.empty());
  }

  /**
   * @param requestorDomain when present, a ticket's requestor is its customer's {@link
   *     HelpDesk#customerAddress(dev.forumdesk.ticket.Person, String)} there (RT makes the user the
   *     first time); empty: no requestor
   */
  public RequestTracker(String baseUrl, String queue, Credentials credentials, Duration timeout,
      Optional<String> requestorDomain) {
    this.requestorDomain = Objects.requireNonNull(requestorDomain, "requestorDomain");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(timeout, "timeout");
    this.baseUrl = HelpDeskHttp.base(baseUrl);
    this.queue = queue;
    this.api = HelpDeskHttp.api(Rest2.class, this.baseUrl + "/REST/2.0/", credentials.header(), timeout);
  }

  @Override
  public String kind() {
    return "request-tracker";
  }

  @Override
  public String url(String externalId) {
    return baseUrl + "/Ticket/Display.html?id=" + externalId;
  }

  @Override
  public String create(NewTicket ticket) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Queue", queue);
    body.put("Subject", ticket.subject() == null ? "" : OneLine.of(ticket.subject()));
    body.put("Content", ticket.firstMessage(ticket.content() == null ? "" : ticket.content()));
    body.put("ContentType", "text/plain");
    if (requestorDomain.isPresent() && ticket.requestor() != null && ticket.requestor().id() > 0) {
      body.put("Requestor", HelpDesk.customerAddress(ticket.requestor(), requestorDomain.get()));
    }
    JsonNode answer = call(api.create(body), "creating a ticket in queue '" + queue + "'", null);
    return HelpDeskHttp.createdId(answer, "RT");
  }

  /**
   * Two requests for up to a hundred candidates: the Create transactions Forumdesk's own user made
   * in the queue since then (TransactionSQL), then their messages ({@link #containing}). Not {@code Content LIKE} in TicketSQL: a stock RT
   * has full-text search disabled and then answers every Content condition with nothing, and RT
   * may store a message quoted-printable or base64, which no LIKE on the column sees through. Not
   * by Subject either: the topic may have been renamed since the lost attempt.
   */
  @Override
  public Optional<String> twinOf(String ticketId, Instant since) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(since, "since");
    String sql = "ObjectType = 'RT::Ticket' AND Type = 'Create' AND TicketQueue = '" + quote(queue)
        + "' AND Creator = '__CurrentUser__' AND Created >= '" + TICKET_SQL_TIME.format(since) + "'";
    Map<String, String> ticketOf = new LinkedHashMap<>(); // Create transaction → its ticket, oldest first
    search(page -> api.transactions(sql, "ObjectId", null, "id", "ASC", PER_PAGE, page),
        "looking for the twin of " + ticketId + " in queue '" + queue + "'", "transaction search", item -> {
          String transaction = text(item.get("id"));
          String ticket = text(item.get("ObjectId"));
          if (transaction != null && ticket != null) {
            ticketOf.put(transaction, ticket);
          }
        });
    return containing(ticketOf, TwinMarker.of(ticketId), "reading the first messages in queue '" + queue + "'")
        .stream().map(Long::parseLong).min(Long::compare).map(String::valueOf);
  }

  /**
   * Of the transactions ({@code ownerOf}: transaction → its ticket), the tickets of those whose
   * message contains {@code marker}: RT's messages as it decodes them, a hundred transactions a
   * request (an attachment search whose conditions on one field RT joins with OR; SQLite caps an
   * expression's depth at 1000). Stops at the first hundred with a match.
   */
  private List<String> containing(Map<String, String> ownerOf, String marker, String doing) {
    List<String> transactions = List.copyOf(ownerOf.keySet());
    for (int from = 0; from < transactions.size(); from += PER_PAGE) {
      List<Map<String, Object>> anyOf = transactions.subList(from, Math.min(from + PER_PAGE, transactions.size()))
          .stream().<Map<String, Object>>map(t -> Map.of("field", "TransactionId", "value", t)).toList();
      List<String> found = new ArrayList<>();
      search(page -> api.attachments(anyOf, "TransactionId,Content", PER_PAGE, page), doing, "attachment search",
          item -> {
            String owner = ownerOf.get(text(item.get("TransactionId")));
            String content = text(item.get("Content"));
            if (owner != null && content != null && content.contains(marker)) {
              found.add(owner);
            }
          });
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /**
   * The Comment transactions Forumdesk's own user made on the ticket since then, and their messages
   * (as {@link #twinOf}): whether one carries the message's stamp.
   */
  @Override
  public boolean commented(String externalId, String eventId, Instant since) {
    Objects.requireNonNull(eventId, "eventId");
    String sql = "ObjectType = 'RT::Ticket' AND ObjectId = '" + quote(externalId) + "' AND Type = 'Comment'"
        + " AND Creator = '__CurrentUser__' AND Created >= '" + TICKET_SQL_TIME.format(since) + "'";
    Map<String, String> comments = new LinkedHashMap<>();
    search(page -> api.transactions(sql, "ObjectId", null, "id", "ASC", PER_PAGE, page),
        "looking for message " + eventId + " on RT ticket " + externalId, "transaction search", item -> {
          String transaction = text(item.get("id"));
          if (transaction != null) {
            comments.put(transaction, transaction);
          }
        });
    return !containing(comments, TwinMarker.ofMessage(eventId), "reading the comments of RT ticket " + externalId)
        .isEmpty();
  }

  /**
   * {@code POST /ticket/{id}/comment}: 201 ["Comments added"]; a comment sends no mail to requestors.
   * RT answers a comment on a ticket that does not exist (deleted, shredded) with 400 "Message
   * could not be recorded", as it does a comment it will not take: after a 400 the ticket is read,
   * and its 404 is the error (the ticket is gone), else the 400 is (or the read's own failure).
   */
  @Override
  public void comment(String externalId, String text) {
    try {
      call(api.comment(externalId, Map.of("Content", text, "ContentType", "text/plain")),
          "commenting on RT ticket " + externalId, externalId);
    } catch (HelpDeskException e) {
      if (e.httpStatus() == 400) {
        call(api.ticket(externalId), "reading RT ticket " + externalId, externalId); // throws when it is gone
      }
      throw e;
    }
  }

  @Override
  public void status(String externalId, Status status) {
    Objects.requireNonNull(status, "status");
    String rt = toRt(status);
    update(externalId, "Status", rt);
  }

  @Override
  public void title(String externalId, String title) {
    update(externalId, "Subject", OneLine.of(Objects.requireNonNull(title, "title")));
  }

  /** Sets one field of an RT ticket; RT's 200 lists what it did, and a refusal is a failure. */
  private void update(String externalId, String field, String value) {
    String what = "setting the " + field + " of RT ticket " + externalId + " to '" + abbreviate(value) + "'";
    JsonNode answer = HelpDeskHttp.array(call(api.update(externalId, Map.of(field, value)), what, externalId), "RT",
        what);
    // [] = nothing to change (already so); otherwise every message must report a change
    for (JsonNode message : answer) {
      String m = message.isTextual() ? message.asText() : message.toString();
      if (!m.contains("changed")) {
        throw new HelpDeskException("RT refused " + what + ": " + OneLine.of(m));
      }
    }
  }

  @Override
  public List<Change> changedSince(Instant since) {
    Objects.requireNonNull(since, "since");
    String sql = "Queue = '" + quote(queue) + "' AND LastUpdated > '" + TICKET_SQL_TIME.format(since) + "'";
    List<Change> changes = new ArrayList<>();
    boolean truncated = search(page -> api.search(sql, "Status,LastUpdated", "LastUpdated", "ASC", PER_PAGE, page),
        "searching queue '" + queue + "'", "ticket search", item -> {
          String id = text(item.get("id"));
          Status status = fromRt(text(item.get("Status")));
          Instant updated = instant(text(item.get("LastUpdated")));
          if (id != null && status != null && updated != null) {
            changes.add(new Change(id, status, updated));
          }
        });
    return HelpDeskHttp.oldestFirst(changes, Change::updatedAt, Comparator.comparing(Change::externalId), truncated);
  }

  /**
   * Reads a REST2 search page by page, oldest first, handing each item on, until a page is the
   * last or {@link #MAX_PAGES} were read.
   *
   * @return whether the pages ran out before the results did
   */
  private boolean search(IntFunction<Call<JsonNode>> page, String doing, String what, Consumer<JsonNode> each) {
    for (int n = 1; n <= MAX_PAGES; n++) {
      JsonNode answer = call(page.apply(n), doing, null);
      JsonNode items = HelpDeskHttp.array(answer == null ? null : answer.get("items"), answer, "RT", "the " + what);
      items.forEach(each);
      long pages = number(answer.get("pages"));
      long perPage = number(answer.get("per_page"));
      if (items.isEmpty()
          || items.size() < (perPage > 0 ? perPage : PER_PAGE)
          || (pages >= 0 && n >= pages)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The Correspond transactions on the queue's tickets after {@code since}: in RT a reply to the
   * requestors is a Correspond, a comment is a Comment, and Forumdesk itself only ever writes the
   * ticket's Create and Comments, so every Correspond is a person's reply, whoever's login (even
   * Forumdesk's own, should an agent share it) was used. Each one's text is its first text/plain
   * part without a file name, else its first HTML part as text; one without either (only a file)
   * is left out.
   */
  @Override
  public List<Reply> repliesSince(Instant since) {
    Objects.requireNonNull(since, "since");
    String sql = "ObjectType = 'RT::Ticket' AND Type = 'Correspond' AND TicketQueue = '" + quote(queue)
        + "' AND Created > '" + TICKET_SQL_TIME.format(since) + "'";
    record Found(String transaction, String ticket, String author, Instant at) {}
    List<Found> found = new ArrayList<>();
    boolean truncated = search(
        page -> api.transactions(sql, "ObjectId,Created,Creator", "Name,RealName", "id", "ASC", PER_PAGE, page),
        "searching the replies in queue '" + queue + "'", "transaction search", item -> {
          String id = text(item.get("id"));
          String ticket = text(item.get("ObjectId"));
          Instant at = instant(text(item.get("Created")));
          JsonNode creator = item.path("Creator");
          String author = firstNonBlank(text(creator.get("RealName")), text(creator.get("Name")), text(creator.get("id")),
              "RT");
          if (id != null && ticket != null && at != null) {
            found.add(new Found(id, ticket, author, at));
          }
        });
    List<Reply> replies = new ArrayList<>();
    for (Found f : HelpDeskHttp.oldestFirst(found, Found::at,
        Comparator.comparing(f -> Long.parseLong(f.transaction())), truncated)) {
      HelpDesk.ReplyBody body = content(f.transaction());
      if (body != null && !body.text().isBlank()) {
        replies.add(new Reply(f.ticket(), f.transaction(), body, f.author(), f.at()));
      }
    }
    return List.copyOf(replies);
  }

  /** A Correspond's text: its first text/plain part that is not a file, else its first HTML part. */
  private HelpDesk.ReplyBody content(String transaction) {
    JsonNode answer = call(api.attachments(transaction, "Content,ContentType,Filename", PER_PAGE),
        "reading the reply of RT transaction " + transaction, null);
    JsonNode items = HelpDeskHttp.array(answer == null ? null : answer.get("items"), answer, "RT",
        "the attachments of transaction " + transaction);
    HelpDesk.ReplyBody html = null;
    for (JsonNode a : items) {
      String type = String.valueOf(text(a.get("ContentType"))).toLowerCase(java.util.Locale.ROOT);
      String file = text(a.get("Filename"));
      String content = text(a.get("Content"));
      if ((file != null && !file.isBlank()) || content == null || content.isBlank()) {
        continue;
      }
      if (type.startsWith("text/plain")) {
        return HelpDeskHttp.body(content, type);
      }
      if (html == null && type.startsWith("text/html")) {
        html = HelpDeskHttp.body(content, type);
      }
    }
    return html;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  /** Ours to RT's default lifecycle. */
  @Override
  public boolean sameThere(Status a, Status b) {
    return toRt(a).equals(toRt(b));
  }

  static String toRt(Status status) {
    return switch (status) {
      case NEW -> "new";
      case IN_PROGRESS, ESCALATED -> "open";
      case ON_HOLD, STALE -> "stalled";
      case RESOLVED, CLOSED -> "resolved";
    };
  }

  /** RT's default lifecycle to ours; null for a status we do not know (a custom lifecycle's). */
  static Status fromRt(String status) {
    if (status == null) {
      return null;
    }
    return switch (status.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "new" -> Status.NEW;
      case "open" -> Status.IN_PROGRESS;
      case "stalled" -> Status.ON_HOLD;
      case "resolved", "rejected", "deleted" -> Status.RESOLVED;
      default -> null;
    };
  }

  /** Runs the call; any non-2xx, IOException or unreadable answer becomes a HelpDeskException. */
  private JsonNode call(Call<JsonNode> call, String doing, String ticketId) {
    Response<JsonNode> r = HelpDeskHttp.execute(call, "RT", baseUrl, doing);
    if (r.isSuccessful()) {
      return r.body();
    }
    String message = HelpDeskHttp.errorMessage(r.errorBody(), "message");
    if (r.code() == 401) {
      throw new HelpDeskException("RT refused the credentials (FORUMDESK_HELPDESK_USER/PASSWORD or TOKEN): HTTP 401 while "
          + doing + (message.isEmpty() ? "" : ": " + message), 401, false);
    }
    if (r.code() == 404 && ticketId != null) {
      throw new HelpDeskException("RT ticket " + ticketId + " does not exist (HTTP 404"
          + (message.isEmpty() ? "" : ": " + message) + ")", 404, true);
    }
    throw new HelpDeskException("RT answered HTTP " + r.code() + " while " + doing
        + (message.isEmpty() ? "" : ": " + message), r.code(), false);
  }

  /** A count that RT sends as 1, "1" or 0.0; -1 when missing or unreadable. */
  private static long number(JsonNode node) {
    if (node == null || node.isNull()) {
      return -1;
    }
    if (node.isNumber()) {
      return (long) Math.ceil(node.asDouble());
    }
    try {
      return (long) Math.ceil(Double.parseDouble(node.asText().strip()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** RT's ISO-8601 ("2026-12-03T12:36:31Z"), or its SQL form in UTC ("2026-12-03 12:36:31"). */
  private static Instant instant(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return TICKET_SQL_TIME.parse(v, Instant::from);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Inside a single-quoted TicketSQL value. */
  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
