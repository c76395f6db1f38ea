package dev.forumdesk.text;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times and durations as the bot's messages show them to people: "4 Dec 19:58 UTC", "2 h 30 min".
 * The configuration, the audit and the API keep ISO-8601 ({@link IsoDuration}); a support agent
 * reading a chat should not have to decode "PT1M" or "2026-12-04T19:58:56Z". Pure and independent
 * of the machine's default zone and locale, so workflow code may use it.
 */
public final class HumanTime {
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DATED = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);

  private HumanTime() {}

  /** "4 Dec 19:58 UTC", or "4 Dec 20:58 Europe/Berlin" in a named zone. */
  public static String at(Instant instant, ZoneId zone) {
    return format(AT, instant, zone);
  }

  /** "4 Dec 2026 19:58 UTC": with the year, for a moment that may be long past (when a ticket closed). */
  public static String dated(Instant instant, ZoneId zone) {
    return format(DATED, instant, zone);
  }

  private static String format(DateTimeFormatter format, Instant instant, ZoneId zone) {
    ZoneId z = zone == null ? ZoneOffset.UTC : zone.normalized();
    String name = z.equals(ZoneOffset.UTC) ? "UTC" : z.getId();
    return format.format(instant.atZone(z)) + " " + name;
  }

  /** "45 s", "1 min", "2 h 30 min", "1 d 4 h": at most the two largest units that are not zero. */
  public static String duration(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
    String[] units = {"d", "h", "min", "s"};
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < amounts.length && shown < 2; i++) {
      if (amounts[i] > 0) {
        out.append(out.isEmpty() ? "" : " ").append(amounts[i]).append(' ').append(units[i]);
        shown++;
      }
    }
    return out.isEmpty() ? "0 s" : out.toString();
  }
}
