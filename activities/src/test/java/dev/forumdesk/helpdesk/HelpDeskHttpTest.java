package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.json.Json;
import org.junit.jupiter.api.Test;

/**
 * How an agent's reply written in the help desk's editor reads in the Telegram topic, and what an
 * answer of an unexpected shape is called.
 */
class HelpDeskHttpTest {
  private static String html(String body) {
    return HelpDeskHttp.plainText(body, "text/html; charset=UTF-8");
  }

  @Test
  void plainTextStaysAsWritten() {
    assertThat(HelpDeskHttp.plainText("  Hello <b>Bob</b>,\r\nsee you\n\n", "text/plain"))
        .isEqualTo("Hello <b>Bob</b>,\nsee you");
    assertThat(HelpDeskHttp.plainText(null, "text/html")).isEmpty();
  }

  @Test
  void everyEntityIsDecoded() {
    // the editors write typographic quotes and dashes as numeric or named entities
    assertThat(html("<p>We&#8217;ve refunded &euro;10 &#x2014; sorry&hellip; A&nbsp;&amp;&nbsp;B &lt;ok&gt;</p>"))
        .isEqualTo("We’ve refunded €10 — sorry… A & B <ok>");
  }

  @Test
  void blocksAndBreaksBecomeLines() {
    assertThat(html("<div>Hello Bob,</div><div><br></div><div>it works<br>again</div><p>Anna</p>"))
        .isEqualTo("Hello Bob,\n\nit works\nagain\nAnna");
    assertThat(html("<p>Steps:</p><ol><li>log out</li><li>log <i>in</i><ul><li>with 2FA</li></ul></li></ol>"))
        .isEqualTo("Steps:\n- log out\n- log in\n- with 2FA");
  }

  @Test
  void whatIsNotTextIsLeftOut() {
    assertThat(html("<style>p{color:red}</style><!-- a <b>note</b> --><script>if (a > b) x()</script>"
        + "<a href=\"https://x.test/?a=1&b=2\" title=\"a > b\">the link</a>"))
        .isEqualTo("the link");
    assertThat(html("<div>unclosed <b>bold<div>next")).isEqualTo("unclosed bold\nnext");
  }

  @Test
  void preformattedTextKeepsItsSpaces() {
    assertThat(html("<p>Run:</p><pre>  sudo  apt\n  update</pre>")).isEqualTo("Run:\n  sudo  apt\n  update");
  }

  @Test
  void anAnswerOfAnotherShapeIsAHelpDeskExceptionShowingTheAnswer() throws Exception {
    var created = Json.mapper().readTree("{\"id\": 17.0}");
    assertThat(HelpDeskHttp.createdId(created, "RT")).isEqualTo("17");
    assertThatThrownBy(() -> HelpDeskHttp.createdId(Json.mapper().readTree("{\"ok\": true}"), "Zammad"))
        .isInstanceOf(HelpDeskException.class)
        .hasMessage("Zammad created a ticket but its answer has no id: {\"ok\":true}");

    var answer = Json.mapper().readTree("{\"items\": {}, \"pages\": 1}");
    assertThatThrownBy(() -> HelpDeskHttp.array(answer.get("items"), answer, "RT", "the ticket search"))
        .isInstanceOf(HelpDeskException.class)
        .hasMessage("RT answered the ticket search with an unexpected shape: {\"items\":{},\"pages\":1}");
    assertThatThrownBy(() -> HelpDeskHttp.array(null, "Zammad", "the twin search"))
        .hasMessage("Zammad answered the twin search with an unexpected shape: null");
    assertThat(HelpDeskHttp.array(Json.mapper().readTree("[1]"), "RT", "x")).hasSize(1);
  }
}
