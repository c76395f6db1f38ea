package dev.forumdesk.observe;

import dev.forumdesk.api.JsonResponses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /observe/health} (200 UP / 503 DOWN with per-check details) and Prometheus metrics. */
public final class ObserveService implements HttpService {
  /** One named health check; {@code details} may carry numbers such as backlog sizes. */
  public interface Check {
    String name();

    Result check();

    record Result(boolean up, Map<String, Object> details) {}
  }

  private final List<Check> checks;
  private final PrometheusMeterRegistry registry;

  public ObserveService(List<Check> checks, PrometheusMeterRegistry registry) {
    this.checks = checks;
    this.registry = registry;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/health", this::health).get("/metrics", this::metrics);
  }

  private void health(ServerRequest req, ServerResponse res) {
    Map<String, Object> results = new LinkedHashMap<>();
    boolean up = true;
    for (Check c : checks) {
      Check.Result r;
      try {
        r = c.check();
      } catch (RuntimeException e) {
        r = new Check.Result(false, Map.of("error", e.getClass().getSimpleName()));
      }
      up &= r.up();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("status", r.up() ? "UP" : "DOWN");
      entry.putAll(r.details());
      results.put(c.name(), entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", results);
    JsonResponses.send(res, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
  }

  private void metrics(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    res.send(registry.scrape());
  }
}
