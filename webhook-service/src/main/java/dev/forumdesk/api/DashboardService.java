package dev.forumdesk.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the supervisor dashboard, one static page that reads /api with the bearer token
 * the user signs in with (kept for the tab only, in sessionStorage; a {@code ?token=} in the address is
 * taken and removed from it), so the page itself holds no data. Its script and style are files of their
 * own ({@code /dashboard.js}, {@code /dashboard.css}): the Content-Security-Policy allows nothing inline,
 * so an escaping bug could not run a script (audit 21a F6), and no other site may frame the page.
 */
public final class DashboardService implements HttpService {
  /** Only this server's files; nothing inline, no plugins, no framing, forms only to here. */
  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none';"
      + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
  private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
  private static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
  private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

  private final byte[] page = resource("index.html");
  private final byte[] script = resource("dashboard.js");
  private final byte[] style = resource("dashboard.css");

  private static byte[] resource(String name) {
    try (InputStream in = DashboardService.class.getResourceAsStream("/dashboard/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", serve(page, "text/html; charset=utf-8"))
        .get("/dashboard.js", serve(script, "text/javascript; charset=utf-8"))
        .get("/dashboard.css", serve(style, "text/css; charset=utf-8"));
  }

  private static Handler serve(byte[] body, String contentType) {
    return (req, res) -> {
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.header(CSP, POLICY);
      res.header(FRAME_OPTIONS, "DENY"); // browsers without frame-ancestors
      res.header(CONTENT_TYPE_OPTIONS, "nosniff");
      res.header(REFERRER_POLICY, "no-referrer"); // a ?token= in the address never leaves in a Referer
      res.send(body);
    };
  }
}
