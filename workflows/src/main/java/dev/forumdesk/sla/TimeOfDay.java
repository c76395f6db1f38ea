package dev.forumdesk.sla;

import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured time of day, {@code HH:MM}, as shift hours and business hours write it;
 * {@code 24:00} only as an end (midnight that ends the day).
 */
public final class TimeOfDay {
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");

  private TimeOfDay() {}

  /** The time, {@link LocalTime#MIDNIGHT} for an end at 24:00; empty when {@code text} is no time of day. */
  public static Optional<LocalTime> parse(String text, boolean end) {
    Matcher m = TIME.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int h = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    if (end && h == 24 && min == 0) {
      return Optional.of(LocalTime.MIDNIGHT);
    }
    return h > 23 || min > 59 ? Optional.empty() : Optional.of(LocalTime.of(h, min));
  }

  /** Whether {@code text} is the end of the day, 24:00. */
  public static boolean endOfDay(String text) {
    return text != null && text.strip().equals("24:00");
  }

  /** "'25:00' is not a time of day (00:00-23:59, or 24:00 as an end)". */
  public static String notATime(String text, boolean end) {
    return "'" + text + "' is not a time of day (00:00-23:59" + (end ? ", or 24:00 as an end)" : ")");
  }
}
