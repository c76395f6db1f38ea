package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Audit 16, F6: the recurring-customer notice said "in the last 7 d"; a window of whole days is said in days. */
class RecurringNoticeTest {
  static final Person RITA = new Person(50201, "Rita", "rita");

  @Test
  void aWindowOfWholeDaysIsSaidInDays() {
    assertThat(Notices.recurring("<a>Refund</a>", RITA, 5, Duration.ofDays(7)))
        .isEqualTo("🔁 Rita opened 5 tickets in the last 7 days; <a>Refund</a> goes to the senior group.");
    assertThat(Notices.recurring("T", RITA, 3, Duration.ofDays(1))).contains("opened 3 tickets in the last day;");
    assertThat(Notices.recurring("T", RITA, 3, Duration.ofHours(36))).contains("in the last 1 d 12 h;");
  }
}
