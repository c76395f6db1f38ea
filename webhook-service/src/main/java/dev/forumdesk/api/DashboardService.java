package dev.forumdesk.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the supervisor dashboard, one static page that reads /api with the bearer token
 * the user signs in with (kept for the tab only, in sessionStorage; a {@code ?token=} in the address is
 * taken and removed from it), so the page itself holds no data.
 */
public final class DashboardService implements HttpService {
  private final byte[] page;

  public DashboardService() {
    try (InputStream in = DashboardService.class.getResourceAsStream("/dashboard/index.html")) {
      page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::index);
  }

  private void index(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.header(HeaderNames.create("Content-Security-Policy"), "default-src 'self' 'unsafe-inline'");
    res.send(page);
  }
}
