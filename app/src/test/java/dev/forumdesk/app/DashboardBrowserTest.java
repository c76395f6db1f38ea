package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    long now = System.currentTimeMillis() / 1000;
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Refund for order 7", now));
    f.awaitTicket("ticket--1001234567890-42", x -> x.path("status").asText().equals("NEW"));

    String dom = render(f.base() + "/?token=" + AppFixture.API_TOKEN);
    assertThat(dom).contains("ticket--1001234567890-42").contains("Refund for order 7").contains("Bob")
        .contains("class=\"status NEW\"").contains("1 tickets · NEW 1")
        .contains("Today: 1 new · first-response SLA —");
  }

  /**
   * More tickets than a page: the header counts all of them (from the API's count, not the page's
   * length), the page says which of how many it shows, and the older ones are a page further.
   */
  @Test
  void countsEveryTicketAndPagesThroughThemAll() throws Exception {
    long now = System.currentTimeMillis() / 1000;
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

  @Test
  void anOverdueUnansweredTicketShowsItsDueMarkedOverdue() throws Exception {
    f.close();
    f = new AppFixture(dir.resolve("overdue"), LifecycleEndToEndTest.YAML, java.util.Map.of());
    long now = System.currentTimeMillis() / 1000;
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
   * Audit 7, F13: the SLA line shows another day's figures, from {@code /api/reports/sla?date=}:
   * picked in the page (a date field, the day before, the day after) or given as {@code ?date=}.
   * Today's ticket is not yesterday's; there is no day after today.
   */
  @Test
  void theSlaLineShowsTheDayPicked() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 42, new UpdateJson.Sender(5001, "Bob", "bob", "en"), "Refund", now));
    f.awaitTicket("ticket--1001234567890-42", x -> x.path("status").asText().equals("NEW"));
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

  @Test
  void withoutTheTokenItSaysWhatIsMissing() throws Exception {
    String dom = render(f.base() + "/?token=wrong");
    assertThat(dom).contains("401 (enter the API token printed at start)");
  }
}
