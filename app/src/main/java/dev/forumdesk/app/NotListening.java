package dev.forumdesk.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * The HTTP server that did not start. Helidon's {@code WebServer.start()} does not throw when its
 * listener cannot bind: it logs the error with a stack trace, stops and returns, and the app would
 * run on with its worker and no webhook, API or health check, a live process no supervisor
 * restarts. The start fails instead, with the reason found by binding the same address.
 *
 * <p>The usual cause, a port another process holds, is found before Helidon tries ({@link
 * #requireFree}), so the operator reads our one line and not Helidon's forty before it. Helidon's
 * other errors are still logged: only the bind is checked first.
 */
final class NotListening {
  private NotListening() {}

  /**
   * Binds {@code host:port} once and lets it go: a port that is taken fails the start here. Port 0
   * (any free one) cannot be taken.
   *
   * @throws UncheckedIOException naming the address and the reason
   */
  static void requireFree(String host, int port) {
    if (port != 0) {
      bindFailure(host, port).ifPresent(why -> {
        throw failure(host, port, why);
      });
    }
  }

  /** After Helidon's start did not listen: why, if binding the address again says. */
  static UncheckedIOException on(String host, int port) {
    return failure(host, port,
        bindFailure(host, port).orElseGet(() -> new IOException("the listener did not start (see the log above)")));
  }

  private static Optional<IOException> bindFailure(String host, int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e);
    }
  }

  private static UncheckedIOException failure(String host, int port, IOException why) {
    return new UncheckedIOException("cannot start the HTTP server on " + host + ":" + port, why);
  }
}
