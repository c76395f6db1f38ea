package dev.forumdesk.api;

import dev.forumdesk.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
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
}
