package dev.forumdesk.text;

import java.time.Duration;

/**
 * A duration as the configuration writes it. {@link Duration#toString()} counts whole days in
 * hours, so a team that configured {@code P7D} read "PT168H" in its routing reasons and audit.
 */
public final class IsoDuration {
  private IsoDuration() {}

  /** {@code P7D} for whole days, else {@link Duration#toString()} ({@code PT30M}, {@code PT36H}). */
  public static String of(Duration d) {
    return !d.isZero() && d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
  }
}
