package dev.forumdesk.helpdesk;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.text.OneLine;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okhttp3.ResponseBody;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import retrofit2.Call;
import retrofit2.Invocation;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * What the help-desk clients share: a Retrofit API whose every request carries the Authorization
 * header itself (an interceptor: neither RT nor Zammad answers 401 with a {@code
 * WWW-Authenticate}, so OkHttp's authenticator would never be asked), calls whose transport
 * failures become one-line {@link HelpDeskException}s, and the text helpers for those lines.
 */
final class HelpDeskHttp {
  private HelpDeskHttp() {}

  /** The API at {@code apiUrl} (ending in "/"), every request sent with {@code authorization}. */
  static <T> T api(Class<T> api, String apiUrl, String authorization, Duration timeout) {
    OkHttpClient http = new OkHttpClient.Builder()
        .callTimeout(timeout)
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .writeTimeout(timeout)
        .followRedirects(false) // a redirect would be to a login page, not an answer
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .build()))
        .addInterceptor(HelpDeskHttp::sendOnce)
        .build();
    return new Retrofit.Builder()
        .baseUrl(apiUrl)
        .client(http)
        .addConverterFactory(JacksonConverterFactory.create(Json.mapper()))
        .build()
        .create(api);
  }

  /**
   * A {@link SendOnce} call's body becomes one-shot: OkHttp then repeats the request only when it
   * never started to go out, not after a connection ended before the answer.
   */
  private static okhttp3.Response sendOnce(Interceptor.Chain chain) throws IOException {
    Request request = chain.request();
    Invocation call = request.tag(Invocation.class);
    RequestBody body = request.body();
    if (body == null || call == null || !call.method().isAnnotationPresent(SendOnce.class)) {
      return chain.proceed(request);
    }
    RequestBody once = new RequestBody() {
      @Override
      public MediaType contentType() {
        return body.contentType();
      }

      @Override
      public long contentLength() throws IOException {
        return body.contentLength();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        body.writeTo(sink);
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
    return chain.proceed(request.newBuilder().method(request.method(), once).build());
  }

  /**
   * Runs the call and returns its response, successful or not; an IOException or an unreadable
   * answer becomes a HelpDeskException naming {@code desk} ("RT", "Zammad") and what it was doing.
   */
  static Response<JsonNode> execute(Call<JsonNode> call, String desk, String baseUrl, String doing) {
    try {
      return call.execute();
    } catch (JacksonException e) {
      throw new HelpDeskException(desk + " answer malformed while " + doing + " (" + OneLine.of(e.getOriginalMessage()) + ")", e);
    } catch (InterruptedIOException e) {
      // OkHttp's call timeout ("timeout") or the socket's ("Read timed out"), whichever came first
      throw new HelpDeskException(desk + " unreachable at " + baseUrl + " while " + doing
          + " (timeout: no answer in time)", e);
    } catch (IOException e) {
      throw new HelpDeskException(desk + " unreachable at " + baseUrl + " while " + doing + " ("
          + e.getClass().getSimpleName() + ": " + OneLine.of(String.valueOf(e.getMessage())) + ")", e);
    } catch (RuntimeException e) {
      throw new HelpDeskException(desk + " call failed while " + doing + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * The first of {@code fields} an error's JSON body has (RT: "message"; Zammad: "error_human",
   * "error"), or the start of whatever else the body was (an HTML error page, a proxy's answer);
   * one line, abbreviated, "" for none.
   */
  static String errorMessage(ResponseBody body, String... fields) {
    if (body == null) {
      return "";
    }
    String raw;
    try (body) {
      raw = body.string();
    } catch (IOException e) {
      return "";
    }
    try {
      JsonNode json = Json.mapper().readTree(raw);
      for (String field : fields) {
        JsonNode message = json == null ? null : json.get(field);
        if (message != null && !message.isNull() && !message.asText().isBlank()) {
          return abbreviate(message.asText());
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through
    }
    return abbreviate(raw);
  }

  /** A JSON value as text, numbers and strings alike ("17" for 17.0); null for missing or null. */
  static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())) {
      return Long.toString(node.asLong());
    }
    return node.asText();
  }

  /**
   * A reply's body as plain text: text/plain as it is; HTML (what the help desks' web editors
   * write) parsed by jsoup, with line breaks for its breaks and blocks, "- " before list items,
   * every entity decoded, scripts, styles and comments left out, preformatted text kept as
   * written, and a link ({@code <a href>} to an http, https or tg address) as its text followed by
   * its address in brackets, the address alone when it is the text. Leading and trailing blank
   * lines go, and at most one blank line stays between blocks.
   */
  static String plainText(String body, String contentType) {
    return body(body, contentType).text();
  }

  /**
   * A reply's body both ways: {@code text} as {@link #plainText}, {@code html} the same text for
   * Telegram's HTML parse mode, escaped, with each link kept as a link ({@code <a href="…">text</a>},
   * the address escaped; only http, https and tg addresses, which Telegram accepts: any other
   * link is its text alone in both).
   */
  static HelpDesk.ReplyBody body(String body, String contentType) {
    if (body == null) {
      return new HelpDesk.ReplyBody("", "");
    }
    String text = body.replace("\r\n", "\n");
    if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("text/html")) {
      return HelpDesk.ReplyBody.of(text.strip());
    }
    String marked = htmlText(text).strip();
    return new HelpDesk.ReplyBody(links(marked, false), links(marked, true));
  }

  // a link in htmlText's output: START its text HREF its address END (private-use characters,
  // taken out of the body's own text first)
  private static final char LINK_START = '\uE000';
  private static final char LINK_HREF = '\uE001';
  private static final char LINK_END = '\uE002';
  private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile(
      "\uE000([^\uE000-\uE002]*)\uE001([^\uE000-\uE002]*)\uE002");
  private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("[\uE000-\uE002]");

  /** The marked text with its links as text ("the page (https://…)") or as Telegram HTML. */
  private static String links(String marked, boolean html) {
    java.util.regex.Matcher m = LINK.matcher(marked);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String before = marked.substring(last, m.start());
      out.append(html ? dev.forumdesk.ticket.Html.escape(before) : before);
      String inner = m.group(1);
      String label = inner.strip();
      String url = m.group(2);
      // whitespace at the link's edges stays outside it
      String lead = inner.substring(0, inner.indexOf(label.isEmpty() ? inner : label));
      String trail = inner.substring(lead.length() + label.length());
      boolean same = label.isEmpty() || bare(label).equals(bare(url));
      String shown = label.isEmpty() ? url : label;
      if (html) {
        out.append(dev.forumdesk.ticket.Html.escape(lead)).append("<a href=\"").append(attribute(url)).append("\">")
            .append(dev.forumdesk.ticket.Html.escape(shown)).append("</a>").append(dev.forumdesk.ticket.Html.escape(trail));
      } else {
        out.append(lead).append(same ? shown : label + " (" + url + ")").append(trail);
      }
      last = m.end();
    }
    String rest = marked.substring(last);
    out.append(html ? dev.forumdesk.ticket.Html.escape(rest) : rest);
    return out.toString();
  }

  /** An address as a person writes it: without http(s):// and a trailing "/". */
  private static String bare(String url) {
    String u = url.replaceFirst("(?i)^https?://", "");
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /** An address inside {@code href="…"}: the three of Telegram's escapes, and the quote. */
  private static String attribute(String url) {
    return dev.forumdesk.ticket.Html.escape(url).replace("\"", "&quot;");
  }

  /** A link's address when Telegram takes it (http, https, tg), without blanks; else null. */
  private static String linkAddress(Element a) {
    String href = a.attr("href").strip();
    if (href.isEmpty() || href.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return null;
    }
    String lower = href.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("tg://") ? href : null;
  }

  private static String htmlText(String html) {
    StringBuilder out = new StringBuilder();
    NodeTraversor.traverse(new NodeVisitor() {
      // the links open now, innermost first (a link's address: null when it is not kept)
      private final java.util.ArrayDeque<java.util.Optional<String>> open = new java.util.ArrayDeque<>();

      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode t && insidePre(t)) {
          out.append(unmarked(t.getWholeText()));
        } else if (node instanceof TextNode t) {
          boolean lineStart = out.isEmpty() || out.charAt(out.length() - 1) == '\n';
          out.append(unmarked(lineStart ? t.text().stripLeading() : t.text()));
        } else if (node instanceof Element e && e.nameIs("br")) {
          trimLineEnd(out);
          out.append('\n');
        } else if (node instanceof Element e && e.isBlock()) {
          endLine(out);
          out.append(e.nameIs("li") ? "- " : "");
        }
        if (node instanceof Element e && e.nameIs("a")) {
          // a link inside a link (not valid HTML, and Telegram has none) is its text
          String url = open.stream().anyMatch(java.util.Optional::isPresent) ? null : linkAddress(e);
          open.push(java.util.Optional.ofNullable(url));
          if (url != null) {
            out.append(LINK_START);
          }
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e && e.nameIs("a") && !open.isEmpty()) {
          open.pop().ifPresent(url -> out.append(LINK_HREF).append(url).append(LINK_END));
        }
        if (node instanceof Element e && e.isBlock()) {
          endLine(out);
        }
      }
    }, Jsoup.parse(html).body());
    return out.toString().replaceAll("\n{3,}", "\n\n");
  }

  private static String unmarked(String text) {
    return MARKS.matcher(text).replaceAll("");
  }

  /** A block starts and ends on a line of its own; a break ({@code <br>}) always adds one. */
  private static void endLine(StringBuilder out) {
    trimLineEnd(out);
    if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  private static void trimLineEnd(StringBuilder out) {
    while (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
      out.setLength(out.length() - 1);
    }
  }

  private static boolean insidePre(TextNode t) {
    for (Node n = t.parent(); n != null; n = n.parent()) {
      if (n instanceof Element e && e.nameIs("pre")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A help desk's search read oldest first, at most a number of pages: {@code found} sorted by
   * time (then {@code tie}), and when the pages ran out before the results did ({@code truncated}),
   * without the newest instant, whose other items may be on the pages not read, so a caller that
   * moves its cursor to the newest item returned asks for them next time.
   */
  static <T> List<T> oldestFirst(List<T> found, Function<T, Instant> at, Comparator<T> tie, boolean truncated) {
    List<T> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing(at).thenComparing(tie));
    if (truncated && !sorted.isEmpty()) {
      Instant newest = at.apply(sorted.getLast());
      List<T> older = sorted.stream().filter(t -> at.apply(t).isBefore(newest)).toList();
      if (!older.isEmpty()) {
        return older;
      }
    }
    return List.copyOf(sorted);
  }

  /** The id of the ticket a create made, or a HelpDeskException showing the answer that has none. */
  static String createdId(JsonNode answer, String desk) {
    String id = answer == null ? null : text(answer.get("id"));
    if (id == null || id.isBlank()) {
      throw new HelpDeskException(desk + " created a ticket but its answer has no id: "
          + abbreviate(String.valueOf(answer)));
    }
    return id;
  }

  /**
   * {@code answer} when it is a JSON array, else a HelpDeskException: "{desk} answered {what} with an
   * unexpected shape".
   */
  static JsonNode array(JsonNode answer, String desk, String what) {
    return array(answer, answer, desk, what);
  }

  /** {@code items}, a part of {@code answer}, when it is a JSON array; else the exception shows the whole answer. */
  static JsonNode array(JsonNode items, JsonNode answer, String desk, String what) {
    if (items == null || !items.isArray()) {
      throw new HelpDeskException(desk + " answered " + what + " with an unexpected shape: "
          + abbreviate(String.valueOf(answer)));
    }
    return items;
  }

  /** A help desk's answer or value inside one of our error lines. */
  static String abbreviate(String s) {
    return OneLine.of(s, 300);
  }

  /** The URL without trailing slashes. */
  static String base(String url) {
    String base = url.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }
}
