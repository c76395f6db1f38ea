package dev.forumdesk.api;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A request's body read up to a bound, so an oversized one costs no more than the bound to refuse. */
public final class RequestBodies {
  private RequestBodies() {}

  /** The body's bytes; empty when it is longer than {@code max} (the caller answers 413). */
  public static Optional<byte[]> atMost(ServerRequest req, int max) throws IOException {
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(max + 1);
      return bytes.length > max ? Optional.empty() : Optional.of(bytes);
    }
  }
}
