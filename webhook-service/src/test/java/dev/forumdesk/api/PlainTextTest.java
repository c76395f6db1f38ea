package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainTextTest {
  @Test
  void telegramHtmlReadsAsWhatItSays() {
    assertThat(PlainText.of("⬆️ Escalated to Level 2: needs L2 &lt;b&gt;now&lt;/b&gt; &amp; more.\n"
        + "<a href=\"tg://user?id=900001\">Sam</a>, please take a look. Ticket <code>ticket--1-2</code>"))
        .isEqualTo("⬆️ Escalated to Level 2: needs L2 <b>now</b> & more.\nSam, please take a look. Ticket ticket--1-2");
  }

  @Test
  void plainTextStaysAsItIs() {
    assertThat(PlainText.of("⏸ On hold: waiting for logs")).isEqualTo("⏸ On hold: waiting for logs");
  }
}
