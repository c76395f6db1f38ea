package dev.forumdesk.ingress;

import dev.forumdesk.api.JsonResponses;
import dev.forumdesk.api.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /telegram/webhook}: source network, secret header, size, JSON; then the update is
 * committed to the inbox before the 200. Never 200 for an update that was not stored.
 */
public final class WebhookService implements HttpService {
  public static final int MAX_BODY = 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(WebhookService.class);
  private static final HeaderName SECRET_HEADER =
      HeaderNames.create("X-Telegram-Bot-Api-Secret-Token");

  private final Ingress ingress;
  private final Optional<byte[]> secret;
  private static final HeaderName FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

  private final CidrAllowList allowList;
  private final SourceAddress source;
  private final Optional<byte[]> pathSecret;
  private final RefusalLog refusals = new RefusalLog(log, java.time.Clock.systemUTC());

  public WebhookService(Ingress ingress, Optional<String> secret, CidrAllowList allowList) {
    this(ingress, secret, allowList, new CidrAllowList(List.of()), Optional.empty());
  }

  /**
   * @param trustedProxies peers whose X-Forwarded-For is believed
   * @param pathSecret when set, the webhook is served only at {@code /webhook/<pathSecret>}
   */
  public WebhookService(Ingress ingress, Optional<String> secret, CidrAllowList allowList,
      CidrAllowList trustedProxies, Optional<String> pathSecret) {
    this.ingress = ingress;
    this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
    this.allowList = allowList;
    this.source = new SourceAddress(trustedProxies);
    this.pathSecret = pathSecret.map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void routing(HttpRules rules) {
    if (pathSecret.isPresent()) {
      rules.post("/webhook/{segment}", this::receiveAtSecretPath);
    } else {
      rules.post("/webhook", this::receive);
    }
  }

  private void receiveAtSecretPath(ServerRequest req, ServerResponse res) {
    byte[] given = req.path().pathParameters().first("segment").orElse("").getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, pathSecret.get())) {
      // the same answer as for any unknown path: a wrong guess learns nothing
      JsonResponses.noSuchEndpoint(req, res);
      return;
    }
    receive(req, res);
  }

  private void receive(ServerRequest req, ServerResponse res) {
    if (req.remotePeer().address() instanceof InetSocketAddress peer) {
      // every field line: a repeated field is one list (RFC 9110 5.3), its right-most hop counts
      Optional<InetAddress> from = source.of(peer.getAddress(), req.headers().all(FORWARDED_FOR, List::of));
      if (from.isEmpty() || !allowList.allows(from.get())) {
        refusals.refused("403", "webhook refused: source {} (peer {}) is outside TELEGRAM_ALLOWED_CIDRS",
            from.map(InetAddress::getHostAddress).orElse("unreadable X-Forwarded-For"), peer.getAddress().getHostAddress());
        ingress.refusedForbidden();
        JsonResponses.error(res, Status.FORBIDDEN_403, "source address not allowed");
        return;
      }
    }
    if (!secretMatches(req.headers().first(SECRET_HEADER))) {
      refusals.refused("401", "webhook refused: missing or wrong secret token header");
      ingress.refusedUnauthorized();
      JsonResponses.error(res, Status.UNAUTHORIZED_401, "missing or wrong secret token");
      return;
    }
    Optional<String> body = switch (RequestBodies.read(req, MAX_BODY)) {
      case RequestBodies.Body.Whole whole -> Optional.of(new String(whole.bytes(), StandardCharsets.UTF_8));
      case RequestBodies.Body.TooLarge tooLarge -> {
        refusals.refused("413", "webhook refused: body larger than 1 MiB");
        ingress.refusedTooLarge();
        // answered before the rest is read; the server then reads and drops it (closing at once, with the body
        // unread, would reset the connection under a client still sending, and it might lose this answer)
        JsonResponses.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "update larger than 1 MiB");
        yield Optional.empty();
      }
      case RequestBodies.Body.CutOff cut -> {
        refusals.refused("aborted", "webhook call abandoned: the connection closed before its body was whole ({})",
            cut.why());
        ingress.aborted();
        try { // an answer, should anyone still read one; the connection is usually gone
          res.header(HeaderNames.CONNECTION, "close");
          JsonResponses.error(res, Status.BAD_REQUEST_400, "the body ended before its Content-Length");
        } catch (RuntimeException gone) {
          // nobody to tell
        }
        yield Optional.empty();
      }
    };
    if (body.isEmpty()) {
      return;
    }
    Ingress.Result result;
    try {
      result = ingress.accept(body.get());
    } catch (RuntimeException e) {
      log.warn("inbox could not store an update, answering 503 so Telegram retries: {}", e.toString());
      JsonResponses.error(res, Status.SERVICE_UNAVAILABLE_503, "inbox unavailable, retry later");
      return;
    }
    if (result == Ingress.Result.BACKLOG_FULL) {
      JsonResponses.error(res, Status.SERVICE_UNAVAILABLE_503, "backlog full, retry later");
      return;
    }
    if (result == Ingress.Result.MALFORMED) {
      JsonResponses.error(res, Status.BAD_REQUEST_400, "body is not a Telegram Update");
      return;
    }
    JsonResponses.ok(res, Map.of("ok", true, "result", result.name().toLowerCase()));
  }

  private boolean secretMatches(Optional<String> header) {
    if (secret.isEmpty()) {
      return true; // demo mode: no bot, no secret; the allow-list still applies
    }
    byte[] given = header.orElse("").getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, secret.get());
  }
}
