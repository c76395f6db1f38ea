package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code reports.daily-at} in the running desk: yesterday's report reaches the staff forum through
 * the outbox and the bot, once, and not again after a restart on the same data. "00:00" UTC (no
 * business hours here) has always passed, so nobody waits; the day boundaries are
 * DailySlaReportTest's, on a set clock.
 */
class DailySlaReportEndToEndTest extends AppOnADataDir {
  static final String CONFIG = AppFixture.CONFIG + """
      alerts:
        check-every: PT0.5S
      reports:
        daily-at: "00:00"
      """;
  static final long STAFF_FORUM = -1009876543210L;

  static List<String> reports(FakeTelegram telegram) {
    return telegram.calls("sendMessage").stream()
        .filter(c -> c.params().path("text").asText().startsWith("📊"))
        .map(c -> c.params().path("chat_id").asLong() + " " + c.params().path("text").asText())
        .toList();
  }

  @Test
  void yesterdaysReportIsPostedOnceAcrossARestart() throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    String day = yesterday.format(java.time.format.DateTimeFormatter.ofPattern("EEE d MMM yyyy", java.util.Locale.ENGLISH));
    f = new AppFixture(dir, CONFIG, Map.of());
    Awaitility.await("the report").atMost(Duration.ofSeconds(20)).until(() -> !reports(f.telegram).isEmpty());
    Thread.sleep(1_500); // three more looks
    assertThat(reports(f.telegram)).singleElement().isEqualTo(STAFF_FORUM + " 📊 <b>SLA report for " + day
        + "</b> (UTC, wall clock)\nNo tickets were opened.");

    f.close();
    f = new AppFixture(dir, CONFIG, Map.of());
    Thread.sleep(2_000); // four looks of the restarted desk
    assertThat(reports(f.telegram)).as("posted already, before the restart").isEmpty();
  }
}
