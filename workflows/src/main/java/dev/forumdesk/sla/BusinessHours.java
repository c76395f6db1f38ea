package dev.forumdesk.sla;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code sla.business-hours}, part of each ticket's policy (its workflow input): {@code zone}, and
 * either one range on some days, {@code days} ("MON-FRI" or "MON,WED,FRI") {@code from}/{@code to}
 * ("09:00"), or {@code hours}, entries as shift hours write them ("Mon-Fri 09:00-12:00",
 * "Sat 10:00-14:00"); {@code holidays}, closed dates ("2026-12-25"), with either. The fields added
 * later are left out of the JSON when empty, so a policy without them reads and writes as before.
 */
public record BusinessHours(
    String zone,
    @JsonInclude(JsonInclude.Include.NON_NULL) String days,
    @JsonInclude(JsonInclude.Include.NON_NULL) String from,
    @JsonInclude(JsonInclude.Include.NON_NULL) String to,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> hours,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> holidays) {

  /** One range on some days, no holidays: the form recorded before hours and holidays. */
  public BusinessHours(String zone, String days, String from, String to) {
    this(zone, days, from, to, null, null);
  }

  /** Hours as shift hours write them, and closed dates ({@code 2026-12-25}). */
  public static BusinessHours of(String zone, List<String> hours, List<String> holidays) {
    return new BusinessHours(zone, null, null, null, List.copyOf(hours), List.copyOf(holidays));
  }

  /** The same hours, closed on {@code dates} too. */
  public BusinessHours withHolidays(List<String> dates) {
    return new BusinessHours(zone, days, from, to, hours, dates.isEmpty() ? null : List.copyOf(dates));
  }

  /** Whether {@code hours} are written (else days/from/to). */
  public boolean weekly() {
    return hours != null && !hours.isEmpty();
  }
}
