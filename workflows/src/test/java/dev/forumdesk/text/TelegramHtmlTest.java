package dev.forumdesk.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Telegram's count of an HTML text (tags nothing, an entity one) and a cut that keeps the markup valid. */
class TelegramHtmlTest {
  @Test
  void countsTheTextAfterEntityParsing() {
    assertThat(TelegramHtml.length("<b>Refund</b> &amp; <a href=\"https://t.me/c/1/2\">more</a>")).isEqualTo(13);
    assertThat(TelegramHtml.length("&lt;b&gt; &#128512;")).isEqualTo(5);
    assertThat(TelegramHtml.length("😀")).as("UTF-16 units, as Telegram counts").isEqualTo(2);
    assertThat(TelegramHtml.length("a & b < c")).as("a lone & or < is a character").isEqualTo(9);
  }

  @Test
  void aTextThatFitsIsLeftAsItIs() {
    String html = "<b>" + "x".repeat(4_000) + "</b> &amp; " + "y".repeat(90);
    assertThat(TelegramHtml.length(html)).isEqualTo(4_093);
    assertThat(TelegramHtml.fit(html, 4_096)).isSameAs(html);
  }

  @Test
  void cutsWithAnEllipsisAndClosesTheTagsItCutInside() {
    String html = "<a href=\"https://t.me/c/1/2\">Title</a>\n<b>" + "word &amp; ".repeat(1_000) + "</b> tail";
    String cut = TelegramHtml.fit(html, 4_096);
    assertThat(TelegramHtml.length(cut)).isBetween(4_090, 4_096);
    assertThat(cut).startsWith("<a href=\"https://t.me/c/1/2\">Title</a>\n<b>word &amp; word")
        .endsWith("…</b>").doesNotContain("tail");
    assertThat(cut.replace("&amp;", "")).as("no entity cut in half").doesNotContain("&");
  }

  @Test
  void neverSplitsASurrogatePairNorATag() {
    String emoji = "😀".repeat(2_048); // 4,096 units
    String html = "<i>x</i>" + emoji;
    String cut = TelegramHtml.fit(html, 4_096);
    assertThat(TelegramHtml.length(cut)).isLessThanOrEqualTo(4_096);
    String body = cut.substring("<i>x</i>".length(), cut.length() - 1);
    // "x", then as many whole emoji as leave room for the "…": 1 + 2 × 2,047 + 1
    assertThat(body).isEqualTo("😀".repeat(2_047));
    assertThat(TelegramHtml.fit("<b>abc</b><i>" + "d".repeat(10) + "</i>", 5)).isEqualTo("<b>abc</b><i>d…</i>");
  }
}
