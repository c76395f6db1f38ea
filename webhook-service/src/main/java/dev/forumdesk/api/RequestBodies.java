package dev.forumdesk.api;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A request's body read up to a bound, so an oversized one costs no more than the bound to refuse. */
public final class RequestBodies {
  private RequestBodies() {}

  /** What {@link #read} found: the whole body, one over the bound, or a connection that ended before it was whole. */
  public sealed interface Body {
    record Whole(byte[] bytes) implements Body {}

    /** Longer than the bound: declared so (not read at all), or found so after reading the bound. */
    record TooLarge() implements Body {}

    /** The connection closed or broke before the body was whole: nobody is left to answer. */
    record CutOff(String why) implements Body {}
  }

  /**
   * The body up to {@code max} bytes; a declared Content-Length over it is refused before anything is read
   * (audit 21a F4: a declared 5,000,000 was waited for), and a body its connection cut off is told apart from
   * one that is too large.
   */
  public static Body read(ServerRequest req, int max) {
    if (req.headers().contentLength().orElse(0) > max) {
      return new Body.TooLarge();
    }
    try {
      return atMost(req, max).<Body>map(Body.Whole::new).orElseGet(Body.TooLarge::new);
    } catch (IOException | RuntimeException e) {
      return new Body.CutOff(e.toString());
    }
  }

  /** The body's bytes; empty when it is longer than {@code max} (the caller answers 413). */
  public static Optional<byte[]> atMost(ServerRequest req, int max) throws IOException {
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(max + 1);
      return bytes.length > max ? Optional.empty() : Optional.of(bytes);
    }
  }
}
