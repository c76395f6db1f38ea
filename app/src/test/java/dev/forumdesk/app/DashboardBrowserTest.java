package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.UpdateJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor dashboard in real headless Chromium (Debian's package; .ci/run installs it and
 * sets CI_REQUIRE_CHROMIUM so a missing browser fails CI instead of skipping).
 */
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;
  AppFixture f;

  @BeforeEach
  void start() throws Exception {
    boolean required = "1".equals(System.getenv("CI_REQUIRE_CHROMIUM"));
    assumeTrue(required || Files.isExecutable(CHROMIUM), "Debian chromium not installed");
    f = new AppFixture(dir);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** Loads the page, lets its scripts run for a few seconds of virtual time, returns the DOM. */
  String render(String url) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium");
    Process p = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url))
        .redirectError(dir.resolve("chromium.err").toFile())
        .start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return dom;
  }

  @Test
  void showsTheTicketsWithTheirStatusToASupervisorWithTheToken() throws Exception {
    long now = bobOpensTopic42("Refund for order 7");

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("ticket--1001234567890-42").contains("Refund for order 7").contains("Bob")
        .contains("class=\"status NEW\"").contains("1 tickets · NEW 1")
        .contains("Today: 1 new · first-response SLA —")
        .as("no help desk configured: no help-desk column").contains("<th id=\"helpDeskHead\" hidden=\"\">")
        .doesNotContain("class=\"helpdesk\"");
    assertThat(dom).as("the ticket as the acknowledgement names it, its id on hover")
        .contains("<td title=\"ticket--1001234567890-42\">#42</td>")
        .as("times as the browser reads them, the API's instant on hover")
        .containsPattern("<td title=\"created \\d{4}-\\d{2}-\\d{2}T[^\"]+Z\">[^<]*\\d{2}:\\d{2}[^<]*</td>")
        .doesNotContainPattern(">\\d{4}-\\d{2}-\\d{2}T[^<]*Z</td>");
  }

  /**
   * The lead sees each agent's open tickets against their cap and whether they can take one: at cap,
   * away, off shift until when; and which tickets wait for one. A name is the configuration's, shown
   * as text, never as markup.
   */
  @Test
  void theAgentsShowTheirLoadAgainstTheirCapAndWhetherTheyCanTakeATicket() throws Exception {
    f.close();
    int from = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(12).getHour();
    f = new AppFixture(dir.resolve("agents"), """
        support:
          chat-id: -1001234567890
          supervisors: [900001]
        agents:
          - {id: 1001, name: "Alice <b>A</b>", username: alice, team: general, languages: [en], max-open: 1}
          - {id: 1002, name: Boris, username: boris, team: general, languages: [en], max-open: 3}
          - {id: 1003, name: Carmen, username: carmen, team: general, languages: [en], max-open: 3,
             shift: {zone: UTC, hours: "Mon-Sun %02d:00-%02d:00"}}
          - {id: 1004, name: Dan, username: dan, team: general, languages: [en], max-open: 3}
        routing:
          sticky-agent: false
        """.formatted(from, from + 1), java.util.Map.of());
    long now = UpdateJson.now();
    var dan = new UpdateJson.Sender(1004, "Dan", "dan", "en");
    f.postUpdate(UpdateJson.privateText(1, 1004, dan, "/away", now));
    org.awaitility.Awaitility.await("Dan away").atMost(java.time.Duration.ofSeconds(20))
        .until(() -> f.json("/api/agents").get(3).path("shift").asText().equals("away"));
    var bob = new UpdateJson.Sender(5001, "Bob", "bob", "en");
    f.postUpdate(UpdateJson.text(2, CHAT, 42, 43, bob, "Do you ship to Canada?", now));
    f.postUpdate(UpdateJson.text(3, CHAT, 52, 53, bob, "Do you ship to Mexico?", now));
    org.awaitility.Awaitility.await("two assigned").atMost(java.time.Duration.ofSeconds(20))
        .until(() -> f.json("/api/agents").get(0).path("openTickets").asInt() + f.json("/api/agents").get(1)
            .path("openTickets").asInt() == 2);
    var boris = new UpdateJson.Sender(1002, "Boris", "boris", "en");
    f.postUpdate(UpdateJson.privateText(4, 1002, boris, "/away", now));
    org.awaitility.Awaitility.await("Boris away").atMost(java.time.Duration.ofSeconds(20))
        .until(() -> f.json("/api/agents").get(1).path("shift").asText().equals("away"));
    f.postUpdate(UpdateJson.text(5, CHAT, 62, 63, bob, "Do you ship to Peru?", now));
    f.awaitTicket("ticket--1001234567890-62", x -> x.path("routing").path("reasons").toString().contains("waiting:"));

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("<span class=\"agent at_cap\"", "Alice &lt;b&gt;A&lt;/b&gt; 1/1 at cap</span>")
        .doesNotContain("<b>A</b>")
        .contains("Boris 1/3 away</span>", "Dan 0/3 away</span>")
        .as("the third ticket waits: all capable agents are at cap, away or off shift")
        .contains("<td><span class=\"status waiting\" title=\"waiting: none of the 4 agents is free (1 at cap, 2 away and"
            + " 1 off shift)\">waiting</span></td>")
        .containsPattern("<span class=\"agent off_shift\"[^>]*>Carmen 0/3 off shift until \\d{4}-\\d\\d-\\d\\d \\d\\d:00</span>");
  }

  /** The app with help-desk.kind zammad against {@link dev.forumdesk.helpdesk.FakeZammad}, its tickets in {@code queue}. */
  AppFixture withZammad(dev.forumdesk.helpdesk.FakeZammad zammad, String queue) throws Exception {
    f.close();
    AppFixture app = new AppFixture(dir.resolve("zammad-" + System.nanoTime()),
        AppFixture.withHelpDesk("zammad", zammad.url(), queue), java.util.Map.of("FORUMDESK_HELPDESK_TOKEN", "zammad-T0ken"));
    app.telegram.enforcePerChatSecond(false);
    return app;
  }

  /** With a help desk each ticket's row shows its twin there, linked: "#1 (Zammad)". */
  @Test
  void withAHelpDeskEachTicketLinksToItsTwinThere() throws Exception {
    try (var zammad = new dev.forumdesk.helpdesk.FakeZammad("zammad-T0ken")) {
      f = withZammad(zammad, "Users");
      JsonNode t = f.openMirrored(70, "Refund for order 7", "I was charged twice");
      String external = t.path("helpDesk").path("externalId").asText();
      String url = zammad.url() + "/#ticket/zoom/" + external;
      assertThat(f.json("/api/tickets").get(0).path("helpDesk")).as("the list carries each ticket's twin")
          .isEqualTo(f.json("/api/tickets/" + t.path("id").asText()).path("helpDesk"));

      String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
      assertThat(dom).contains("<th id=\"helpDeskHead\">Help desk</th>").contains("Refund for order 7")
          .containsPattern("<td class=\"helpdesk\"><a href=\"" + java.util.regex.Pattern.quote(url)
              + "\"[^>]*>#" + external + " \\(Zammad\\)</a></td>")
          .doesNotContain("class=\"syncfailed\"");
    }
  }

  /**
   * A twin whose sync fails says so in its row, with the help desk's error in the tooltip; that
   * error is the help desk's text (here Zammad's, quoting the configured group) and is shown as
   * text, never taken for markup.
   */
  @Test
  void aFailedSyncShowsInTheRowWithTheErrorAsTextNeverAsMarkup() throws Exception {
    try (var zammad = new dev.forumdesk.helpdesk.FakeZammad("zammad-T0ken")) {
      String group = "<img id=injected src=x onerror=window.injected=1>";
      f = withZammad(zammad, "'" + group + "'");
      long now = UpdateJson.now();
      f.postUpdate(UpdateJson.topicCreated(1, CHAT, 80, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Login fails", now));
      f.postUpdate(UpdateJson.text(2, CHAT, 80, 81, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "I cannot log in", now));
      JsonNode t = f.awaitTicket("ticket-" + CHAT + "-80", x -> x.path("helpDesk").path("sync").asText().equals("FAILED"));
      String error = t.path("helpDesk").path("error").asText();
      assertThat(error).contains(group);

      try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
        b.awaitTickets();
        assertThat(b.eval("[...document.querySelectorAll('thead th')].filter(th => !th.hidden)"
            + ".map(th => th.textContent).join('|')").asText()).endsWith("|First response due|Next response due|Resolution due|Help desk");
        assertThat(b.eval("document.querySelector('td.helpdesk').textContent").asText()).isEqualTo("⚠ sync failed");
        assertThat(b.eval("document.querySelector('td.helpdesk .syncfailed').title").asText()).isEqualTo(error);
        assertThat(b.eval("document.getElementById('injected') === null && window.injected === undefined").asBoolean())
            .as("the error's markup is text").isTrue();
        assertThat(b.eval("document.querySelectorAll('td.helpdesk *').length").asInt()).as("one span, nothing else")
            .isEqualTo(1);
      }
    }
  }

  /**
   * More tickets than a page: the header counts all of them (from the API's count, not the page's
   * length), the page says which of how many it shows, and the older ones are a page further.
   */
  @Test
  void countsEveryTicketAndPagesThroughThemAll() throws Exception {
    long now = UpdateJson.now();
    for (int thread = 42; thread <= 44; thread++) {
      f.postUpdate(UpdateJson.topicCreated(thread, CHAT, thread, new UpdateJson.Sender(5001, "Bob", "bob", "en"),
          "Question " + thread, now - 100 + thread));
      f.awaitTicket("ticket--1001234567890-" + thread, x -> x.path("status").asText().equals("NEW"));
    }

    String first = render(f.base() + "/?token=" + AppFixture.API_TOKEN + "&limit=2");
    assertThat(first).contains("3 tickets · NEW 3").contains("showing 1–2 of 3 (open), newest first")
        .contains("Question 44").contains("Question 43").doesNotContain("Question 42")
        .containsPattern("<button id=\"newer\" type=\"button\" disabled=\"\">")
        .containsPattern("<button id=\"older\" type=\"button\">");
    String older = render(f.base() + "/?token=" + AppFixture.API_TOKEN + "&limit=2&offset=2");
    assertThat(older).contains("3 tickets · NEW 3").contains("showing 3–3 of 3 (open), newest first")
        .contains("Question 42").doesNotContain("Question 43")
        .containsPattern("<button id=\"older\" type=\"button\" disabled=\"\">");
  }

  /**
   * Audit 8, F5: a billing ticket the escalation chain moved to Level 2 shows its queue, billing, with
   * the level beside, not "level2".
   */
  @Test
  void anEscalatedTicketShowsTheQueueItWasRoutedToWithItsLevelBeside() throws Exception {
    new dev.forumdesk.store.TicketStore(f.app().database()).save(dev.forumdesk.store.TestTickets.routed(
        "ticket--1001234567890-77", new dev.forumdesk.ticket.Person(5001, "Bob", "bob"), "billing", true));

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("ticket--1001234567890-77")
        .contains("<td>billing <span class=\"status level\" title=\"escalated to Level 2 (queue level2)\">Level 2</span></td>")
        .doesNotContain("<td>level2</td>");
  }

  /**
   * Audit 21a, F2: a ticket with a time the browser's Date cannot hold (+31690708-07-05, as stored
   * before ingress checked dates) broke the whole list with "Invalid time value": it shows that
   * time as the API has it, and every other ticket shows as ever.
   */
  @Test
  void aTicketWithATimeNoDateHoldsShowsItAsTheApiHasItAndTheListStays() throws Exception {
    bobOpensTopic42("Refund for order 7");
    java.time.Instant far = java.time.Instant.ofEpochSecond(1_000_000_000_000_000L);
    var bob = new dev.forumdesk.ticket.Person(5001, "Bob", "bob");
    var s = dev.forumdesk.store.TestTickets.unopenedTicket();
    new dev.forumdesk.store.TicketStore(f.app().database()).save(new dev.forumdesk.ticket.TicketState(
        "ticket--1001234567890-77", s.chatId(), s.threadId(), true, "From the far future", bob, null,
        dev.forumdesk.ticket.Status.NEW, s.priority(), 1, "general", null, null, null, null, null, far, null, null,
        null, 0, null,
        new dev.forumdesk.ticket.SlaState(far.plusSeconds(1800), null, far.plusSeconds(86_400), false, List.of()),
        s.routing(), List.of(new dev.forumdesk.ticket.AuditEntry(far, "OPENED", "topic created", "customer:5001")),
        List.of(), System.nanoTime(), s.policy(), s.lifecycle(), s.clocks()));

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).as("no error line (it said: Invalid time value)").contains("<p id=\"error\"></p>")
        .contains("showing 1–2 of 2 (open)")
        .contains("From the far future").contains("Refund for order 7")
        .contains("<td title=\"created +31690708-07-05T01:46:40Z\">+31690708-07-05T01:46:40Z</td>")
        .containsPattern("<td title=\"created \\d{4}-\\d{2}-\\d{2}T[^\"]+Z\">[^<]*\\d{2}:\\d{2}[^<]*</td>")
        .contains("<td title=\"first response due +31690708-07-05T02:16:40Z\">+31690708-07-05T02:16:40Z</td>")
        .contains("Today: 1 new");
  }

  @Test
  void anOverdueUnansweredTicketShowsItsDueMarkedOverdue() throws Exception {
    f.close();
    f = new AppFixture(dir.resolve("overdue"), LifecycleEndToEndTest.YAML, java.util.Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 43, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Nobody answers", now));
    var t = f.awaitTicket("ticket--1001234567890-43", x -> x.path("status").asText().equals("ESCALATED"));
    String due = t.path("sla").path("firstResponseDue").asText();
    assertThat(due).as("kept after the breach").isNotEmpty().isNotEqualTo("null");

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("class=\"status ESCALATED\"")
        .containsPattern("<td class=\"overdue\" title=\"first response was due " + java.util.regex.Pattern.quote(due)
            + "\">overdue (under a minute|\\d+ min)</td>");
  }

  /**
   * Audit 16, F4: a held ticket's due cells were empty. Each paused clock's cell says what it has
   * left, as the API has it (the ISO duration on hover); a clock that is not running stays empty.
   */
  @Test
  void aHeldTicketShowsWhatEachPausedClockHasLeft() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-46";
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 46, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Question about my plan", now));
    f.awaitTicket(id, x -> x.path("routing").path("phase").asText().equals("ROUTED"));
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"hold\",\"actor\":1001}").statusCode()).isEqualTo(200);
    JsonNode sla = f.awaitTicket(id, x -> x.path("status").asText().equals("ON_HOLD")).path("sla");
    String first = sla.path("firstResponseRemaining").asText();
    String resolution = sla.path("resolutionRemaining").asText();
    assertThat(sla.path("nextResponseRemaining").isNull()).isTrue();

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    String human = dev.forumdesk.text.HumanTime.duration(java.time.Duration.parse(first));
    assertThat(human).matches("2\\d min( \\d+ s)?");
    assertThat(dom).contains("class=\"status ON_HOLD\"")
        .contains("<td class=\"paused\" title=\"first response: " + first + " left, SLA paused on hold\">"
            + human + " left (paused)</td>")
        .contains("<td class=\"paused\" title=\"resolution: " + resolution + " left, SLA paused on hold\">"
            + dev.forumdesk.text.HumanTime.duration(java.time.Duration.parse(resolution)) + " left (paused)</td>")
        .as("the next response is not running: an empty cell").contains(" left (paused)</td><td></td><td class=\"paused\"");
  }

  /**
   * Headless Chromium on {@code url} with DevTools on, to look inside the page: its address, its
   * storage, and to use its form. Closed with the browser.
   */
  final class Browser implements AutoCloseable {
    private final Process process;
    private final java.net.http.WebSocket socket;
    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Map<Integer, java.util.concurrent.CompletableFuture<JsonNode>> answers =
        new java.util.concurrent.ConcurrentHashMap<>();

    Browser(String url) throws Exception {
      Path profile = Files.createTempDirectory(dir, "chromium");
      process = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
              "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*", url))
          .redirectErrorStream(true).redirectOutput(dir.resolve("chromium-devtools.log").toFile())
          .start();
      Path active = profile.resolve("DevToolsActivePort");
      org.awaitility.Awaitility.await("DevTools").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> Files.exists(active) && Files.readAllLines(active).size() >= 2);
      int port = Integer.parseInt(Files.readAllLines(active).get(0).strip());
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String[] page = new String[1];
      org.awaitility.Awaitility.await("the page's target").atMost(java.time.Duration.ofSeconds(30)).until(() -> {
        JsonNode targets = Json.mapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets) {
          if (t.path("type").asText().equals("page")) {
            page[0] = t.path("webSocketDebuggerUrl").asText();
          }
        }
        return page[0] != null;
      });
      socket = http.newWebSocketBuilder().buildAsync(java.net.URI.create(page[0]), new java.net.http.WebSocket.Listener() {
        private final StringBuilder frame = new StringBuilder();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
          frame.append(data);
          if (last) {
            try {
              JsonNode m = Json.mapper().readTree(frame.toString());
              if (m.has("id")) {
                answers.computeIfAbsent(m.path("id").asInt(), k -> new java.util.concurrent.CompletableFuture<>()).complete(m);
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            frame.setLength(0);
          }
          ws.request(1);
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression in the page (a promise is awaited). */
    JsonNode eval(String expression) throws Exception {
      int id = ids.incrementAndGet();
      var answer = answers.computeIfAbsent(id, k -> new java.util.concurrent.CompletableFuture<>());
      var call = Json.mapper().createObjectNode().put("id", id).put("method", "Runtime.evaluate");
      call.putObject("params").put("expression", expression).put("returnByValue", true).put("awaitPromise", true);
      socket.sendText(call.toString(), true).get(10, TimeUnit.SECONDS);
      JsonNode m = answer.get(30, TimeUnit.SECONDS);
      assertThat(m.path("result").has("exceptionDetails")).as(m.toString()).isFalse();
      return m.path("result").path("result").path("value");
    }

    /** Waits until the page shows the counts of a list it loaded from the API. */
    void awaitTickets() {
      org.awaitility.Awaitility.await("the dashboard's list").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> !eval("document.getElementById('counts')?.textContent ?? ''").asText().isEmpty()); // null before the page is parsed
    }

    @Override
    public void close() {
      socket.abort();
      process.destroy();
    }
  }

  /**
   * A link with ?token= (as printed and as older bookmarks have it) still signs in, but the token is
   * taken out of the address and its history entry at once and kept for this tab only, never on disk.
   */
  @Test
  void aTokenInTheAddressSignsInAndIsDroppedFromTheAddressAndKeptForTheTabOnly() throws Exception {
    bobOpensTopic42("Refund for order 7");

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN + "&limit=50#top")) {
      b.awaitTickets();
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Refund for order 7");
      assertThat(b.eval("location.href").asText()).isEqualTo(f.base() + "/?limit=50#top");
      assertThat(b.eval("sessionStorage.getItem('forumdeskToken')").asText()).isEqualTo(AppFixture.API_TOKEN);
      assertThat(b.eval("localStorage.length").asInt()).as("nothing of the token on disk").isZero();
      assertThat(b.eval("document.getElementById('page').textContent").asText()).as("the rest of the address still counts")
          .isEqualTo("showing 1–1 of 1 (open), newest first");
    }
  }

  /**
   * Audit 16b F5.1: the page the buttons turn to is in the address bar ({@code ?offset=} beside
   * {@code ?limit=}), so a reload, or the link sent to a colleague, shows the same page.
   */
  @Test
  void thePageTurnedToIsInTheAddressAndAReloadShowsIt() throws Exception {
    long now = UpdateJson.now();
    for (int thread = 42; thread <= 44; thread++) {
      f.postUpdate(UpdateJson.topicCreated(thread, CHAT, thread, new UpdateJson.Sender(5001, "Bob", "bob", "en"),
          "Question " + thread, now - 100 + thread));
      f.awaitTicket("ticket--1001234567890-" + thread, x -> x.path("status").asText().equals("NEW"));
    }
    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN + "&limit=2")) {
      b.awaitTickets();
      assertThat(b.eval("document.getElementById('page').textContent").asText())
          .isEqualTo("showing 1–2 of 3 (open), newest first");
      b.eval("document.getElementById('older').click()");
      org.awaitility.Awaitility.await("the older page").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 3–3 of 3 (open), newest first"));
      assertThat(b.eval("location.href").asText()).isEqualTo(f.base() + "/?limit=2&offset=2");

      b.eval("location.reload()");
      org.awaitility.Awaitility.await("the reloaded page").atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 3–3 of 3 (open), newest first"));
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Question 42")
          .doesNotContain("Question 43");

      b.eval("document.getElementById('newer').click()");
      org.awaitility.Awaitility.await("the newer page").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 1–2 of 3 (open), newest first"));
      assertThat(b.eval("location.href").asText()).as("the first page needs no offset").isEqualTo(f.base() + "/?limit=2");
    }
  }

  /**
   * Audit 19b, F4: the status chosen is kept in the address as assignee and customer are
   * ({@code ?status=all}, {@code ?status=CLOSED}), so a lead's link to a customer's closed tickets
   * shows them when shared or reloaded; the default, open, is left out of the address.
   */
  @Test
  void theStatusChosenIsInTheAddressAndALinkWithItShowsThatList() throws Exception {
    var store = new dev.forumdesk.store.TicketStore(f.app().database());
    var alice = new dev.forumdesk.ticket.Person(1001, "Alice", "alice");
    java.time.Instant created = java.time.Instant.now().minusSeconds(7_200);
    store.save(projected("ticket-alice-1", "Still open", alice, created, null));
    var closed = projected("ticket-alice-2", "Long closed", alice, created.minusSeconds(60), null);
    store.save(new dev.forumdesk.ticket.TicketState(closed.id(), closed.chatId(), closed.threadId(), true, closed.title(),
        closed.customer(), null, dev.forumdesk.ticket.Status.CLOSED, closed.priority(), closed.level(), closed.queue(),
        null, alice, null, null, null, closed.createdAt(), null, null, null, 0, null, closed.sla(), closed.routing(),
        closed.audit(), List.of(), closed.version(), closed.policy(), closed.lifecycle(), closed.clocks()));

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
      b.awaitTickets();
      assertThat(b.eval("document.getElementById('page').textContent").asText())
          .isEqualTo("showing 1–1 of 1 (open), newest first");
      b.eval("{ const s = document.getElementById('status'); s.value = ''; s.dispatchEvent(new Event('change')) }");
      org.awaitility.Awaitility.await("all tickets").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("location.search").asText().equals("?status=all"));
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Long closed");

      b.eval("{ const s = document.getElementById('status'); s.value = 'CLOSED'; s.dispatchEvent(new Event('change')) }");
      org.awaitility.Awaitility.await("the closed ones").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("location.search").asText().equals("?status=CLOSED"));
      b.eval("location.reload()");
      org.awaitility.Awaitility.await("the reloaded page").atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 1–1 of 1 (CLOSED), newest first"));
      assertThat(b.eval("document.getElementById('status').value").asText()).isEqualTo("CLOSED");
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Long closed")
          .doesNotContain("Still open");

      b.eval("{ const s = document.getElementById('status'); s.selectedIndex = 0; s.dispatchEvent(new Event('change')) }");
      org.awaitility.Awaitility.await("back to open").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("location.search").asText().isEmpty());
    }
    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN + "&status=")) {
      b.awaitTickets(); // ?status= (empty) is all, as the API reads it
      org.awaitility.Awaitility.await("all tickets").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 1–2 of 2, newest first"));
    }
  }

  /** Without a token the page asks for one and calls nothing; the form signs in; Sign out forgets it. */
  @Test
  void theSignInFormTakesTheTokenAndSignOutForgetsIt() throws Exception {
    bobOpensTopic42("Refund for order 7");

    try (Browser b = new Browser(f.base() + "/")) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions() // until the page is in
          .until(() -> b.eval("document.getElementById('error').textContent").asText()
              .equals("Sign in with the API token printed at start (FORUMDESK_API_TOKEN)"));
      b.eval("document.getElementById('token').value = '" + AppFixture.API_TOKEN + "';"
          + " document.getElementById('login').requestSubmit()");
      b.awaitTickets();
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Refund for order 7");
      assertThat(b.eval("document.getElementById('error').textContent").asText()).isEmpty();
      assertThat(b.eval("sessionStorage.getItem('forumdeskToken')").asText()).isEqualTo(AppFixture.API_TOKEN);
      assertThat(b.eval("localStorage.length").asInt()).isZero();

      b.eval("document.getElementById('logout').click()");
      assertThat(b.eval("sessionStorage.getItem('forumdeskToken')").isNull()).isTrue();
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).isEmpty();
      assertThat(b.eval("document.getElementById('error').textContent").asText()).startsWith("Sign in with the API token");
    }
  }

  /**
   * Audit 7, F13: the SLA line shows another day's figures, from {@code /api/reports/sla?date=}:
   * picked in the page (a date field, the day before, the day after) or given as {@code ?date=}.
   * Today's ticket is not yesterday's; there is no day after today.
   */
  @Test
  void theSlaLineShowsTheDayPicked() throws Exception {
    long now = bobOpensTopic42("Refund");
    // the browser's day, as the page counts it: Chromium runs in this machine's zone
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.systemDefault());

    String todays = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(todays).contains("Today: 1 new · first-response SLA —")
        .containsPattern("<input id=\"slaDate\" type=\"date\"[^>]* max=\"" + today + "\"")
        .containsPattern("<button id=\"slaNext\" type=\"button\"[^>]* disabled=\"\">");
    String yesterdays = render(f.base() + "/?token=" + AppFixture.API_TOKEN + "&date=" + today.minusDays(1));
    assertThat(yesterdays).contains(today.minusDays(1) + ": 0 new · first-response SLA —").doesNotContain("Today:")
        .containsPattern("<button id=\"slaNext\" type=\"button\" title=\"the day after\">");
  }

  /**
   * Audit 19a F2: a page showing today, left open across the browser's midnight, shows the new day
   * at its next refresh ("Today:", the date field, the request); a day the user picked stays. The
   * page's clock is moved past midnight by a {@code Date} that runs ahead, no waiting for midnight.
   */
  @Test
  void aPageShowingTodayFollowsTheClockPastMidnightAndAPickedDayStays() throws Exception {
    bobOpensTopic42("Refund");

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
      b.awaitTickets();
      org.awaitility.Awaitility.await("today's line").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('sla').textContent").asText().startsWith("Today: 1 new"));
      String today = b.eval("slaDate.value").asText();

      String tomorrow = b.eval(ahead(1)).asText(); // the page's clock at 00:01 the next day
      assertThat(tomorrow).isNotEqualTo(today);
      org.awaitility.Awaitility.await("the next refresh shows the new day").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("slaDate.value").asText().equals(tomorrow)
              && b.eval("document.getElementById('sla').textContent").asText().startsWith("Today: 0 new"));
      assertThat(b.eval("slaDate.max").asText()).isEqualTo(tomorrow);
      assertThat(b.eval("document.getElementById('slaNext').disabled").asBoolean()).isTrue();

      // the user turns back to the day before: that day stays, past the next midnight too
      b.eval("document.getElementById('slaPrev').click()");
      org.awaitility.Awaitility.await("the day picked").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('sla').textContent").asText().startsWith(today + ": 1 new"));
      String dayAfter = b.eval(ahead(1)).asText();
      org.awaitility.Awaitility.await("a refresh on the next day").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("slaDate.max").asText().equals(dayAfter));
      assertThat(b.eval("slaDate.value").asText()).isEqualTo(today);
      assertThat(b.eval("document.getElementById('sla').textContent").asText()).startsWith(today + ": 1 new");
    }
  }

  /** A script that moves the page's clock to 00:01 {@code days} days later; its value the page's new day. */
  /** Bob opens topic 42 titled {@code title}; its ticket is NEW. Returns the update's time. */
  private long bobOpensTopic42(String title) throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, new UpdateJson.Sender(5001, "Bob", "bob", "en"), title, now));
    f.awaitTicket("ticket--1001234567890-42", x -> x.path("status").asText().equals("NEW"));
    return now;
  }

  private static String ahead(int days) {
    return "(() => { const Real = Date; const n = new Real();"
        + " const shift = new Real(n.getFullYear(), n.getMonth(), n.getDate() + " + days + ", 0, 1) - n;"
        + " window.Date = class extends Real { constructor(...a) { if (a.length === 0) super(Real.now() + shift);"
        + " else super(...a); } static now() { return Real.now() + shift; } };"
        + " return isoDay(new Date()); })()";
  }

  /** Audit 8 F6: the resolution due stays past its breach, marked overdue, as the first response's does. */
  @Test
  void anAnsweredTicketPastItsResolutionTimeShowsThatDueMarkedOverdue() throws Exception {
    f.close();
    f = new AppFixture(dir.resolve("resolution"), AppFixture.CONFIG + """
        sla:
          resolution: PT2S
        routing:
          enabled: false
        """, java.util.Map.of());
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 44, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Slow fix", now));
    f.postUpdate(UpdateJson.text(2, CHAT, 44, 45, new UpdateJson.Sender(1001, "Alice", "alice", "en"), "on it", now));
    var t = f.awaitTicket("ticket--1001234567890-44", x -> x.path("sla").path("breaches").toString().contains("resolution"));
    String due = t.path("sla").path("resolutionDue").asText();
    assertThat(due).as("kept after the breach").isNotEmpty().isNotEqualTo("null");

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("<th>Resolution due</th>")
        .containsPattern("<td class=\"overdue\" title=\"resolution was due " + java.util.regex.Pattern.quote(due)
            + "\">overdue (under a minute|\\d+ min)</td>");
  }

  @Test
  void withoutTheTokenItSaysWhatIsMissing() throws Exception {
    String dom = render(f.base() + "/?token=wrong");
    assertThat(dom).contains("401 (enter the API token printed at start)");
  }

  /** A ticket of Bob's in the read model only, as its workflow would project it: {@code title}, {@code assignee}, open. */
  static dev.forumdesk.ticket.TicketState projected(String id, String title, dev.forumdesk.ticket.Person assignee,
      java.time.Instant created, java.time.Instant firstResponse, dev.forumdesk.ticket.Breach... breaches) {
    var s = dev.forumdesk.store.TestTickets.assigned(id, new dev.forumdesk.ticket.Person(5001, "Bob", "bob"), assignee);
    return new dev.forumdesk.ticket.TicketState(s.id(), s.chatId(), s.threadId(), true, title, s.customer(), null,
        s.status(), s.priority(), s.level(), s.queue(), null, assignee, null, null, null, created, firstResponse, null,
        null, 0, null, new dev.forumdesk.ticket.SlaState(null, null, null, false, List.of(breaches)), s.routing(),
        s.audit(), List.of(), s.version(), s.policy(), s.lifecycle(), s.clocks());
  }

  /**
   * Audit 18b, F4 and F6.1, F6.5: a click on a row far down a long list brings the ticket's detail
   * into view; the open detail follows the list's live refresh (a hold made elsewhere shows in its
   * heading and audit without a click); the audit's times are the browser's, the API's instant on
   * hover; an action with "Acting as" empty says what to do and sends nothing.
   */
  @Test
  void theOpenDetailIsBroughtIntoViewAndFollowsTheLiveRefresh() throws Exception {
    var store = new dev.forumdesk.store.TicketStore(f.app().database());
    for (int i = 0; i < 40; i++) {
      store.save(projected("ticket-filler-" + i, "Older question " + i, null,
          dev.forumdesk.store.TestTickets.CREATED, null));
    }
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-46";
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 46, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Login error 13", now));
    f.awaitTicket(id, x -> x.path("routing").path("phase").asText().equals("ROUTED"));

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
      b.awaitTickets();
      b.eval("document.querySelector('tr[data-id=\"" + id + "\"]').click()");
      org.awaitility.Awaitility.await("the detail").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.querySelector('#detail h2')?.textContent ?? ''").asText().equals("Login error 13 (NEW)"));
      assertThat(b.eval("Math.abs(document.getElementById('detail').getBoundingClientRect().top) < 2").asBoolean())
          .as("at the top of the window, not below 41 rows").isTrue();
      assertThat(b.eval("scrollY > 0").asBoolean()).as("scrolled to it").isTrue();
      String at = b.eval("document.querySelector('#detail tbody td').title").asText();
      assertThat(at).as("the API's instant on hover").matches("\\d{4}-\\d{2}-\\d{2}T[^ ]+Z");
      assertThat(b.eval("document.querySelector('#detail tbody td').textContent").asText())
          .as("the browser's time").doesNotContain("T").containsPattern("\\d{2}:\\d{2}:\\d{2}");

      b.eval("window.posted = 0; const plain = window.fetch;"
          + " window.fetch = (url, o) => { if (o && o.method === 'POST') window.posted++; return plain(url, o); };"
          + " document.getElementById('actor').value = ''; document.querySelector('#detail button[data-action=hold]').click()");
      assertThat(b.eval("document.getElementById('action-result').textContent").asText())
          .contains("enter your agent id in").contains("Acting as");
      assertThat(b.eval("window.posted").asInt()).as("nothing sent, no actor 0").isZero();

      assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"hold\",\"actor\":1001}").statusCode())
          .isEqualTo(200);
      org.awaitility.Awaitility.await("the detail refreshed with the list").atMost(java.time.Duration.ofSeconds(20))
          .until(() -> b.eval("document.querySelector('#detail h2').textContent").asText().equals("Login error 13 (ON_HOLD)"));
      assertThat(b.eval("document.getElementById('detail').textContent").asText()).contains("ON_HOLD");
      assertThat(b.eval("document.getElementById('detailAge').textContent").asText()).startsWith("as of ");
    }
  }

  /**
   * Audit 18b, F5: a wrong token typed after a good one left the rows and figures on screen, frozen
   * as if live. The 401 takes them off, as Sign out does, and says why.
   */
  @Test
  void aWrongTokenAfterAGoodOneTakesTheFiguresOffThePage() throws Exception {
    bobOpensTopic42("Refund for order 7");

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
      b.awaitTickets();
      b.eval("document.querySelector('tr.ticket').click()");
      org.awaitility.Awaitility.await("the detail").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('detail').style.display").asText().equals("block"));
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Refund for order 7");

      b.eval("document.getElementById('token').value = 'wrong'; document.getElementById('login').requestSubmit()");
      org.awaitility.Awaitility.await("the 401").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('error').textContent").asText()
              .contains("401 (enter the API token printed at start)"));
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).isEmpty();
      assertThat(b.eval("['counts', 'agents', 'sla', 'page'].map(id => document.getElementById(id).textContent).join('')")
          .asText()).isEmpty();
      assertThat(b.eval("document.getElementById('detail').style.display").asText()).isEqualTo("none");
    }
  }

  /** Audit 18b, F6.3: an empty desk reads "0 tickets" and "no open tickets", nothing dangling. */
  @Test
  void anEmptyDeskSaysSoWithoutADanglingSeparator() throws Exception {
    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("<p class=\"counts\" id=\"counts\">0 tickets</p>")
        .contains("<span id=\"page\">no open tickets</span>")
        .contains("Today: 0 new · first-response SLA — · median first response — · breaches 0"
            + " (0 first response, 0 next response, 0 resolution) · escalated 0")
        .doesNotContain("no tickets with this status");
  }

  /**
   * Audit 18b, F3, F6.2, F6.4, F6.6: the SLA line says the median as the desk says durations and
   * what its breaches count, next-response ones included; the list filters by assignee (and
   * customer), the choice in the address; a title of one unbroken word wraps.
   */
  @Test
  void theSlaLineNamesEachBreachTheListFiltersByAssigneeAndLongTitlesWrap() throws Exception {
    var store = new dev.forumdesk.store.TicketStore(f.app().database());
    var alice = new dev.forumdesk.ticket.Person(1001, "Alice", "alice");
    var boris = new dev.forumdesk.ticket.Person(1002, "Boris", "boris");
    java.time.Instant created = java.time.Instant.now().minusSeconds(7_200);
    java.time.LocalDate day = created.atZone(java.time.ZoneId.systemDefault()).toLocalDate();
    store.save(projected("ticket-alice-1", "Invoice question", alice, created, created.plusSeconds(4_523),
        new dev.forumdesk.ticket.Breach("first-response", created.plusSeconds(1_800), created.plusSeconds(1_800)),
        new dev.forumdesk.ticket.Breach("next-response", created.plusSeconds(5_000), created.plusSeconds(5_000))));
    String word = "x".repeat(120);
    store.save(projected("ticket-boris-1", word, boris, created, null));

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN + "&date=" + day)) {
      b.awaitTickets();
      org.awaitility.Awaitility.await("the SLA line").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> !b.eval("document.getElementById('sla').textContent").asText().isEmpty());
      assertThat(b.eval("document.getElementById('sla').textContent").asText())
          .contains(": 2 new · first-response SLA 0 % · median first response 1 h 15 min (wall clock)"
              + " · breaches 2 (1 first response, 1 next response, 0 resolution) · escalated 0");
      assertThat(b.eval("document.getElementById('sla').title").asText()).contains("next-response");
      // unwrapped, that one cell alone was 120 characters wide (the table 2,127 px in a 780 px window)
      String title = "[...document.querySelectorAll('tr.ticket td')].find(td => td.textContent === '" + word + "')";
      assertThat(b.eval(title + ".offsetWidth").asInt()).as("the title's cell wraps").isLessThan(200);
      assertThat(b.eval(title + ".scrollWidth <= " + title + ".clientWidth").asBoolean()).as("nothing overflows it").isTrue();
      assertThat(b.eval("document.querySelector('table').scrollWidth").asInt()).isLessThan(1_000);

      assertThat(b.eval("[...document.getElementById('assignee').options].map(o => o.value + '=' + o.textContent).join('|')")
          .asText()).startsWith("=anyone|1001=Alice|1002=Boris");
      b.eval("const s = document.getElementById('assignee'); s.value = '1002'; s.dispatchEvent(new Event('change'))");
      org.awaitility.Awaitility.await("Boris's tickets").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("showing 1–1 of 1 (open, assigned to Boris), newest first"));
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains(word)
          .doesNotContain("Invoice question");
      assertThat(b.eval("location.search").asText()).contains("assignee=1002");

      b.eval("const c = document.getElementById('customer'); c.value = '@nobody'; c.dispatchEvent(new Event('change'))");
      org.awaitility.Awaitility.await("nobody's tickets").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('page').textContent").asText()
              .equals("no open tickets (assigned to Boris, customer @nobody)"));
    }
  }

  /**
   * A link with {@code ?assignee=} of someone who is no agent now (removed from {@code agents:}): the
   * menu names them "agent 4242", and keeps that menu as it is at each 5 s reload. It was built
   * again at every reload (the extra option made it differ from the agents' list each time), which
   * closed the menu under a supervisor's pointer every 5 s.
   */
  @Test
  void theAssigneeMenuOfAnIdThatIsNoAgentIsNotBuiltAgainAtEachReload() throws Exception {
    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN + "&assignee=4242")) {
      b.awaitTickets();
      String menu = "[...document.getElementById('assignee').options]";
      assertThat(b.eval(menu + ".map(o => o.value + '=' + o.textContent).join('|')").asText())
          .endsWith("|4242=agent 4242");
      b.eval(menu + ".forEach(o => { o.kept = true; }); document.getElementById('counts').firstChild.kept = true");
      org.awaitility.Awaitility.await("a reload").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> b.eval("document.getElementById('counts').firstChild.kept === undefined").asBoolean());
      assertThat(b.eval(menu + ".every(o => o.kept === true)").asBoolean()).as("the same menu, not built again").isTrue();
      assertThat(b.eval(menu + ".filter(o => o.value === '4242').length").asInt()).isEqualTo(1);
      assertThat(b.eval("document.getElementById('assignee').value").asText()).isEqualTo("4242");
    }
  }

  /** A failing /api/agents leaves the ticket list shown; the agents' line says it could not load them. */
  @Test
  void aFailingAgentsCallLeavesTheListShown() throws Exception {
    bobOpensTopic42("Refund for order 7");

    try (Browser b = new Browser(f.base() + "/?token=" + AppFixture.API_TOKEN)) {
      b.awaitTickets();
      b.eval("const real = window.fetch; window.fetch = (path, init) => String(path).startsWith('/api/agents')"
          + " ? Promise.resolve(new Response('boom', { status: 500 })) : real(path, init);"
          + " document.getElementById('tickets').replaceChildren(); document.getElementById('error').textContent = ''");
      b.eval("load()");
      assertThat(b.eval("document.getElementById('tickets').textContent").asText()).contains("Refund for order 7");
      assertThat(b.eval("document.getElementById('agents').textContent").asText())
          .isEqualTo("Agents: could not load (/api/agents: 500)");
      assertThat(b.eval("document.getElementById('error').textContent").asText()).isEmpty();
    }
  }
}
