package dev.forumdesk.helpdesk;

import static dev.forumdesk.helpdesk.NewTickets.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.helpdesk.HelpDesk.Change;
import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Zammad} against {@link FakeZammad}, which answers as Zammad's REST API does. */
class ZammadTest {
  static final Person BOB = new Person(5001, "Bob", "bob");
  static final Person ALICE = new Person(5002, "Alice", "alice");
  static final String TOKEN = "zammad-S3cret-token";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  FakeZammad fake;
  Zammad zammad;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeZammad(TOKEN, "Other");
    zammad = new Zammad(fake.url() + "/", "Users", TOKEN, TIMEOUT);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  static Change changeOf(List<Change> changes, String id) {
    return changes.stream().filter(c -> c.externalId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("ticket " + id + " not among " + changes));
  }

  @Test
  void createsTheTicketInTheGroupWithTheFirstMessageAndOurTicketFromASyntheticCustomer() throws Exception {
    assertThat(zammad.kind()).isEqualTo("zammad");

    String id = zammad.create(new HelpDesk.NewTicket("ticket-7-1", "Printer on fire", "It burns.\nPlease help.", BOB));

    assertThat(id).isEqualTo("1");
    assertThat(zammad.url(id)).isEqualTo(fake.url() + "/#ticket/zoom/1");
    FakeZammad.Ticket t = fake.ticket(1);
    assertThat(t.title()).isEqualTo("Printer on fire");
    assertThat(t.group()).isEqualTo("Users");
    assertThat(t.state()).isEqualTo("new");
    assertThat(fake.articles(1)).singleElement().satisfies(a -> {
      assertThat(a.body()).isEqualTo("From: Bob\n\nIt burns.\nPlease help.\n\n(Forumdesk ticket-7-1)");
      assertThat(a.internal()).isFalse();
      assertThat(a.sender()).isEqualTo("Customer");
      assertThat(a.type()).isEqualTo("note");
      assertThat(a.contentType()).isEqualTo("text/plain");
    });
    assertThat(fake.customerOf(1)).isEqualTo(Zammad.customerEmail(BOB)).isEqualTo("tg-5001@telegram.invalid");

    RecordedRequest request = fake.requests().getFirst();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/tickets");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token=" + TOKEN);
    JsonNode sent = Json.mapper().readTree(request.getBody().utf8());
    assertThat(sent.path("customer_id").asText()).isEqualTo("guess:tg-5001@telegram.invalid");

    // the same Telegram user is the same customer; another one is another
    zammad.create(ticket("Again", "still burning", BOB));
    zammad.create(ticket("Mine too", "smoke", ALICE));
    assertThat(fake.customerOf(2)).isEqualTo(fake.customerOf(1));
    assertThat(fake.customerOf(3)).isNotEqualTo(fake.customerOf(1));
  }

  /**
   * The audit's lost answer, on Zammad: the ticket is made but the answer never arrives. The retry
   * finds it with one search by condition (created since the attempt, the marker in an article)
   * and posts no second ticket; another Forumdesk ticket's twin whose marker starts like it is left
   * alone. The first attempt asks nothing but the create.
   */
  @Test
  void aCreateWhoseAnswerWasLostIsFoundByTheRetryNotMadeTwice() throws Exception {
    String other = zammad.create(new HelpDesk.NewTicket("ticket-90-12", "Refund during outage", "me too", ALICE));
    Zammad impatient = new Zammad(fake.url(), "Users", TOKEN, Duration.ofSeconds(1));
    HelpDesk.NewTicket ticket = new HelpDesk.NewTicket("ticket-90-1", "Refund during outage", "charged twice", BOB);
    Instant tried = Instant.now();
    int before = fake.requests().size();
    fake.loseAnswers(true);
    assertThatThrownBy(() -> impatient.create(ticket, Optional.empty())).isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("Zammad unreachable").hasMessageContaining("timeout");
    assertThat(fake.requests()).hasSize(before + 1); // the create alone
    fake.loseAnswers(false);
    assertThat(fake.tickets()).hasSize(2);

    String id = impatient.create(ticket, Optional.of(tried));

    assertThat(fake.tickets()).extracting(t -> Long.toString(t.id())).containsExactly(other, id);
    assertThat(fake.articles(Long.parseLong(id))).first()
        .satisfies(a -> assertThat(a.body()).endsWith("charged twice\n\n(Forumdesk ticket-90-1)"));
    RecordedRequest retry = fake.requests().getLast();
    assertThat(fake.requests()).hasSize(before + 2);
    assertThat(retry.getUrl().encodedPath()).isEqualTo("/api/v1/tickets/search");
    JsonNode condition = Json.mapper().readTree(retry.getBody().utf8()).path("condition");
    assertThat(condition.path("article.body").path("value").asText()).isEqualTo("(Forumdesk ticket-90-1)");
    assertThat(Instant.parse(condition.path("ticket.created_at").path("value").asText()))
        .isEqualTo(tried.minus(HelpDesk.CLOCK_SKEW));
  }

  @Test
  void aRetryCreatesTheTwinWhenNoAttemptMadeItAndOnlyInItsGroup() {
    Zammad other = new Zammad(fake.url(), "Other", TOKEN, TIMEOUT);
    Instant tried = Instant.now();
    HelpDesk.NewTicket ticket = new HelpDesk.NewTicket("ticket-91-1", "Lost in transit", "where is it", BOB);
    String elsewhere = other.create(ticket, Optional.of(tried)); // another Forumdesk's group: not ours

    String id = zammad.create(ticket, Optional.of(tried));

    assertThat(id).isNotEqualTo(elsewhere);
    assertThat(fake.ticket(Long.parseLong(id)).group()).isEqualTo("Users");
    assertThat(zammad.create(ticket, Optional.of(tried))).as("found now").isEqualTo(id);
    assertThat(fake.tickets()).hasSize(2);
    assertThat(zammad.twinOf("ticket-91-1", Instant.now().plusSeconds(60))).as("created before then").isEmpty();
  }

  @Test
  void theSyntheticAddressIsTheTelegramAccountWhateverItsName() {
    assertThat(Zammad.customerEmail(BOB)).isEqualTo("tg-5001@telegram.invalid"); // README
    assertThat(Zammad.customerEmail(new Person(5001, "Robert", "bob"))).as("renamed: the same customer")
        .isEqualTo(Zammad.customerEmail(BOB));
    assertThat(Zammad.customerEmail(new Person(5003, "Bob", null))).as("another Bob: another customer")
        .isNotEqualTo(Zammad.customerEmail(BOB));
    assertThat(Zammad.customerEmail(null)).isEqualTo("tg-customer@telegram.invalid");
  }

  @Test
  void aRenamedTopicRenamesTheTicketAndAMissingOneFails() throws Exception {
    String id = zammad.create(ticket("Refund", "charged twice", BOB));

    zammad.title(id, "[Billing] Refund");
    assertThat(fake.ticket(1).title()).isEqualTo("[Billing] Refund");

    assertThatThrownBy(() -> zammad.title("999", "x")).isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("404");
  }

  @Test
  void aCommentIsAnInternalNoteAndMovesTheTicketsUpdatedAt() throws Exception {
    String id = zammad.create(ticket("Refund", "charged twice", BOB));
    Instant before = fake.ticket(1).updatedAt();

    zammad.comment(id, "Alice (agent): Looking into it\nsecond line");

    assertThat(fake.articles(1)).hasSize(2).last().satisfies(a -> {
      assertThat(a.body()).isEqualTo("Alice (agent): Looking into it\nsecond line");
      assertThat(a.internal()).isTrue();
      assertThat(a.type()).isEqualTo("note");
    });
    assertThat(fake.ticket(1).updatedAt()).isAfter(before);
    // a note changes no state: its echo in changedSince is the state we know
    assertThat(changeOf(zammad.changedSince(before), id).status()).isEqualTo(Status.NEW);
  }

  @Test
  void everyStatusSetsItsStateThereAndChangedSinceReadsItBack() {
    String id = zammad.create(ticket("Round trip", "content", null));
    Map<Status, String> there = new LinkedHashMap<>();
    there.put(Status.IN_PROGRESS, "open");
    there.put(Status.ON_HOLD, "pending reminder");
    there.put(Status.ESCALATED, "open");
    there.put(Status.STALE, "open");
    there.put(Status.RESOLVED, "closed");
    there.put(Status.NEW, "new");
    there.put(Status.CLOSED, "closed");
    Map<String, Status> back = Map.of("open", Status.IN_PROGRESS, "pending reminder", Status.ON_HOLD,
        "closed", Status.RESOLVED, "new", Status.NEW);
    for (Map.Entry<Status, String> e : there.entrySet()) {
      zammad.status(id, e.getKey());
      FakeZammad.Ticket t = fake.ticket(1);
      assertThat(t.state()).as(e.getKey().name()).isEqualTo(e.getValue());
      Change change = changeOf(zammad.changedSince(Instant.EPOCH), id);
      assertThat(change.status()).as(e.getKey().name()).isEqualTo(back.get(e.getValue()));
      assertThat(change.updatedAt()).isEqualTo(t.updatedAt());
      if (e.getKey() == Status.ON_HOLD) {
        assertThat(t.pendingTime()).isBetween(Instant.now().plus(Zammad.HOLD_REMINDER).minusSeconds(60),
            Instant.now().plus(Zammad.HOLD_REMINDER));
      }
    }
    // Zammad's own states: pending close is a hold, merged a resolve
    fake.setState(1, "pending close");
    assertThat(changeOf(zammad.changedSince(Instant.EPOCH), id).status()).isEqualTo(Status.ON_HOLD);
    fake.setState(1, "merged");
    assertThat(changeOf(zammad.changedSince(Instant.EPOCH), id).status()).isEqualTo(Status.RESOLVED);
  }

  @Test
  void statusesThatAreOneStateInZammadAreTheSameThere() {
    assertThat(zammad.sameThere(Status.ESCALATED, Status.IN_PROGRESS)).isTrue();
    assertThat(zammad.sameThere(Status.STALE, Status.IN_PROGRESS)).isTrue();
    assertThat(zammad.sameThere(Status.CLOSED, Status.RESOLVED)).isTrue();
    assertThat(zammad.sameThere(Status.ON_HOLD, Status.STALE)).isFalse();
    assertThat(zammad.sameThere(Status.NEW, Status.IN_PROGRESS)).isFalse();
    assertThat(zammad.sameThere(Status.RESOLVED, Status.IN_PROGRESS)).isFalse();
  }

  @Test
  void changedSinceReportsOnlyLaterChangesInItsOwnGroupOldestFirst() throws Exception {
    Zammad other = new Zammad(fake.url(), "Other", TOKEN, TIMEOUT);
    String a = zammad.create(ticket("A", "a", null));
    Instant aTime = fake.ticket(1).updatedAt();
    String b = zammad.create(ticket("B", "b", null));
    String c = other.create(ticket("C", "c", null));
    fake.setState(Long.parseLong(a), "closed"); // a change in Zammad: now A is the newest
    zammad.status(b, Status.IN_PROGRESS);

    List<Change> later = zammad.changedSince(aTime);
    assertThat(later).extracting(Change::externalId).containsExactly(a, b);
    assertThat(changeOf(later, a).status()).isEqualTo(Status.RESOLVED);
    assertThat(later).isSortedAccordingTo(Comparator.comparing(Change::updatedAt));
    // strictly after: at B's own time B is left out
    Instant bTime = changeOf(later, b).updatedAt();
    assertThat(zammad.changedSince(bTime)).isEmpty();
    assertThat(zammad.changedSince(bTime.minusMillis(1))).extracting(Change::externalId).containsExactly(b);

    assertThat(other.changedSince(Instant.EPOCH)).extracting(Change::externalId).containsExactly(c);
    assertThat(zammad.changedSince(Instant.now().plusSeconds(3600))).isEmpty();

    RecordedRequest search = fake.requests().getLast();
    assertThat(search.getMethod()).isEqualTo("POST");
    assertThat(search.getUrl().encodedPath()).isEqualTo("/api/v1/tickets/search");
    assertThat(search.getUrl().queryParameter("expand")).isEqualTo("true");
    JsonNode body = Json.mapper().readTree(search.getBody().utf8());
    assertThat(body.path("condition").path("ticket.updated_at").path("operator").asText()).isEqualTo("after (absolute)");
    assertThat(body.path("sort_by").asText()).isEqualTo("updated_at");
    assertThat(body.path("order_by").asText()).isEqualTo("asc");
  }

  @Test
  void changedSinceFollowsThePages() {
    for (int i = 0; i < 150; i++) {
      fake.open("T" + i, "Users");
    }
    fake.setState(7, "closed");
    int before = fake.requests().size();

    List<Change> changes = zammad.changedSince(Instant.EPOCH);

    assertThat(changes).hasSize(150);
    assertThat(changes).isSortedAccordingTo(Comparator.comparing(Change::updatedAt));
    assertThat(changes.getLast()).extracting(Change::externalId, Change::status).containsExactly("7", Status.RESOLVED);
    List<RecordedRequest> searches = fake.requests().subList(before, fake.requests().size());
    assertThat(searches).extracting(r -> r.getUrl().queryParameter("page")).containsExactly("1", "2");
    assertThat(searches).extracting(r -> r.getUrl().queryParameter("per_page")).containsOnly("100");
  }

  @Test
  void aWrongTokenIsReportedAsRefusedOnOneLineWithoutTheToken() {
    Zammad wrong = new Zammad(fake.url(), "Users", "not-the-Zammad-t0ken", TIMEOUT);
    assertThatThrownBy(() -> wrong.create(ticket("x", "y", BOB)))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("Zammad refused the token (FORUMDESK_HELPDESK_TOKEN): HTTP 401")
        .hasMessageContaining("Can't find User for Token")
        .message().doesNotContain("not-the-Zammad-t0ken").doesNotContain("\n");
    assertThatThrownBy(() -> wrong.changedSince(Instant.EPOCH))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("401")
        .message().doesNotContain("t0ken");
    assertThat(fake.tickets()).isEmpty();
  }

  @Test
  void anUnknownGroupIsZammadsLookupErrorAndAMissingTicketSaysSo() {
    Zammad nowhere = new Zammad(fake.url(), "No Such Group", TOKEN, TIMEOUT);
    assertThatThrownBy(() -> nowhere.create(ticket("x", "y", null)))
        .isInstanceOf(HelpDeskException.class)
        .hasMessage("Zammad answered HTTP 422 while creating a ticket in group 'No Such Group': "
            + "No lookup value found for 'group': \"No Such Group\"")
        .satisfies(e -> assertThat(((HelpDeskException) e).refusedForGood()).as("a 422 is refused for good").isTrue())
        .satisfies(e -> assertThat(((HelpDeskException) e).ticketGone()).isFalse());
    assertThatThrownBy(() -> zammad.status("987", Status.RESOLVED))
        .isInstanceOf(HelpDeskException.class)
        .hasMessage("Zammad ticket 987 does not exist (HTTP 404: Couldn't find Ticket with 'id'=987)")
        .satisfies(e -> assertThat(((HelpDeskException) e).ticketGone()).as("the sync makes the twin again").isTrue());
    assertThatThrownBy(() -> zammad.comment("987", "hello"))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageStartingWith("Zammad ticket 987 does not exist")
        .satisfies(e -> assertThat(((HelpDeskException) e).ticketGone()).isTrue())
        .satisfies(e -> assertThat(((HelpDeskException) e).refusedForGood()).isFalse());
  }

  @Test
  void anUnreachableZammadIsOneLineNamingTheUrl() {
    Zammad down = new Zammad("http://127.0.0.1:1", "Users", TOKEN, Duration.ofSeconds(2));
    assertThatThrownBy(() -> down.create(ticket("x", "y", null)))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageStartingWith("Zammad unreachable at http://127.0.0.1:1 while creating a ticket")
        .message().doesNotContain("\n").doesNotContain(TOKEN);
  }

  @Test
  void aTokenIsRequired() {
    assertThatThrownBy(() -> new Zammad(fake.url(), "Users", " ", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- the fake holds to Zammad's rules, so the tests above mean something

  @Test
  void repliesSinceReadsAgentsPublicArticlesNotNotesNorForumdesksOwnOldestFirst() throws Exception {
    String id = zammad.create(ticket("Refund", "charged twice", BOB)); // article 1: Forumdesk's, as the customer
    zammad.comment(id, "Bob (customer): still waiting"); // Forumdesk's internal note
    Instant before = fake.ticket(1).updatedAt();
    long anna = fake.agent("Anna", "Agent");
    long ben = fake.agent("Ben", "");
    FakeZammad.Article first = fake.write(1, anna, "Hello Bob,\nwe refunded you.", "text/plain", false);
    fake.write(1, ben, "internal: check the bank", "text/plain", true); // a note among agents
    FakeZammad.Article second = fake.write(1, ben, "<div>Done &amp; <b>closed</b></div><div>Ben</div>", "text/html", false);
    long other = fake.open("Elsewhere", "Other");
    fake.write(other, anna, "another group", "text/plain", false);

    List<HelpDesk.Reply> replies = zammad.repliesSince(Instant.EPOCH);

    assertThat(replies).containsExactly(
        new HelpDesk.Reply(id, Long.toString(first.id()), "Anna Agent", "Hello Bob,\nwe refunded you.", first.createdAt()),
        new HelpDesk.Reply(id, Long.toString(second.id()), "Ben", "Done & closed\nBen", second.createdAt()));
    // strictly after: the first reply's own time leaves it out
    assertThat(zammad.repliesSince(first.createdAt())).extracting(HelpDesk.Reply::replyId)
        .containsExactly(Long.toString(second.id()));
    assertThat(zammad.repliesSince(before)).hasSize(2);
    assertThat(zammad.repliesSince(second.createdAt())).isEmpty();

    // the token's user is asked once; each agent's name once
    assertThat(fake.requests()).filteredOn(r -> r.getUrl().encodedPath().equals("/api/v1/users/me")).hasSize(1);
    assertThat(fake.requests()).filteredOn(r -> r.getUrl().encodedPath().equals("/api/v1/users/" + anna)).hasSize(1);
    assertThat(fake.requests()).filteredOn(r -> r.getUrl().encodedPath().equals("/api/v1/ticket_articles/by_ticket/1"))
        .isNotEmpty().allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token token=" + TOKEN));
  }

  /**
   * The audit saw each pull send the same ticket search twice (once for the status changes, once
   * for the replies): one pull is one search, with the same changes and replies as both asked apart.
   */
  @Test
  void onePullIsOneTicketSearch() throws Exception {
    String id = zammad.create(ticket("Refund", "charged twice", BOB));
    long anna = fake.agent("Anna", "Agent");
    FakeZammad.Article reply = fake.write(1, anna, "Refunded.", "text/plain", false);
    fake.setState(1, "closed");
    long before = fake.calls("POST", "/api/v1/tickets/search");

    HelpDesk.Activity activity = zammad.activitySince(Instant.EPOCH);

    assertThat(fake.calls("POST", "/api/v1/tickets/search") - before).isEqualTo(1);
    assertThat(activity.changes()).isEqualTo(zammad.changedSince(Instant.EPOCH));
    assertThat(activity.changes()).extracting(Change::externalId, Change::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple(id, Status.RESOLVED));
    assertThat(activity.replies()).isEqualTo(zammad.repliesSince(Instant.EPOCH))
        .extracting(HelpDesk.Reply::replyId).containsExactly(Long.toString(reply.id()));
  }

  /**
   * A note ends with its message's stamp; a retry after a lost answer finds it among the ticket's
   * articles and writes nothing, one whose earlier attempt never reached Zammad writes it.
   */
  @Test
  void aCommentIsStampedAndARetryFindsItInsteadOfWritingItTwice() {
    String id = zammad.create(ticket("Refund", "charged twice", BOB));
    Instant tried = Instant.now();
    zammad.comment(id, "Alice (agent): anything else?", "u7", Optional.empty());
    assertThat(fake.articles(1)).last().extracting(FakeZammad.Article::body)
        .isEqualTo("Alice (agent): anything else?\n\n(Forumdesk message u7)");

    assertThat(zammad.commented(id, "u7", tried.minus(HelpDesk.CLOCK_SKEW))).isTrue();
    assertThat(zammad.commented(id, "u70", tried.minus(HelpDesk.CLOCK_SKEW))).as("u7 is not u70").isFalse();
    zammad.comment(id, "Alice (agent): anything else?", "u7", Optional.of(tried));
    zammad.comment(id, "Bob (customer): no, thanks", "u8", Optional.of(tried));

    assertThat(fake.articles(1)).extracting(FakeZammad.Article::body).containsExactly(
        fake.articles(1).getFirst().body(),
        "Alice (agent): anything else?\n\n(Forumdesk message u7)",
        "Bob (customer): no, thanks\n\n(Forumdesk message u8)");
  }

  @Test
  void theFakesArticlesAreZammadsShape() throws Exception {
    zammad.create(ticket("Refund", "charged twice", BOB));
    long anna = fake.agent("Anna", "Agent");
    fake.write(1, anna, "Hello", "text/plain", false);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(fake.url() + "/api/v1/ticket_articles/by_ticket/1"))
        .header("Authorization", "Token token=" + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode articles = Json.mapper().readTree(r.body());
    assertThat(articles).hasSize(2);
    assertThat(articles.get(0).path("sender").asText()).isEqualTo("Customer");
    assertThat(articles.get(0).path("created_by_id").asLong()).isEqualTo(FakeZammad.TOKEN_USER);
    assertThat(articles.get(1).path("sender").asText()).isEqualTo("Agent");
    assertThat(articles.get(1).path("type").asText()).isEqualTo("email");
    assertThat(articles.get(1).path("internal").asBoolean()).isFalse();
    assertThat(articles.get(1).path("created_by_id").asLong()).isEqualTo(anna);
    assertThat(articles.get(1).path("created_by").asText()).isEqualTo("anna.agent@example.com");
    HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(fake.url() + "/api/v1/ticket_articles/by_ticket/9"))
        .header("Authorization", "Token token=" + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void theFakeRefusesAsZammadDoes() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    zammad.create(ticket("x", "y", null));
    record Answer(int code, JsonNode json) {}
    java.util.function.BiFunction<String, String[], Answer> send = (method, pathAndBody) -> {
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.url() + pathAndBody[0]))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(pathAndBody.length > 1 ? pathAndBody[1] : ""));
        if (pathAndBody.length > 2) {
          b.header("Authorization", pathAndBody[2]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.mapper().readTree(r.body()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    String auth = "Token token=" + TOKEN;

    Answer anonymous = send.apply("GET", new String[] {"/api/v1/tickets/1"});
    assertThat(anonymous.code()).isEqualTo(403);
    assertThat(anonymous.json().path("error").asText()).isEqualTo("Authentication required");
    assertThat(send.apply("GET", new String[] {"/api/v1/tickets/1", "", "Token token=wrong"}).code()).isEqualTo(401);
    assertThat(send.apply("GET", new String[] {"/api/v1/tickets/1", "", auth}).json().path("title").asText()).isEqualTo("x");

    Answer badState = send.apply("PUT", new String[] {"/api/v1/tickets/1", "{\"state\":\"solved\"}", auth});
    assertThat(badState.code()).isEqualTo(422);
    assertThat(badState.json().path("error_human").asText()).isEqualTo("No lookup value found for 'state': \"solved\"");
    assertThat(send.apply("PUT", new String[] {"/api/v1/tickets/1", "{\"state\":\"pending reminder\"}", auth}).code())
        .isEqualTo(422);
    assertThat(fake.ticket(1).state()).isEqualTo("new");
    assertThat(send.apply("PUT", new String[] {"/api/v1/tickets/9", "{\"state\":\"open\"}", auth}).code()).isEqualTo(404);
    assertThat(send.apply("POST", new String[] {"/api/v1/tickets", "{\"title\":\"t\",\"group\":\"Users\"}", auth}).code())
        .isEqualTo(422); // no customer
    assertThat(send.apply("POST", new String[] {"/api/v1/tickets",
        "{\"title\":\"t\",\"group\":\"Users\",\"customer_id\":\"guess:not-an-address\"}", auth}).code()).isEqualTo(422);

    // not expanded, a search answers ids and assets, newest first by default
    fake.setState(1, "open");
    zammad.create(ticket("z", "z", null));
    JsonNode plain = send.apply("GET", new String[] {"/api/v1/tickets/search?per_page=5", "", auth}).json();
    assertThat(plain.path("tickets")).extracting(JsonNode::asLong).containsExactly(2L, 1L);
    assertThat(plain.path("assets").path("Ticket").path("1").path("state_id").asInt()).isEqualTo(2);
  }
}
