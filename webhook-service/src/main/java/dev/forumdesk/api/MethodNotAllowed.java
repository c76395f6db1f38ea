package dev.forumdesk.api;

import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers {@code 405 Method Not Allowed} with an {@code Allow} header when a request's path is one a route
 * serves but its method is not (Helidon alone answers 404 for both). Wrap the whole routing once:
 * {@code r.register(MethodNotAllowed.around(rules -> rules.register("/api", ...)...))}; every service
 * registered inside, at any depth, gets the same treatment. A path no route serves stays 404.
 *
 * <p>Each service's routes are recorded as it registers them; a last catch-all route of the service, reached
 * only when none of them took the request, asks each recorded route which methods it would accept for this
 * path. None: the request goes on (to 404). Some: 405 listing them.
 */
public final class MethodNotAllowed implements HttpService {
  /** The methods a route may have; CONNECT is a proxy's business. */
  private static final List<Method> METHODS = List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT,
      Method.DELETE, Method.PATCH, Method.OPTIONS, Method.TRACE);

  private final HttpService inner;
  private final List<HttpRoute> routes = new ArrayList<>();

  private MethodNotAllowed(HttpService inner) {
    this.inner = inner;
  }

  /** @return {@code routes}, answering 405 on a known path with a wrong method, at every level */
  public static HttpService around(HttpService routes) {
    return routes instanceof MethodNotAllowed already ? already : new MethodNotAllowed(routes);
  }

  @Override
  public void routing(HttpRules rules) {
    inner.routing(new Recording(rules));
    rules.any(this::answer);
  }

  private void answer(ServerRequest req, ServerResponse res) {
    // the raw path, as the routes' own matching read it: the decoded one decoded again would turn a %25 into
    // a %, and a %5c's backslash, or a %20's space, is what no URI holds (audit 21a F3: a 500 and a stack trace)
    List<Method> allowed;
    try {
      allowed = allowed(req.prologue(), UriPath.create(req.path().rawPath()));
    } catch (IllegalArgumentException e) {
      allowed = List.of(); // a path no route can match: unknown, 404
    }
    if (allowed.isEmpty()) {
      res.next();
      return;
    }
    res.header(HeaderNames.ALLOW, allowed.stream().map(Method::text).collect(Collectors.joining(", ")));
    JsonResponses.error(res, Status.METHOD_NOT_ALLOWED_405,
        req.prologue().method().text() + " not allowed here; allowed: "
            + allowed.stream().map(Method::text).collect(Collectors.joining(", ")));
  }

  /** @param path relative to this service's mount point, as its routes see it */
  private List<Method> allowed(HttpPrologue request, UriPath path) {
    List<Method> allowed = new ArrayList<>();
    for (Method m : METHODS) {
      HttpPrologue probe = HttpPrologue.create(request.rawProtocol(), request.protocol(), request.protocolVersion(),
          m, path, request.query(), request.fragment());
      if (routes.stream().anyMatch(r -> r.accepts(probe).accepted())) {
        allowed.add(m);
      }
    }
    return allowed;
  }

  /** Passes every rule on, remembering the routes and wrapping nested services. */
  private final class Recording implements HttpRules {
    private final HttpRules rules;

    Recording(HttpRules rules) {
      this.rules = rules;
    }

    @Override
    public HttpRules register(HttpService... services) {
      rules.register(wrapped(services));
      return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
      rules.register(pathPattern, wrapped(services));
      return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
      routes.add(route);
      rules.route(route);
      return this;
    }

    private HttpService[] wrapped(HttpService... services) {
      return Arrays.stream(services).map(MethodNotAllowed::around).toArray(HttpService[]::new);
    }
  }
}
