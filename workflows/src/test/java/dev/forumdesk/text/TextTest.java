package dev.forumdesk.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void aCutKeepsTheLimitAndNeverHalvesAnEmoji() {
    assertThat(Cut.to("short", 10)).isEqualTo("short");
    assertThat(Cut.to("exactly10!", 10)).isEqualTo("exactly10!");
    assertThat(Cut.to("abcdefghijk", 10)).isEqualTo("abcdefghi…").hasSize(10);
    // "ab😀cd": cutting to 4 would keep the emoji's high surrogate alone
    assertThat(Cut.to("ab\uD83D\uDE00cd", 4)).isEqualTo("ab…");
    assertThat(Cut.to("ab\uD83D\uDE00cd", 5)).isEqualTo("ab\uD83D\uDE00…");
    // a customer's name full of emoji, cut to Telegram's 128 for a topic name, stays valid UTF-16
    String name = "\uD83D\uDE00".repeat(100);
    String cut = Cut.to(name, 128);
    assertThat(cut.length()).isLessThanOrEqualTo(128);
    assertThat(cut.codePoints().filter(cp -> Character.getType(cp) == Character.SURROGATE).count()).isZero();
  }

  @Test
  void oneLineFoldsWhatCouldSplitOrForgeALine() {
    assertThat(OneLine.of(" a\r\nb\t\tc\u0000d ")).isEqualTo("a b c d");
    assertThat(OneLine.of(null)).isEmpty();
    assertThat(OneLine.of("line one\nline two", 10)).isEqualTo("line one…").hasSizeLessThanOrEqualTo(10);
  }

  @Test
  void humanTimesAndDurationsReadAsPeopleWriteThem() {
    Instant at = Instant.parse("2026-12-04T19:58:56Z");
    assertThat(HumanTime.at(at, null)).isEqualTo("4 Dec 19:58 UTC");
    assertThat(HumanTime.at(at, ZoneId.of("UTC"))).isEqualTo("4 Dec 19:58 UTC");
    assertThat(HumanTime.at(at, ZoneId.of("Europe/Berlin"))).isEqualTo("4 Dec 20:58 Europe/Berlin");
    assertThat(HumanTime.dated(at, null)).as("with the year, for a day that may be long past")
        .isEqualTo("4 Dec 2026 19:58 UTC");
    assertThat(HumanTime.dated(at, ZoneId.of("Europe/Berlin"))).isEqualTo("4 Dec 2026 20:58 Europe/Berlin");
    assertThat(HumanTime.duration(Duration.ofMinutes(1))).isEqualTo("1 min");
    assertThat(HumanTime.duration(Duration.ofMinutes(150))).isEqualTo("2 h 30 min");
    assertThat(HumanTime.duration(Duration.ofSeconds(3))).isEqualTo("3 s");
    assertThat(HumanTime.duration(Duration.ofSeconds(90))).isEqualTo("1 min 30 s");
    assertThat(HumanTime.duration(Duration.ofDays(7))).isEqualTo("7 d");
    assertThat(HumanTime.duration(Duration.ofHours(26).plusMinutes(5))).isEqualTo("1 d 2 h");
    assertThat(HumanTime.duration(Duration.ZERO)).isEqualTo("0 s");
  }

  @Test
  void wordsCountJoinAndMakeSentences() {
    assertThat(Words.count(1, "agent")).isEqualTo("1 agent");
    assertThat(Words.count(2, "agent")).isEqualTo("2 agents");
    assertThat(Words.and(java.util.List.of("language es"))).isEqualTo("language es");
    assertThat(Words.and(java.util.List.of("a", "b", "c"))).isEqualTo("a, b and c");
    assertThat(Words.sentence("only the assignee can /reassign")).isEqualTo("Only the assignee can /reassign.");
    assertThat(Words.sentence("Already a sentence.")).isEqualTo("Already a sentence.");
  }
}
