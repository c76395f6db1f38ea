package dev.forumdesk.helpdesk;

import static dev.forumdesk.helpdesk.NewTickets.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.helpdesk.HelpDesk.Change;
import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real Request Tracker 5 started once for the class by deploy/rt/rt-test-server.sh
 * (fresh SQLite DB in a temp dir, free port); FORUMDESK_SKIP_RT=1 skips those tests, anything
 * else that keeps RT from starting fails them with the script's output. A few answers a healthy
 * RT cannot be made to give (a refused status, many pages) come from a MockWebServer.
 */
class RequestTrackerTest {
  static final Person BOB = new Person(5001, "Bob", "bob");
  static final Person ALICE = new Person(5002, "Alice", "alice");
  static final Path SCRIPT = Path.of("../deploy/rt/rt-test-server.sh");
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String PASSWORD = "password";

  static Path dir;
  static String base; // e.g. http://127.0.0.1:18080, without /REST/2.0
  static String token;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @BeforeAll
  static void startRt() throws Exception {
    if ("1".equals(System.getenv("FORUMDESK_SKIP_RT"))) {
      return;
    }
    dir = Files.createTempDirectory("forumdesk-rt-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> out = script("start", dir.toString(), Integer.toString(port));
    String url = out.getLast().strip();
    assertThat(url).as("last line of rt-test-server.sh start").endsWith("/REST/2.0");
    base = url.substring(0, url.length() - "/REST/2.0".length());
    token = Files.readString(dir.resolve("auth-token")).strip();
    assertThat(token).as("auth-token").isNotBlank();
  }

  @AfterAll
  static void stopRt() throws Exception {
    if (dir == null) {
      return;
    }
    try {
      script("stop", dir.toString());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Runs the script with bash; fails (not skips) with its output unless it exits 0 in 180 s. */
  static List<String> script(String... args) throws Exception {
    Path stdout = Files.createTempFile("rt-script-", ".out");
    Path stderr = Files.createTempFile("rt-script-", ".err");
    try {
      List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
      command.addAll(List.of(args));
      Process p;
      try {
        p = new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
      } catch (IOException e) {
        return fail("could not run " + command + ": " + e);
      }
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      List<String> out = Files.readAllLines(stdout).stream().filter(l -> !l.isBlank()).toList();
      if (!done || p.exitValue() != 0 || ("start".equals(args[0]) && out.isEmpty())) {
        return fail(command + (done ? " exited " + p.exitValue() : " did not finish in 180 s")
            + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + Files.readString(stderr));
      }
      return out;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  static void rt() {
    Assumptions.assumeTrue(base != null, "FORUMDESK_SKIP_RT=1: no Request Tracker");
  }

  static RequestTracker withToken(String queue) {
    return new RequestTracker(base, queue, RequestTracker.Credentials.token(token), TIMEOUT);
  }

  static RequestTracker withPassword(String queue) {
    return new RequestTracker(base, queue, RequestTracker.Credentials.basic("root", PASSWORD), TIMEOUT);
  }

  /** REST2 directly (as root, token), to check what the tracker did without trusting it. */
  static JsonNode rest(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/REST/2.0/" + path))
        .timeout(TIMEOUT)
        .header("Authorization", "token " + token)
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return Json.mapper().readTree(r.body());
  }

  static Change changeOf(List<Change> changes, String id) {
    return changes.stream().filter(c -> c.externalId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("ticket " + id + " not among " + changes));
  }

  @Test
  void statusesThatAreOneStatusInRtAreTheSameThereSoTheirEchoIsNotPulledBack() {
    RequestTracker rt = new RequestTracker("http://127.0.0.1:1", "General", RequestTracker.Credentials.basic("root", "x"),
        TIMEOUT);
    assertThat(rt.sameThere(Status.ESCALATED, Status.IN_PROGRESS)).isTrue();
    assertThat(rt.sameThere(Status.STALE, Status.ON_HOLD)).isTrue();
    assertThat(rt.sameThere(Status.CLOSED, Status.RESOLVED)).isTrue();
    assertThat(rt.sameThere(Status.NEW, Status.IN_PROGRESS)).isFalse();
    assertThat(rt.sameThere(Status.RESOLVED, Status.IN_PROGRESS)).isFalse();
  }

  @Test
  void tokenAuthCreatesTheTicketInTheQueueWithTheRequestorsNameAndOurTicketInTheContent() throws Exception {
    rt();
    RequestTracker rt = withToken("General");
    assertThat(rt.kind()).isEqualTo("request-tracker");

    String id = rt.create(new HelpDesk.NewTicket("ticket-7-1", "Printer on fire", "It burns.\nPlease help.", BOB));

    assertThat(id).matches("[1-9][0-9]*");
    assertThat(rt.url(id)).isEqualTo(base + "/Ticket/Display.html?id=" + id);
    JsonNode ticket = rest("GET", "ticket/" + id, null);
    assertThat(ticket.path("Subject").asText()).isEqualTo("Printer on fire");
    assertThat(ticket.path("Status").asText()).isEqualTo("new");
    assertThat(rest("GET", "queue/" + ticket.path("Queue").path("id").asText(), null).path("Name").asText())
        .isEqualTo("General");
    assertThat(ticket.path("Requestor")).as("no help-desk.requestor-domain: no requestor").isEmpty();
    JsonNode attachments = rest("GET", "ticket/" + id + "/attachments?fields=Content,ContentType", null);
    assertThat(attachments.path("items")).anySatisfy(a -> {
      assertThat(a.path("ContentType").asText()).isEqualTo("text/plain");
      assertThat(a.path("Content").asText()).isEqualTo("From: Bob\n\nIt burns.\nPlease help.\n\n(Forumdesk ticket-7-1)");
    });
  }

  /**
   * Audit 17's F6: RT tickets had no requestor, the customer only a display name in "From:". With
   * help-desk.requestor-domain each Telegram user is one RT user, by the address made of their
   * Telegram id: two "Alex"es are two requestors, a renamed user stays one, and RT's "tickets by
   * requestor" finds theirs.
   */
  @Test
  void eachTelegramUserIsOneRequestorWhateverTheirName() throws Exception {
    rt();
    RequestTracker rt = new RequestTracker(base, "General", RequestTracker.Credentials.token(token), TIMEOUT,
        Optional.of("telegram.invalid"));
    String first = rt.create(ticket("Card declined", "My card is declined", new Person(7101, "Alex", null)));
    String other = rt.create(ticket("Login fails", "I cannot log in", new Person(7102, "Alex", "alex2")));
    String renamed = rt.create(ticket("Card again", "Declined again", new Person(7101, "Alexander", null)));
    String nobody = rt.create(ticket("No customer", "Title only", null));

    assertThat(requestors(first)).containsExactly("tg-7101@telegram.invalid");
    assertThat(requestors(other)).containsExactly("tg-7102@telegram.invalid");
    assertThat(requestors(renamed)).containsExactly("tg-7101@telegram.invalid");
    assertThat(requestors(nobody)).isEmpty();
    JsonNode found = rest("GET", "tickets?query=" + URLEncoder.encode(
        "Requestor.EmailAddress = 'tg-7101@telegram.invalid'", StandardCharsets.UTF_8), null);
    assertThat(found.path("items")).extracting(i -> i.path("id").asText()).containsExactlyInAnyOrder(first, renamed);
  }

  static List<String> requestors(String ticketId) throws Exception {
    return java.util.stream.StreamSupport.stream(rest("GET", "ticket/" + ticketId, null).path("Requestor").spliterator(),
        false).map(r -> r.path("id").asText()).toList();
  }

  @Test
  void aRenamedTopicRenamesTheTicketsSubjectAndTheSameTitleAgainChangesNothing() throws Exception {
    rt();
    RequestTracker rt = withToken("General");
    String id = rt.create(ticket("Printer on fire", "It burns.", BOB));

    rt.title(id, "[Hardware] Printer on fire\nsecond line");
    assertThat(rest("GET", "ticket/" + id, null).path("Subject").asText()).isEqualTo("[Hardware] Printer on fire second line");

    rt.title(id, "[Hardware] Printer on fire second line"); // RT answers [] for no change
    assertThat(rest("GET", "ticket/" + id, null).path("Subject").asText()).isEqualTo("[Hardware] Printer on fire second line");
  }

  /** RT's tickets with that subject, by id: what the help desk holds, whatever the client heard. */
  static List<String> ticketsWithSubject(String subject) throws Exception {
    String sql = URLEncoder.encode("Subject = '" + subject + "'", StandardCharsets.UTF_8);
    JsonNode found = rest("GET", "tickets?query=" + sql + "&orderby=id", null);
    List<String> ids = new java.util.ArrayList<>();
    found.path("items").forEach(i -> ids.add(i.path("id").asText()));
    return ids;
  }

  /**
   * The audit's "Refund during outage": RT processes the create but its answer never reaches the
   * client (here a proxy drops it; there RT was stopped past the client's timeout). The retry finds
   * the twin the lost attempt made, by the marker in its first message, and makes none: one RT
   * ticket for it, not two. Another Forumdesk ticket's twin of the same subject and a marker that
   * starts like it (ticket-80-12, ticket-80-1) is left alone.
   */
  @Test
  void aCreateWhoseAnswerWasLostIsFoundByTheRetryNotMadeTwice() throws Exception {
    rt();
    String other = withToken("General").create(
        new HelpDesk.NewTicket("ticket-80-12", "Refund during outage", "Charged twice as well", ALICE));
    try (LostAnswerProxy proxy = new LostAnswerProxy(base)) {
      RequestTracker rt = new RequestTracker(proxy.url(), "General", RequestTracker.Credentials.token(token),
          Duration.ofSeconds(2));
      HelpDesk.NewTicket ticket = new HelpDesk.NewTicket("ticket-80-1", "Refund during outage", "Charged twice", BOB);
      Instant tried = Instant.now();
      proxy.loseAnswers(true);
      assertThatThrownBy(() -> rt.create(ticket)).isInstanceOf(HelpDeskException.class)
          .hasMessageContaining("RT unreachable").hasMessageContaining("timeout");
      assertThat(proxy.awaitLostAnswer(Duration.ofSeconds(60))).as("RT answered the lost create").isTrue();
      proxy.loseAnswers(false);

      String id = rt.create(ticket, Optional.of(tried));

      assertThat(ticketsWithSubject("Refund during outage")).containsExactly(other, id);
      assertThat(rest("GET", "ticket/" + id + "/attachments?fields=Content", null).path("items"))
          .anySatisfy(a -> assertThat(a.path("Content").asText()).endsWith("Charged twice\n\n(Forumdesk ticket-80-1)"));
      assertThat(rt.create(ticket, Optional.of(tried))).as("and again").isEqualTo(id);
      assertThat(ticketsWithSubject("Refund during outage")).hasSize(2);
    }
  }

  /** The contents of the ticket's messages in RT that contain {@code text}. */
  static List<String> messagesWith(String ticket, String text) throws Exception {
    List<String> found = new java.util.ArrayList<>();
    rest("GET", "ticket/" + ticket + "/attachments?fields=Content&per_page=100", null).path("items")
        .forEach(a -> {
          if (a.path("Content").asText().contains(text)) {
            found.add(a.path("Content").asText());
          }
        });
    return found;
  }

  /**
   * The audit's F7: RT was frozen while Alice wrote "Bob, anything else?"; the comment's answer
   * timed out, RT added it when it came back, and the retry added it again. Now each comment ends
   * with its message's stamp, and the retry finds it among the ticket's comments and adds nothing;
   * a later message whose attempts were never lost is added once.
   */
  @Test
  void aCommentWhoseAnswerWasLostIsFoundByTheRetryNotAddedTwice() throws Exception {
    rt();
    String id = withToken("General").create(new HelpDesk.NewTicket("ticket-82-1", "Anything else", "Help me", BOB));
    try (LostAnswerProxy proxy = new LostAnswerProxy(base)) {
      RequestTracker rt = new RequestTracker(proxy.url(), "General", RequestTracker.Credentials.token(token),
          Duration.ofSeconds(2));
      Instant tried = Instant.now();
      proxy.loseAnswers(true);
      assertThatThrownBy(() -> rt.comment(id, "Alice (agent): Bob, anything else?", "u7", Optional.empty()))
          .isInstanceOfSatisfying(HelpDeskException.class, e -> assertThat(e.answerLost()).isTrue())
          .hasMessageContaining("timeout");
      assertThat(proxy.awaitLostAnswer(Duration.ofSeconds(60))).as("RT answered the lost comment").isTrue();
      proxy.loseAnswers(false);

      rt.comment(id, "Alice (agent): Bob, anything else?", "u7", Optional.of(tried));
      rt.comment(id, "Bob (customer): No, thanks", "u8", Optional.of(tried));
    }

    assertThat(messagesWith(id, "anything else?"))
        .containsExactly("Alice (agent): Bob, anything else?\n\n(Forumdesk message u7)");
    assertThat(messagesWith(id, "No, thanks")).hasSize(1);
    RequestTracker rt = withToken("General");
    assertThat(rt.commented(id, "u8", Instant.now().minusSeconds(600))).isTrue();
    assertThat(rt.commented(id, "u9", Instant.now().minusSeconds(600))).isFalse();
    assertThat(rt.commented(id, "u8", Instant.now().plusSeconds(600))).as("none made since then").isFalse();
  }

  /**
   * A retry whose earlier attempt never reached RT creates the twin; a retry after that (its answer
   * lost too) finds it although the topic was renamed in between: the search is not by subject.
   */
  @Test
  void aRetryCreatesTheTwinWhenNoAttemptMadeItAndFindsItAfterARename() throws Exception {
    rt();
    RequestTracker rt = withToken("General");
    Instant tried = Instant.now();
    HelpDesk.NewTicket ticket = new HelpDesk.NewTicket("ticket-81-1", "Lost in transit", "Where is my parcel?", BOB);

    String id = rt.create(ticket, Optional.of(tried));
    assertThat(ticketsWithSubject("Lost in transit")).containsExactly(id);

    rt.title(id, "[Alice] Lost in transit");
    HelpDesk.NewTicket renamed = new HelpDesk.NewTicket("ticket-81-1", "[Alice] Lost in transit", "Where is my parcel?", BOB);
    assertThat(rt.create(renamed, Optional.of(tried))).isEqualTo(id);
    assertThat(ticketsWithSubject("[Alice] Lost in transit")).containsExactly(id);
    assertThat(rt.twinOf("ticket-81-2", tried.minusSeconds(60))).isEmpty();
  }

  @Test
  void basicAuthSetsEveryStatusAndChangedSinceReadsItBack() throws Exception {
    rt();
    RequestTracker rt = withPassword("General");
    String id = rt.create(ticket("Status round trip", "content", null));

    rt.status(id, Status.RESOLVED);
    assertThat(rest("GET", "ticket/" + id, null).path("Status").asText()).isEqualTo("resolved");
    Change resolved = changeOf(rt.changedSince(Instant.EPOCH), id);
    assertThat(resolved.status()).isEqualTo(Status.RESOLVED);
    assertThat(resolved.updatedAt()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(120));
    rt.status(id, Status.CLOSED); // already resolved: RT answers [], which is fine

    Map<Status, String> rtStatus = new java.util.LinkedHashMap<>();
    rtStatus.put(Status.IN_PROGRESS, "open");
    rtStatus.put(Status.ON_HOLD, "stalled");
    rtStatus.put(Status.NEW, "new");
    rtStatus.put(Status.ESCALATED, "open");
    rtStatus.put(Status.STALE, "stalled");
    rtStatus.put(Status.CLOSED, "resolved");
    Map<String, Status> back = Map.of("open", Status.IN_PROGRESS, "stalled", Status.ON_HOLD,
        "new", Status.NEW, "resolved", Status.RESOLVED);
    for (Map.Entry<Status, String> e : rtStatus.entrySet()) {
      rt.status(id, e.getKey());
      assertThat(rest("GET", "ticket/" + id, null).path("Status").asText()).as(e.getKey().name()).isEqualTo(e.getValue());
      assertThat(changeOf(rt.changedSince(Instant.EPOCH), id).status()).as(e.getKey().name())
          .isEqualTo(back.get(e.getValue()));
    }

    // RT's own rejected status maps to RESOLVED
    rest("PUT", "ticket/" + id, "{\"Status\":\"rejected\"}");
    assertThat(changeOf(withToken("General").changedSince(Instant.EPOCH), id).status()).isEqualTo(Status.RESOLVED);
  }

  @Test
  void aWrongPasswordOrTokenIsReportedAsRefusedCredentialsWithoutThem() {
    rt();
    RequestTracker badPassword =
        new RequestTracker(base, "General", RequestTracker.Credentials.basic("root", "not-the-S3cret"), TIMEOUT);
    assertThatThrownBy(() -> badPassword.create(ticket("x", "y", null)))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("401")
        .message().doesNotContain("not-the-S3cret").doesNotContain("\n");
    RequestTracker badToken =
        new RequestTracker(base, "General", RequestTracker.Credentials.token("1-2-deadbeefToken"), TIMEOUT);
    assertThatThrownBy(() -> badToken.changedSince(Instant.EPOCH))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("refused the credentials")
        .message().doesNotContain("deadbeefToken");
    assertThat(RequestTracker.Credentials.basic("root", "not-the-S3cret").toString()).doesNotContain("S3cret");
    assertThat(RequestTracker.Credentials.token("1-2-deadbeefToken").toString()).doesNotContain("deadbeef");
  }

  @Test
  void statusOfAMissingTicketFails() {
    rt();
    RequestTracker rt = withToken("General");
    // its status, and a comment on it (RT answers 400, and reading the ticket says it is gone):
    // the sync makes the twin again
    for (Runnable call : List.<Runnable>of(() -> rt.status("987654", Status.RESOLVED), () -> rt.comment("987654", "hi"))) {
      HelpDeskException e = org.assertj.core.api.Assertions.catchThrowableOfType(HelpDeskException.class, call::run);
      assertThat(e.getMessage()).contains("RT ticket 987654 does not exist");
      assertThat(e.ticketGone()).isTrue();
      assertThat(e.refusedForGood()).isFalse();
    }
  }

  @Test
  void aQueueWithoutTheRightIsAnErrorWithRtsMessage() {
    rt();
    RequestTracker rt = withToken("No Such Queue");
    assertThatThrownBy(() -> rt.create(ticket("x", "y", null)))
        .isInstanceOf(HelpDeskException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("No permission to create tickets in the queue 'No Such Queue'")
        .satisfies(e -> assertThat(((HelpDeskException) e).refusedForGood()).as("an admin fixes the rights").isFalse())
        .satisfies(e -> assertThat(((HelpDeskException) e).httpStatus()).isEqualTo(403));
  }

  @Test
  void changedSinceReportsOnlyLaterChangesInItsOwnQueue() throws Exception {
    rt();
    rest("POST", "queue", "{\"Name\":\"Changes Other\"}");
    RequestTracker general = withToken("General");
    RequestTracker other = withToken("Changes Other");

    String a = general.create(ticket("A", "a", null));
    Instant aTime = changeOf(general.changedSince(Instant.EPOCH), a).updatedAt();
    Thread.sleep(1100); // RT keeps seconds: B lands in a later second than A
    String b = general.create(ticket("B", "b", null));
    general.status(b, Status.IN_PROGRESS);
    String c = other.create(ticket("C", "c", null));

    List<Change> later = general.changedSince(aTime);
    assertThat(later).extracting(Change::externalId).contains(b).doesNotContain(a, c);
    assertThat(changeOf(later, b).status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(changeOf(later, b).updatedAt()).isAfter(aTime);
    assertThat(later).isSortedAccordingTo(Comparator.comparing(Change::updatedAt));
    // strictly after, to the second: a time within A's second still leaves A out
    assertThat(general.changedSince(aTime.plusMillis(999))).extracting(Change::externalId).doesNotContain(a);
    assertThat(general.changedSince(aTime.minusSeconds(1))).extracting(Change::externalId).contains(a, b);

    assertThat(other.changedSince(Instant.EPOCH)).extracting(Change::externalId).containsExactly(c);
    assertThat(general.changedSince(Instant.now().plusSeconds(3600))).isEmpty();
  }

  /**
   * Agents' replies: Correspond transactions, here made as root through REST2 (the same login
   * Forumdesk uses: a second RT user would need rights REST2 cannot grant). Forumdesk itself only
   * writes the Create and Comments, so any Correspond is a person's reply to the customer.
   */
  @Test
  void repliesSinceReadsTheCorrespondencesOfItsQueueNotTheCreateNorCommentsOldestFirst() throws Exception {
    rt();
    rest("POST", "queue", "{\"Name\":\"Replies Other\"}");
    RequestTracker rt = withToken("General");
    String id = rt.create(ticket("Replies", "The first words", BOB));
    rt.comment(id, "Bob (customer): more words");
    rest("POST", "ticket/" + id + "/correspond", "{\"Content\":\"Hello Bob,\\nplease retry.\",\"ContentType\":\"text/plain\"}");
    rest("POST", "ticket/" + id + "/correspond",
        "{\"Content\":\"<p>Fixed <b>now</b> &amp; done, see <a href=\\\"https://example.com/notes?a=1&amp;b=2\\\">the"
            + " notes</a></p><p>Bye</p>\",\"ContentType\":\"text/html\"}");
    String other = withToken("Replies Other").create(ticket("Elsewhere", "x", null));
    rest("POST", "ticket/" + other + "/correspond", "{\"Content\":\"not ours\",\"ContentType\":\"text/plain\"}");

    List<HelpDesk.Reply> replies = rt.repliesSince(Instant.EPOCH);

    assertThat(replies).extracting(HelpDesk.Reply::externalId).doesNotContain(other);
    List<HelpDesk.Reply> mine = replies.stream().filter(r -> r.externalId().equals(id)).toList();
    // an HTML reply goes through the same conversion as Zammad's: its link keeps its address (audit 19a F1)
    assertThat(mine).extracting(HelpDesk.Reply::text).containsExactly("Hello Bob,\nplease retry.",
        "Fixed now & done, see the notes (https://example.com/notes?a=1&b=2)\nBye");
    assertThat(mine.get(1).html())
        .isEqualTo("Fixed now &amp; done, see <a href=\"https://example.com/notes?a=1&amp;b=2\">the notes</a>\nBye");
    assertThat(mine).allSatisfy(r -> {
      assertThat(r.author()).isEqualTo("Enoch Root"); // root's RealName
      assertThat(r.replyId()).matches("[1-9][0-9]*");
      assertThat(r.at()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(1));
    });
    assertThat(Long.parseLong(mine.get(0).replyId())).isLessThan(Long.parseLong(mine.get(1).replyId()));
    assertThat(replies).isSortedAccordingTo(Comparator.comparing(HelpDesk.Reply::at));
    // what each reply is in RT: a Correspond transaction of the ticket
    JsonNode transaction = rest("GET", "transaction/" + mine.getFirst().replyId(), null);
    assertThat(transaction.path("Type").asText()).isEqualTo("Correspond");
    assertThat(transaction.path("Object").path("id").asText()).isEqualTo(id);

    // strictly after, to the second
    Instant last = mine.getLast().at();
    assertThat(rt.repliesSince(last)).extracting(HelpDesk.Reply::replyId).doesNotContain(mine.getLast().replyId());
    assertThat(rt.repliesSince(last.minusSeconds(1))).extracting(HelpDesk.Reply::replyId)
        .contains(mine.getLast().replyId());
    assertThat(rt.repliesSince(Instant.now().plusSeconds(3600))).isEmpty();
  }

  // --- answers a healthy RT will not give on demand

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void aStatusRtDidNotApplyIsAFailureAlthoughTheAnswerIs200() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      String url = server.url("/").toString();
      RequestTracker rt = new RequestTracker(url, "General", RequestTracker.Credentials.basic("root", "pw"), TIMEOUT);
      server.enqueue(json(200, "[\"Ticket 7: Status 'open' isn't a valid status for this ticket.\"]"));
      assertThatThrownBy(() -> rt.status("7", Status.IN_PROGRESS))
          .isInstanceOf(HelpDeskException.class)
          .hasMessageContaining("isn't a valid status");
      server.enqueue(json(200, "[\"Ticket 7: Status changed from 'new' to 'open'\"]"));
      rt.status("7", Status.IN_PROGRESS);
      server.enqueue(json(200, "[]"));
      rt.status("7", Status.IN_PROGRESS);

      RecordedRequest first = server.takeRequest();
      assertThat(first.getMethod()).isEqualTo("PUT");
      assertThat(first.getUrl().encodedPath()).isEqualTo("/REST/2.0/ticket/7");
      assertThat(first.getHeaders().get("Authorization"))
          .isEqualTo("Basic " + Base64.getEncoder().encodeToString("root:pw".getBytes(StandardCharsets.UTF_8)));
      assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
      assertThat(Json.mapper().readTree(first.getBody().utf8())).isEqualTo(Json.mapper().readTree("{\"Status\":\"open\"}"));

      server.enqueue(json(500, "<html>\n<b>Internal</b> error</html>"));
      assertThatThrownBy(() -> rt.status("7", Status.NEW))
          .isInstanceOf(HelpDeskException.class)
          .hasMessageContaining("HTTP 500")
          .message().doesNotContain("\n");
    }
  }

  /**
   * How the sync tells a comment RT will never take (left out) from a failure that passes (tried
   * again, in order) and from a deleted ticket (its twin made again).
   */
  @Test
  void aCommentsErrorSaysWhetherItIsRefusedForGoodTheTicketIsGoneOrItMayPass() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      RequestTracker rt = new RequestTracker(server.url("/").toString(), "General",
          RequestTracker.Credentials.basic("root", "pw"), TIMEOUT);
      // what the sync does with it: "left out", "made again" or "tried again"
      server.enqueue(json(422, "{\"message\":\"Content too large\"}"));
      assertThat(commentFailure(rt)).isEqualTo(
          "left out: RT answered HTTP 422 while commenting on RT ticket 7: Content too large");
      // RT's 400 for a comment on a ticket that does not exist: reading it says so
      server.enqueue(json(400, "{\"message\":\"Message could not be recorded\"}"));
      server.enqueue(json(404, "{\"message\":\"Resource does not exist\"}"));
      assertThat(commentFailure(rt)).isEqualTo("made again: RT ticket 7 does not exist (HTTP 404: Resource does not exist)");
      // a 400 on a ticket that exists: refused for good
      server.enqueue(json(400, "{\"message\":\"Message could not be recorded\"}"));
      server.enqueue(json(200, "{\"id\":7}"));
      assertThat(commentFailure(rt)).isEqualTo(
          "left out: RT answered HTTP 400 while commenting on RT ticket 7: Message could not be recorded");
      server.enqueue(json(404, "{\"message\":\"Resource does not exist\"}"));
      assertThat(commentFailure(rt)).isEqualTo("made again: RT ticket 7 does not exist (HTTP 404: Resource does not exist)");
      for (int code : new int[] {500, 503, 401, 403, 429}) {
        server.enqueue(json(code, "{\"message\":\"no\"}"));
        assertThat(commentFailure(rt)).as("HTTP %d", code).startsWith("tried again: ").contains("HTTP " + code);
      }
    }
  }

  /** How a comment on RT ticket 7 failed, and what the sync does with that failure. */
  static String commentFailure(RequestTracker rt) {
    HelpDeskException e = org.assertj.core.api.Assertions.catchThrowableOfType(HelpDeskException.class,
        () -> rt.comment("7", "x"));
    assertThat(e).as("the comment failed").isNotNull();
    assertThat(e.refusedForGood() && e.ticketGone()).isFalse();
    String outcome = e.refusedForGood() ? "left out" : e.ticketGone() ? "made again" : "tried again";
    return outcome + ": " + e.getMessage();
  }

  @Test
  void changedSinceFollowsPagesAndReadsNumbersLeniently() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      String url = server.url("/").toString();
      RequestTracker rt = new RequestTracker(url, "It's", RequestTracker.Credentials.token("tok"), TIMEOUT);
      StringBuilder page1 = new StringBuilder("{\"page\":1,\"per_page\":100,\"pages\":2.0,\"total\":101,\"items\":[");
      for (int i = 1; i <= 100; i++) {
        page1.append(i > 1 ? "," : "").append("{\"id\":\"").append(i)
            .append("\",\"Status\":\"").append(i == 50 ? "weird" : "open")
            .append("\",\"LastUpdated\":\"2026-12-03T12:00:").append(String.format("%02d", 59 - i % 60)).append("Z\"}");
      }
      page1.append("]}");
      server.enqueue(json(200, page1.toString()));
      server.enqueue(json(200, "{\"page\":\"2\",\"per_page\":\"100\",\"pages\":\"2\",\"items\":"
          + "[{\"id\":101,\"Status\":\"deleted\",\"LastUpdated\":\"2026-12-03T11:00:00Z\"}]}"));

      List<Change> changes = rt.changedSince(Instant.parse("2026-12-03T10:20:30.750Z"));

      assertThat(changes).hasSize(100); // 101 minus the unknown status
      assertThat(changes.getFirst()).isEqualTo(new Change("101", Status.RESOLVED, Instant.parse("2026-12-03T11:00:00Z")));
      assertThat(changes).isSortedAccordingTo(Comparator.comparing(Change::updatedAt));
      assertThat(changes).extracting(Change::externalId).doesNotContain("50");
      RecordedRequest first = server.takeRequest();
      assertThat(first.getHeaders().get("Authorization")).isEqualTo("token tok");
      assertThat(first.getUrl().queryParameter("query"))
          .isEqualTo("Queue = 'It\\'s' AND LastUpdated > '2026-12-03 10:20:30'");
      assertThat(first.getUrl().queryParameter("page")).isEqualTo("1");
      assertThat(server.takeRequest().getUrl().queryParameter("page")).isEqualTo("2");

      server.enqueue(json(200, "{\"page\":1,\"per_page\":100,\"pages\":0.0,\"total\":0,\"count\":0,\"items\":[]}"));
      assertThat(rt.changedSince(Instant.EPOCH)).isEmpty();
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }
}
