package dev.forumdesk.api;

import dev.forumdesk.json.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Map;

/**
 * The errors Helidon answers before any route sees the request (a bad percent-encoding, a request
 * line over its limit, a malformed header): the usual JSON error body, {@code {"error":"…"}}, as
 * every route's error, instead of Helidon's empty one. The status stays Helidon's. What was sent is
 * not echoed back: the message says what kind of request is refused, not what it held.
 */
public final class JsonDirectHandler implements DirectHandler {
  private JsonDirectHandler() {}

  /** This handler for every kind of event, for {@code WebServer.builder().directHandlers(…)}. */
  public static DirectHandlers all() {
    DirectHandlers.Builder handlers = DirectHandlers.builder();
    JsonDirectHandler json = new JsonDirectHandler();
    for (EventType type : EventType.values()) {
      handlers.addHandler(type, json);
    }
    return handlers.build();
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
      ServerResponseHeaders headers, String message) {
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .entity(Json.write(Map.of("error", describe(status))))
        .build();
  }

  /** What a client can do about it, by status. */
  static String describe(Status status) {
    return switch (status.code()) {
      case 400 -> "bad request: its request line, a header or a percent-encoding (%XX) cannot be read";
      case 413 -> "request too large";
      case 414 -> "URI too long: the path and query together are longer than this server reads";
      case 431 -> "request header fields too large";
      default -> status.code() + " " + status.reasonPhrase();
    };
  }
}
