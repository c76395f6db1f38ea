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
        .isEqualTo("the link (https://x.test/?a=1&b=2)");
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

  private static HelpDesk.ReplyBody both(String body) {
    return HelpDeskHttp.body(body, "text/html; charset=UTF-8");
  }

  @Test
  void aLinkKeepsItsAddress() {
    // audit 19a F1: Zammad's editor writes a link as <a href>; its address reached nobody
    HelpDesk.ReplyBody b = both("<div>Hello,</div><div><br></div><div>Step 1: open <a href=\"https://example.com/reset\">the"
        + " reset page</a></div><div>Step 2: type 5 &lt; 6 &amp; 7 &gt; 3</div><ul><li>one</li></ul>");
    assertThat(b.text()).isEqualTo("Hello,\n\nStep 1: open the reset page (https://example.com/reset)\n"
        + "Step 2: type 5 < 6 & 7 > 3\n- one");
    assertThat(b.html()).isEqualTo("Hello,\n\nStep 1: open <a href=\"https://example.com/reset\">the reset page</a>\n"
        + "Step 2: type 5 &lt; 6 &amp; 7 &gt; 3\n- one");
    assertThat(html("see <a href=\"https://example.com/reset\">the reset page</a>"))
        .isEqualTo("see the reset page (https://example.com/reset)");
  }

  @Test
  void aLinkWhoseTextIsItsAddressIsShownOnce() {
    HelpDesk.ReplyBody b = both("<p>Go to <a href=\"https://example.com/x\">https://example.com/x</a>.</p>");
    assertThat(b.text()).isEqualTo("Go to https://example.com/x.");
    assertThat(b.html()).isEqualTo("Go to <a href=\"https://example.com/x\">https://example.com/x</a>.");
    assertThat(html("<a href=\"https://example.com/\">example.com</a>")).isEqualTo("example.com");
    assertThat(html("<a href=\"http://example.com/y\"></a>")).as("no text: the address").isEqualTo("http://example.com/y");
  }

  @Test
  void onlyAddressesTelegramTakesStayLinksAndTheyAreEscaped() {
    HelpDesk.ReplyBody js = both("<a href=\"javascript:alert(1)\">click</a> <a href=\"mailto:a@b.c\">mail</a>"
        + " <a href=\"/relative\">rel</a> <a href=\"tg://resolve?domain=help\">bot</a>");
    assertThat(js.text()).isEqualTo("click mail rel bot (tg://resolve?domain=help)");
    assertThat(js.html()).isEqualTo("click mail rel <a href=\"tg://resolve?domain=help\">bot</a>");
    HelpDesk.ReplyBody q = both("<a href=\"https://e.com/?a=1&amp;b=&quot;x&quot;&lt;\">A &amp; <b>B</b></a>");
    assertThat(q.text()).isEqualTo("A & B (https://e.com/?a=1&b=\"x\"<)");
    assertThat(q.html()).isEqualTo("<a href=\"https://e.com/?a=1&amp;b=&quot;x&quot;&lt;\">A &amp; B</a>");
    // the markers used inside the converter, typed in a reply, are not taken for a link
    assertThat(both("a \uE000b\uE001https://x.y\uE002 c").text()).isEqualTo("a bhttps://x.y c");
    assertThat(HelpDeskHttp.body("see <a href=x>", "text/plain").html()).isEqualTo("see &lt;a href=x&gt;");
  }
}
