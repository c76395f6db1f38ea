package dev.forumdesk.api;

import dev.forumdesk.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** JSON bodies with our one ObjectMapper, and error bodies of one shape: {"error": "..."}. */
public final class JsonResponses {
  private JsonResponses() {}

  public static void send(ServerResponse res, Status status, Object body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.write(body));
  }

  public static void ok(ServerResponse res, Object body) {
    send(res, Status.OK_200, body);
  }

  public static void error(ServerResponse res, Status status, String message) {
    send(res, status, Map.of("error", message));
  }

  /** What no route serves: a JSON 404 like every other error, not Helidon's text. */
  public static void noSuchEndpoint(ServerRequest req, ServerResponse res) {
    error(res, Status.NOT_FOUND_404, "no such endpoint: " + req.prologue().method().text() + " " + req.path().absolute().path());
  }
}
