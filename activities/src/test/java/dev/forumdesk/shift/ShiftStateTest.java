package dev.forumdesk.shift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Audit 16, F6: Alice's only hours are "Sat 08:00-11:39"; read on that Saturday at 11:40, "off shift
 * until Sat 08:00 UTC" pointed to this morning. A next shift six days or more ahead is told with its
 * date; one within the week by its weekday, as before.
 */
class ShiftStateTest {
  static final ShiftHours SATURDAY_MORNINGS = ShiftHours.parse("UTC", List.of("Sat 08:00-11:39"));

  @Test
  void aShiftSixDaysOrMoreAheadIsToldWithItsDate() {
    ShiftState off = ShiftState.of(false, SATURDAY_MORNINGS, OffsetDateTime.parse("2026-12-05T11:40Z").toInstant());
    assertThat(off.describe()).isEqualTo("off shift until Sat 12 Dec 08:00 UTC");
  }

  @Test
  void aShiftWithinTheWeekIsToldByItsWeekday() {
    ShiftState off = ShiftState.of(false, SATURDAY_MORNINGS, OffsetDateTime.parse("2026-12-07T09:00Z").toInstant());
    assertThat(off.describe()).isEqualTo("off shift until Sat 08:00 UTC");
  }
}
