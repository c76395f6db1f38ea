package dev.forumdesk.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A tiny CRM for demo mode, speaking the contract Forumdesk calls (README, "CRM"):
 * {@code GET /customers/{telegramUserId}} → {@code {"tier":...,"name":...}} or 404. Loopback only.
 */
final class ExampleCrm implements AutoCloseable {
  /** The demo simulator's customers. */
  static final Map<Long, String[]> CUSTOMERS = Map.of(
      5001L, new String[] {"gold", "Bob"},
      5002L, new String[] {"platinum", "Ольга"},
      5003L, new String[] {"standard", "Carlos"});

  private final HttpServer server;

  private ExampleCrm(HttpServer server) {
    this.server = server;
  }

  static ExampleCrm start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/customers/", exchange -> {
        String id = exchange.getRequestURI().getPath().substring("/customers/".length());
        String[] c = null;
        try {
          c = CUSTOMERS.get(Long.parseLong(id));
        } catch (NumberFormatException ignored) {
          // not a Telegram user id: unknown customer
        }
        byte[] body = (c == null
            ? "{\"error\":\"unknown customer\"}"
            : "{\"tier\":\"" + c[0] + "\",\"name\":\"" + c[1] + "\",\"telegramUserId\":" + id + "}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(c == null ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      s.start();
      return new ExampleCrm(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the example CRM", e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
