package dev.forumdesk.api;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.jsoup.safety.Safelist;

/**
 * A bot answer written for Telegram (its HTML: {@code <b>}, {@code <code>}, {@code <a href=
 * "tg://user?id=…">Sam</a>}, entities) as the plain text a person reads in the dashboard or an API
 * client: tags dropped, entities decoded, line breaks kept.
 */
final class PlainText {
  private static final Document.OutputSettings AS_WRITTEN = new Document.OutputSettings().prettyPrint(false);

  private PlainText() {}

  static String of(String telegramHtml) {
    return Parser.unescapeEntities(Jsoup.clean(telegramHtml, "", Safelist.none(), AS_WRITTEN), false);
  }
}
