package dev.forumdesk.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The HTTP server that did not start. Helidon's {@code WebServer.start()} does not throw when its
 * listener cannot bind: it logs the error, stops and returns, and the app would run on with its
 * worker and no webhook, API or health check, a live process no supervisor restarts. The start
 * fails instead, with the reason found by binding the same address once more (Helidon keeps it to
 * its log).
 */
final class NotListening {
  private NotListening() {}

  static UncheckedIOException on(String host, int port) {
    IOException why;
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      why = new IOException("the listener did not start (see the log above)");
    } catch (IOException e) {
      why = e;
    }
    return new UncheckedIOException("cannot start the HTTP server on " + host + ":" + port, why);
  }
}
