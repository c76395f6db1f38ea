package dev.forumdesk.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Requires {@code Authorization: Bearer $FORUMDESK_API_TOKEN} on every /api route. */
public final class BearerAuth implements Filter {
  private final byte[] expected;

  public BearerAuth(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (!req.path().path().startsWith("/api/")) {
      chain.proceed();
      return;
    }
    // the scheme in any case (RFC 9110: "bearer" is "Bearer"), the token compared in constant time
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7);
    byte[] given = (bearer ? header.substring(7).strip() : "").getBytes(StandardCharsets.UTF_8);
    if (bearer && MessageDigest.isEqual(given, expected)) {
      chain.proceed();
    } else {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
      JsonResponses.error(res, Status.UNAUTHORIZED_401, "missing or wrong bearer token");
    }
  }
}
