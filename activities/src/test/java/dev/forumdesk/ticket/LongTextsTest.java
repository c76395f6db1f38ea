package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.text.TelegramHtml;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Texts with a customer's or an agent's words stay within Telegram's 4,096 (after entity parsing):
 * a Level 2 summary of a 4,096-character first message, or with a long reason, was refused for good
 * ("400 Bad Request: message is too long"), leaving staff an empty Level 2 topic (audit 16, F1).
 */
class LongTextsTest {
  static final String LINK = "https://t.me/c/1234567890/303";
  static final Person BOB = new Person(5001, "Bob", "bob");
  static final Person SAM = new Person(900001, "Sam", "sam_lead");

  @Test
  void aSummaryOfAFirstMessageAtTelegramsMostFitsWithItsHead() {
    String first = "Start of the question & <details>. " + "a".repeat(4_096 - 35);
    assertThat(first).hasSize(4_096);
    String summary = Level2Summary.of("Long message", LINK, "escalated by Ann", BOB, first);
    assertThat(TelegramHtml.length(summary)).isLessThanOrEqualTo(Level2Summary.SUMMARY_MAX);
    assertThat(summary).contains("Level 2 escalation of <b>Long message</b> (" + LINK + ")\nCustomer: Bob\nReason: escalated by Ann\n")
        .contains("First message: Start of the question &amp; &lt;details&gt;. aaa").endsWith("a…");
    // where a supervisor's DM is refused, the fallback puts their mention before it: that fits too
    assertThat(TelegramHtml.length(SAM.mention() + " " + summary)).isLessThanOrEqualTo(TelegramHtml.MESSAGE_MAX);
  }

  @Test
  void aSummaryOfEmojiIsCutBetweenThemNotInside() {
    String first = "😀".repeat(2_048); // 4,096 UTF-16 units
    String summary = Level2Summary.of("Emoji message", LINK, "escalated by Ann", BOB, first);
    assertThat(TelegramHtml.length(summary)).isLessThanOrEqualTo(Level2Summary.SUMMARY_MAX);
    String shown = summary.substring(summary.indexOf("First message: ") + 15, summary.length() - 1);
    assertThat(shown).isNotEmpty().matches("(😀)+");
    assertThat(summary).endsWith("😀…");
  }

  @Test
  void aLongReasonIsCutAndLeavesRoomForTheFirstMessage() {
    String reason = "Refund & chargeback <risk> " + "r".repeat(5_000);
    String summary = Level2Summary.of("Payment page shows an error".repeat(6), LINK, reason, BOB, "x".repeat(4_096));
    assertThat(TelegramHtml.length(summary)).isLessThanOrEqualTo(Level2Summary.SUMMARY_MAX);
    assertThat(summary).contains("Reason: Refund &amp; chargeback &lt;risk&gt; rrr").contains("r…\nFirst message: xxx")
        .endsWith("x…");
    assertThat(summary.substring(summary.indexOf("<b>") + 3, summary.indexOf("</b>"))).hasSizeBetween(120, 128).endsWith("…");
    // the escalation's notice, with the same reason
    String notice = Notices.escalatedToLevel2(reason, List.of(SAM));
    assertThat(TelegramHtml.length(notice)).isLessThanOrEqualTo(1_200);
    assertThat(notice).contains(": Refund &amp; chargeback").endsWith(SAM.mention() + ", please take a look.");
  }

  @Test
  void theFirstMessageAddedLaterIsCutTheSameWay() {
    String first = "q".repeat(4_096);
    String without = Level2Summary.of("Long message", LINK, "escalated by Ann", BOB, null);
    String with = Level2Summary.withFirstMessage(without, first);
    assertThat(with).isEqualTo(Level2Summary.of("Long message", LINK, "escalated by Ann", BOB, first));
    assertThat(TelegramHtml.length(with)).isLessThanOrEqualTo(Level2Summary.SUMMARY_MAX);
    assertThat(Level2Summary.mayLackFirstMessage(with)).isFalse();
    assertThat(Level2Summary.withFirstMessage(with, first)).isEqualTo(with);
    String after = Level2Summary.firstMessageAfter(new Person(1, "n".repeat(300), null), first);
    assertThat(TelegramHtml.length(after)).isLessThanOrEqualTo(TelegramHtml.MESSAGE_MAX);
  }

  @Test
  void aShortSummaryIsAsItWas() {
    assertThat(Level2Summary.of("Refund", LINK, "why", BOB, "charged <twice>"))
        .isEqualTo("Level 2 escalation of <b>Refund</b> (" + LINK + ")\nCustomer: Bob\nReason: why\n"
            + "First message: charged &lt;twice&gt;");
  }
}
