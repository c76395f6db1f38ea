package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.config.OperationsConfig;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.IdempotencyKeys;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/tickets} filters against the real Helidon server and H2: tickets of the read model
 * and one whose opening update still waits in the inbox (Temporal is unreachable here).
 */
class TicketApiTest {
  static final long CHAT = -1001234567890L;
  static final String WAITING = "ticket-" + CHAT + "-42";

  @TempDir Path dir;
  Database db;
  WorkflowServiceStubs stubs;
  WebServer server;
  ForumdeskConfig config;
  UpdateClassifier classifier;
  Inbox inbox;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    db = Database.embedded(dir);
    config = ConfigLoader.fromYaml("""
        support: {chat-id: %d}
        sla:
          business-hours: {zone: Europe/Berlin, days: MON-FRI, from: "09:00", to: "18:00"}
        agents:
          - {id: 1001, name: Alice, username: alice}
        """.formatted(CHAT));
    classifier = new UpdateClassifier(config, (c, t) -> Optional.empty());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + closedPort).build());
    TicketGateway gateway = new TicketGateway(WorkflowClient.newInstance(stubs), config, "forumdesk", false);
    inbox = new Inbox(db);
    new Ingress(inbox, classifier, new SimpleMeterRegistry(), () -> {})
        .accept(UpdateJson.topicCreated(1, CHAT, 42, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Refund", 1_700_000_000L));
    Person bob = new Person(5001, "Bob", "bob");
    TestTickets.projectIn(db, "bob-working", bob, Status.IN_PROGRESS);
    TestTickets.projectIn(db, "bob-held", bob, Status.ON_HOLD);
    TestTickets.projectIn(db, "bob-resolved", bob, Status.RESOLVED);
    TestTickets.projectIn(db, "eve-new", new Person(5002, "Eve", "Eve_Online"), Status.NEW);
    server = serve(gateway, OperationsConfig.defaults().actionTimeout());
  }

  /** The API on its own port, its actions sent through {@code gateway}. */
  WebServer serve(TicketGateway gateway, Duration actionTimeout) {
    return WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/api", new TicketApi(TicketStore.forReaders(db), new QueuedTickets(inbox, classifier,
            gateway), config, gateway, new Roster(db, config::agents), HelpDeskTwins.NONE, actionTimeout,
            new IdempotencyKeys(db), new ApiActions(db))))
        .build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
    stubs.shutdownNow();
    db.close();
  }

  /** {@code hold} on bob-working through {@code api}, with that Idempotency-Key. */
  HttpResponse<String> hold(WebServer api, String idempotencyKey) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + api.port() + "/api/tickets/bob-working/actions"))
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"hold\",\"actor\":1001}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The ids listed, newest first. */
  List<String> ids(String query) throws Exception {
    HttpResponse<String> r = get("/api/tickets?" + query);
    assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode t : Json.mapper().readTree(r.body())) {
      ids.add(t.path("id").asText());
    }
    return ids;
  }

  @Test
  void statusTakesACommaListInAnyCaseWithSpaces() throws Exception {
    assertThat(ids("status=NEW,IN_PROGRESS")).containsExactlyInAnyOrder(WAITING, "bob-working", "eve-new");
    assertThat(ids("status=%20on_hold%20,%20Resolved")).containsExactlyInAnyOrder("bob-held", "bob-resolved");
    assertThat(ids("status=new")).as("one value, as before").containsExactlyInAnyOrder(WAITING, "eve-new");
    assertThat(ids("status=RESOLVED,CLOSED")).as("a waiting ticket is NEW").containsExactly("bob-resolved");
  }

  @Test
  void anUnknownStatusIs400NamingItAndTheAllowedValues() throws Exception {
    HttpResponse<String> r = get("/api/tickets?status=NEW,BANANA");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(r.body()).path("error").asText()).isEqualTo(
        "status BANANA is unknown; status must be one or more (comma-separated) of"
            + " [NEW, IN_PROGRESS, ON_HOLD, ESCALATED, STALE, RESOLVED, CLOSED]");
    assertThat(get("/api/tickets?status=,").statusCode()).as("no value at all").isEqualTo(400);
  }

  @Test
  void customerIsAnIdOrAUsernameWithOrWithoutTheAtInAnyCase() throws Exception {
    List<String> bobs = List.of(WAITING, "bob-working", "bob-held", "bob-resolved");
    assertThat(ids("customer=5001")).containsExactlyInAnyOrderElementsOf(bobs);
    assertThat(ids("customer=%40BOB")).containsExactlyInAnyOrderElementsOf(bobs);
    assertThat(ids("customer=bob")).containsExactlyInAnyOrderElementsOf(bobs);
    assertThat(ids("customer=eve_online")).containsExactly("eve-new");
    assertThat(ids("customer=@nobody")).as("customers are not configured: no ticket, no error").isEmpty();
    assertThat(ids("customer=bob&status=NEW,RESOLVED")).containsExactlyInAnyOrder(WAITING, "bob-resolved");
    assertThat(get("/api/tickets?customer=@").statusCode()).isEqualTo(400);
  }

  @Test
  void assigneeAndLimitAnswerAsBefore() throws Exception {
    assertThat(ids("assignee=@Alice")).isEmpty();
    assertThat(ids("assignee=1001")).isEmpty();
    assertThat(get("/api/tickets?assignee=zed").statusCode()).isEqualTo(400);
    assertThat(ids("limit=2")).hasSize(2);
    assertThat(ids("limit=5000")).hasSize(5);
    assertThat(get("/api/tickets?limit=0").statusCode()).isEqualTo(400);
    assertThat(get("/api/tickets?limit=many").statusCode()).isEqualTo(400);
  }

  /**
   * An agent a reload removed from {@code agents}: a lead lists what they left by their username as
   * by their id ({@code assignee=boris}, in any case, with or without the @), and a past agent who
   * left no ticket lists nothing; a username that was never an agent's is still a 400.
   */
  @Test
  void aPastAgentsUsernameListsWhatTheyLeft() throws Exception {
    new Roster(db, ConfigLoader.fromYaml("""
        agents:
          - {id: 1001, name: Alice, username: alice}
          - {id: 1002, name: Boris, username: Boris_K}
          - {id: 1003, name: Carl, username: carl}
        """)::agents).sync(); // as the desk ran before the reload that removed Boris and Carl
    TestTickets.projectOf(db, "boris-left", new Person(5003, "Carol", "carol"), new Person(1002, "Boris", "Boris_K"));
    TestTickets.projectOf(db, "alice-has", new Person(5004, "Dan", "dan"), new Person(1001, "Alice", "alice"));

    assertThat(ids("assignee=boris_k")).containsExactly("boris-left");
    assertThat(ids("assignee=%40BORIS_K")).containsExactly("boris-left");
    assertThat(ids("assignee=1002")).as("by id, as before").containsExactly("boris-left");
    assertThat(ids("assignee=boris_k,alice")).containsExactlyInAnyOrder("boris-left", "alice-has");
    assertThat(ids("assignee=carl")).as("a past agent with no ticket").isEmpty();
    HttpResponse<String> counts = get("/api/tickets/counts?assignee=boris_k");
    assertThat(counts.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(counts.body()).path("total").asInt()).isEqualTo(1);
    assertThat(error("/api/tickets?assignee=dan")).as("a customer, never an agent").isEqualTo(
        "assignee must be a Telegram user id or the username of an agent (now or before), got \"dan\"");
  }

  /** A filter given twice lists what either names, as a comma list does: {@code status=NEW&status=ON_HOLD}. */
  @Test
  void aRepeatedFilterTakesEveryValue() throws Exception {
    TestTickets.projectOf(db, "alice-has", new Person(5003, "Carol", "carol"), new Person(1001, "Alice", "alice"));
    TestTickets.projectOf(db, "boris-has", new Person(5004, "Dan", "dan"), new Person(1002, "Boris", "boris"));
    assertThat(ids("status=NEW&status=ON_HOLD")).containsExactlyInAnyOrder(WAITING, "eve-new", "bob-held");
    assertThat(ids("status=new&status=on_hold,resolved"))
        .containsExactlyInAnyOrder(WAITING, "eve-new", "bob-held", "bob-resolved");
    assertThat(ids("customer=bob&customer=5002"))
        .containsExactlyInAnyOrder(WAITING, "bob-working", "bob-held", "bob-resolved", "eve-new");
    assertThat(ids("customer=eve_online,5003")).containsExactlyInAnyOrder("eve-new", "alice-has");
    assertThat(ids("assignee=@alice&assignee=1002")).containsExactlyInAnyOrder("alice-has", "boris-has");
    assertThat(ids("assignee=alice,1002")).containsExactlyInAnyOrder("alice-has", "boris-has");
    assertThat(ids("queue=billing&queue=general")).hasSize(7);
    assertThat(ids("queue=billing&queue=general&assignee=1002")).as("different filters still all apply")
        .containsExactly("boris-has");
  }

  private String error(String query) throws Exception {
    HttpResponse<String> r = get(query);
    assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
    return Json.mapper().readTree(r.body()).path("error").asText();
  }

  /** Each query parameter a 400 refuses says which one, what it takes and what it got. */
  @Test
  void aBadQueryParameterIsA400NamingItWhatItTakesAndWhatItGot() throws Exception {
    String limit = "limit must be a whole number of at least 1 (at most 1000 are listed), got ";
    assertThat(error("/api/tickets?limit=abc")).isEqualTo(limit + "\"abc\"");
    assertThat(error("/api/tickets?limit=0")).isEqualTo(limit + "\"0\"");
    assertThat(error("/api/tickets?limit=-3")).isEqualTo(limit + "\"-3\"");
    assertThat(error("/api/tickets?limit=2.5")).isEqualTo(limit + "\"2.5\"");
    assertThat(error("/api/tickets?limit=2&limit=3")).isEqualTo("limit takes one value, got 2: \"2\", \"3\"");
    assertThat(ids("limit=99999999999999999999")).as("a huge limit lists at most 1000").hasSize(5);
    assertThat(error("/api/tickets?assignee=zed")).isEqualTo(
        "assignee must be a Telegram user id or the username of an agent (now or before), got \"zed\"");
    assertThat(error("/api/tickets?assignee=%40")).isEqualTo(
        "assignee must be a Telegram user id or the username of an agent (now or before), got \"@\"");
    assertThat(error("/api/tickets?customer=%40")).isEqualTo(
        "customer must be a Telegram user id or a username, got \"@\"");
    assertThat(error("/api/tickets?customer=99999999999999999999")).isEqualTo(
        "customer must be a Telegram user id or a username, got \"99999999999999999999\"");
    assertThat(error("/api/reports/sla?date=2026-13-01")).isEqualTo("date must be YYYY-MM-DD, got \"2026-13-01\"");
    assertThat(error("/api/reports/sla?date=2026-12-01&zone=Mars/Base")).isEqualTo(
        "zone must be an IANA time zone such as Europe/Berlin, got \"Mars/Base\"");
    assertThat(error("/api/reports/sla?date=2026-12-01&date=2026-12-02")).isEqualTo(
        "date takes one value, got 2: \"2026-12-01\", \"2026-12-02\"");
  }

  /**
   * A parameter given empty is refused, not read as "no filter"; a name the route does not take
   * (a typo) is refused with the names it does, not ignored to list everything.
   */
  @Test
  void anEmptyOrUnknownParameterIsA400() throws Exception {
    assertThat(error("/api/tickets?limit=")).isEqualTo(
        "limit must be a whole number of at least 1 (at most 1000 are listed), got \"\"");
    assertThat(error("/api/tickets?limit=%20")).startsWith("limit must be");
    assertThat(error("/api/tickets?status=")).startsWith("status must be one or more (comma-separated) of [NEW,");
    assertThat(error("/api/tickets?queue=")).startsWith("queue must be");
    assertThat(error("/api/tickets?customer=")).startsWith("customer must be");
    assertThat(error("/api/tickets?assignee=")).startsWith("assignee must be");
    assertThat(error("/api/tickets?offset=")).startsWith("offset must be");
    assertThat(error("/api/reports/sla?date=")).isEqualTo("date must be YYYY-MM-DD, got \"\"");
    assertThat(error("/api/tickets?staus=NEW")).isEqualTo(
        "unknown parameter \"staus\"; this takes status, assignee, queue, level, customer, limit, offset");
    assertThat(error("/api/tickets?assigne=alice&foo=bar")).isEqualTo(
        "unknown parameters \"assigne\", \"foo\"; this takes status, assignee, queue, level, customer, limit, offset");
    assertThat(error("/api/tickets/counts?limit=3")).isEqualTo(
        "unknown parameter \"limit\"; this takes status, assignee, queue, level, customer");
    assertThat(error("/api/reports/sla?day=2026-12-01")).isEqualTo("unknown parameter \"day\"; this takes date, zone");
  }

  /** {@code queue} in any case, as {@code status}: the queue as shown capitalised elsewhere lists its tickets. */
  @Test
  void queueIsMatchedInAnyCase() throws Exception {
    List<String> billing = ids("queue=billing");
    List<String> general = ids("queue=general");
    assertThat(billing.size() + general.size()).isEqualTo(5);
    assertThat(ids("queue=BILLING")).isEqualTo(billing);
    assertThat(ids("queue=General")).isEqualTo(general);
    assertThat(ids("queue=Billing,GENERAL")).hasSize(5);
  }

  /** A fractional actor is nobody (not agent 1001, acting as them): a 400 before Temporal is asked. */
  @Test
  void aFractionalActorIsA400() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/api/tickets/bob-working/actions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"hold\",\"actor\":1001.7}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("whole number").contains("1001.7");
  }

  /**
   * Every ticket can be reached, {@code limit} at a time with {@code offset}, and {@code X-Total-Count}
   * says how many the filters let through however many are listed: the pages together are the whole
   * list, the ticket still waiting in the inbox in its place among them.
   */
  @Test
  void pagesReachEveryTicketAndTheTotalIsTheRealCount() throws Exception {
    for (int i = 0; i < 6; i++) {
      TestTickets.projectIn(db, "more-" + i, new Person(6000 + i, "C" + i, null), Status.CLOSED);
    }
    List<String> all = ids("limit=1000");
    assertThat(all).hasSize(11).contains(WAITING);
    for (int limit = 1; limit <= 4; limit++) {
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < 12; offset += limit) {
        HttpResponse<String> r = get("/api/tickets?limit=" + limit + "&offset=" + offset);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Total-Count")).as("offset " + offset).hasValue("11");
        for (JsonNode t : Json.mapper().readTree(r.body())) {
          paged.add(t.path("id").asText());
        }
      }
      assertThat(paged).as("pages of " + limit).isEqualTo(all);
    }
    HttpResponse<String> closed = get("/api/tickets?status=CLOSED&limit=2");
    assertThat(Json.mapper().readTree(closed.body())).hasSize(2);
    assertThat(closed.headers().firstValue("X-Total-Count")).hasValue("6");
    assertThat(get("/api/tickets?status=new").headers().firstValue("X-Total-Count")).as("the waiting one counted")
        .hasValue("2");
    assertThat(error("/api/tickets?offset=-1")).isEqualTo(
        "offset must be a whole number of at least 0 (how many of the newest to skip), got \"-1\"");
  }

  /**
   * Topics opened in one second (Telegram dates them in whole seconds) are listed newest first by
   * their thread, highest first, numerically (1000 before 999), a ticket still waiting in the inbox
   * among them, and every page agrees (audit 16b F5.2).
   */
  @Test
  void ticketsOfOneSecondAreListedByTheirThreadHighestFirstOnEveryPage() throws Exception {
    java.time.Instant second = TestTickets.CREATED.plusSeconds(3600);
    new Ingress(inbox, classifier, new SimpleMeterRegistry(), () -> {}).accept(UpdateJson.topicCreated(2, CHAT, 1000,
        new UpdateJson.Sender(5003, "Cy", "cy", "en"), "Login", second.getEpochSecond()));
    for (long thread : new long[] {999, 1001, 998}) {
      com.fasterxml.jackson.databind.node.ObjectNode s = Json.mapper().valueToTree(
          TestTickets.of("ticket-" + CHAT + "-" + thread, new Person(6100 + thread, "D" + thread, null), Status.NEW));
      s.put("id", "ticket-" + CHAT + "-" + thread).put("chatId", CHAT).put("threadId", thread)
          .set("createdAt", Json.mapper().valueToTree(second));
      new TicketStore(db).save(Json.mapper().treeToValue(s, dev.forumdesk.ticket.TicketState.class));
    }
    List<String> all = ids("limit=1000");
    assertThat(all.subList(0, 4)).containsExactly("ticket-" + CHAT + "-1001", "ticket-" + CHAT + "-1000",
        "ticket-" + CHAT + "-999", "ticket-" + CHAT + "-998");
    for (int limit = 1; limit <= 3; limit++) {
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < all.size(); offset += limit) {
        paged.addAll(ids("limit=" + limit + "&offset=" + offset));
      }
      assertThat(paged).as("pages of " + limit).isEqualTo(all);
    }
  }

  /** {@code GET /api/tickets/counts}: every status counted in full (0 included), with the list's filters. */
  @Test
  void countsAreByStatusOverEveryTicket() throws Exception {
    for (int i = 0; i < 3; i++) {
      TestTickets.projectIn(db, "more-" + i, new Person(6000 + i, "C" + i, null), Status.CLOSED);
    }
    HttpResponse<String> r = get("/api/tickets/counts");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree("""
        {"total":8,"byStatus":{"NEW":2,"IN_PROGRESS":1,"ON_HOLD":1,"ESCALATED":0,"STALE":0,"RESOLVED":1,"CLOSED":3}}"""));
    assertThat(Json.mapper().readTree(get("/api/tickets/counts?customer=bob&status=new,on_hold").body()))
        .isEqualTo(Json.mapper().readTree("""
            {"total":2,"byStatus":{"NEW":1,"IN_PROGRESS":0,"ON_HOLD":1,"ESCALATED":0,"STALE":0,"RESOLVED":0,"CLOSED":0}}"""));
  }

  /**
   * Audit 8, F5: {@code ?queue=billing} lists a billing ticket the escalation chain moved to Level 2,
   * whose JSON keeps {@code "queue":"level2"} and says {@code "routedQueue":"billing"}; {@code ?level=}
   * filters by level, and a level the API cannot use is a 400 naming it.
   */
  @Test
  void aTicketEscalatedToLevel2IsListedByTheQueueItWasRoutedToAndByItsLevel() throws Exception {
    Person carol = new Person(5003, "Carol", "carol");
    new TicketStore(db).save(TestTickets.routed("carol-billing", carol, "billing", true));
    new TicketStore(db).save(TestTickets.routed("carol-technical", carol, "technical", false));

    JsonNode billing = Json.mapper().readTree(get("/api/tickets?queue=billing").body());
    assertThat(ids(billing)).containsExactly("carol-billing");
    assertThat(billing.get(0).path("queue").asText()).isEqualTo("level2");
    assertThat(billing.get(0).path("routedQueue").asText()).isEqualTo("billing");
    assertThat(billing.get(0).path("level").asInt()).isEqualTo(2);
    assertThat(ids(Json.mapper().readTree(get("/api/tickets?level=2").body())))
        .containsExactly("carol-billing");
    assertThat(ids(Json.mapper().readTree(get("/api/tickets?customer=carol&level=1").body())))
        .containsExactly("carol-technical");
    assertThat(ids(Json.mapper().readTree(get("/api/tickets?queue=level2").body())))
        .as("the queue it is in now, as before").containsExactly("carol-billing");
    assertThat(Json.mapper().readTree(get("/api/tickets/counts?queue=billing,technical&level=2").body())
        .path("total").asLong()).isEqualTo(1);
    assertThat(Json.mapper().readTree(get("/api/tickets/carol-billing").body()).path("routedQueue").asText())
        .isEqualTo("billing");
    assertThat(error("/api/tickets?level=0")).isEqualTo(
        "level must be a level, a whole number of at least 1 (2: escalated to Level 2), got \"0\"");
  }

  /** The ids of the tickets a list answered. */
  static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  /** The SLA report measures as the clocks do, in the configured business hours, and says so. */
  @Test
  void theSlaReportSaysItMeasuresInBusinessHours() throws Exception {
    HttpResponse<String> r = get("/api/reports/sla?date=2026-12-04&zone=Europe/Berlin");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(r.body()).path("measure").asText()).isEqualTo("business hours");
  }

  /** Audit 8, F7: without {@code zone}, the day is the business hours' day, as the daily post's. */
  @Test
  void theSlaReportsDayIsInTheBusinessHoursZoneUnlessAskedForAnother() throws Exception {
    assertThat(Json.mapper().readTree(get("/api/reports/sla?date=2026-12-04").body()).path("zone").asText())
        .isEqualTo("Europe/Berlin");
    assertThat(Json.mapper().readTree(get("/api/reports/sla?date=2026-12-04&zone=UTC").body()).path("zone").asText())
        .isEqualTo("UTC");
  }

  /** Temporal unreachable: an action is a JSON 503 the dashboard can show, not a plain-text 500. */
  @Test
  void anActionWhileTemporalIsUnreachableIsAJson503() throws Exception {
    HttpResponse<String> r = hold(server, "hold-0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.body()).contains("\"error\"").contains("Temporal unavailable, retry later");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
  }

  /**
   * {@code api.idempotency-keep}: a backlog monitor's look forgets a key first used longer ago, so it
   * may be used for another action; a fresh key answers its retry as before (Temporal is unreachable
   * here: 503 again, the same update id) and still refuses another request.
   */
  @Test
  void aMonitorsLookForgetsAnIdempotencyKeyOlderThanTheKeepAndKeepsAFreshOne() throws Exception {
    assertThat(hold(server, "old").statusCode()).isEqualTo(503);
    assertThat(hold(server, "fresh").statusCode()).isEqualTo(503);
    db.jdbi().useHandle(h -> h.createUpdate("update api_idempotency_keys set created_at = :at where idempotency_key = 'old'")
        .bind("at", java.time.Instant.now().minus(OperationsConfig.defaults().idempotencyKeep()).minusSeconds(1)).execute());
    assertThat(resolve("old").statusCode()).as("still kept: another request is refused").isEqualTo(422);
    IdempotencyKeys keys = new IdempotencyKeys(db);
    new dev.forumdesk.observe.BacklogMonitor(Duration.ofMinutes(1), List.of(), List::of, null,
        new dev.forumdesk.store.AlertIncidents(db, Duration.ofMinutes(1)), new SimpleMeterRegistry())
        .alsoEachLook(() -> keys.forgetOlderThan(OperationsConfig.defaults().idempotencyKeep()))
        .check();
    assertThat(resolve("old").statusCode()).as("forgotten: a new key").isEqualTo(503);
    HttpResponse<String> retry = hold(server, "fresh");
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(503);
    assertThat(retry.body()).contains("Temporal unavailable, retry later");
    assertThat(resolve("fresh").statusCode()).as("the fresh key is still the hold's").isEqualTo(422);
  }

  /** {@code resolve} on bob-working, with that Idempotency-Key. */
  HttpResponse<String> resolve(String idempotencyKey) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/api/tickets/bob-working/actions"))
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"resolve\",\"actor\":1001}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A frozen Temporal (the connection stands, the server answered before, and now answers nothing, as
   * a SIGSTOPped one): the action waits for {@code temporal.action-timeout}, not the update call's
   * own 60 s, and is the same JSON 503.
   */
  @Test
  void anActionWhileTemporalIsFrozenIsAJson503WithinTheActionTimeout() throws Exception {
    List<UpdateWorkflowExecutionRequest> waiting = new CopyOnWriteArrayList<>();
    Server frozen = ServerBuilder.forPort(0).addService(new WorkflowServiceGrpc.WorkflowServiceImplBase() {
      @Override
      public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> answer) {
        answer.onNext(GetSystemInfoResponse.getDefaultInstance());
        answer.onCompleted();
      }

      @Override
      public void updateWorkflowExecution(
          UpdateWorkflowExecutionRequest request, StreamObserver<UpdateWorkflowExecutionResponse> answer) {
        waiting.add(request); // and never an answer
      }
    }).build().start();
    WorkflowServiceStubs frozenStubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + frozen.getPort()).build());
    WebServer api = serve(new TicketGateway(WorkflowClient.newInstance(frozenStubs), config, "forumdesk", false),
        Duration.ofSeconds(3));
    try {
      long started = System.nanoTime();
      HttpResponse<String> r = hold(api, "hold-1");
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(waiting).as("the update reached Temporal").isNotEmpty();
      assertThat(waiting.getFirst().getRequest().getMeta().getUpdateId())
          .as("its id is the Idempotency-Key's: a retry is the same update, applied once").isEqualTo("api:hold-1");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(Json.mapper().readTree(r.body()).path("error").asText()).isEqualTo("Temporal unavailable, retry later");
      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(took).as("the action timeout (3 s here), not the update call's 60 s").isLessThan(Duration.ofSeconds(30));
    } finally {
      api.stop();
      frozenStubs.shutdownNow();
      frozen.shutdownNow();
    }
  }
}
