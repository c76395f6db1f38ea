package dev.forumdesk.observe;

import dev.forumdesk.api.JsonResponses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /observe/health} (200 UP / 503 DOWN with per-check details; a check may be DEGRADED, which
 * keeps 200 UP) and Prometheus metrics.
 */
public final class ObserveService implements HttpService {
  /** One named health check; {@code details} may carry numbers such as backlog sizes. */
  public interface Check {
    String name();

    Result check();

    /**
     * @param degraded up, but not all it should be (shown as {@code "DEGRADED"}): the overall status
     *     stays UP and 200, since the desk's own parts work
     */
    record Result(boolean up, Map<String, Object> details, boolean degraded) {
      public Result(boolean up, Map<String, Object> details) {
        this(up, details, false);
      }

      public static Result degraded(Map<String, Object> details) {
        return new Result(true, details, true);
      }
    }
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

  /**
   * How long health waits for a check. The checks run side by side: in a database outage the
   * database, inbox and outbox checks each waited for the pool's 5 s timeout one after the other,
   * and health answered after 15 s, later than a probe waits.
   */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private void health(ServerRequest req, ServerResponse res) {
    Map<String, Future<Check.Result>> running = new LinkedHashMap<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (Check c : checks) {
        running.put(c.name(), pool.submit(c::check));
      }
      Map<String, Object> results = new LinkedHashMap<>();
      boolean up = true;
      long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
      for (Map.Entry<String, Future<Check.Result>> e : running.entrySet()) {
        Check.Result r = result(e.getValue(), deadline);
        up &= r.up();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("status", !r.up() ? "DOWN" : r.degraded() ? "DEGRADED" : "UP");
        entry.putAll(r.details());
        results.put(e.getKey(), entry);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", up ? "UP" : "DOWN");
      body.put("checks", results);
      JsonResponses.send(res, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    } finally {
      pool.shutdownNow(); // a check still waiting is DOWN already: not waited for (close() would)
    }
  }

  private static Check.Result result(Future<Check.Result> check, long deadline) {
    try {
      return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      check.cancel(true);
      return new Check.Result(false, Map.of("error", "no answer within " + CHECK_TIMEOUT));
    } catch (ExecutionException e) {
      return new Check.Result(false, Map.of("error", e.getCause().getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check.Result(false, Map.of("error", "interrupted"));
    }
  }

  private void metrics(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    res.send(registry.scrape());
  }
}
