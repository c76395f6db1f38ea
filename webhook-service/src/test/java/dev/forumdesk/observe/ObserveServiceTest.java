package dev.forumdesk.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health answers within a probe's patience even when several checks hang on one outage. */
class ObserveServiceTest {
  static ObserveService.Check check(String name, Duration hangs, boolean up) {
    return new ObserveService.Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        try {
          Thread.sleep(hangs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new Result(up, Map.of());
      }
    };
  }

  @Test
  void checksRunSideBySideAndOneThatHangsIsDownAfterTheTimeout() throws Exception {
    // a database outage: three checks each waiting for the pool's 5 s timeout
    var checks = List.of(check("database", Duration.ofSeconds(20), true), check("inbox", Duration.ofSeconds(20), true),
        check("outbox", Duration.ofSeconds(20), true), check("temporal", Duration.ZERO, true));
    WebServer server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/observe", new ObserveService(checks, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))))
        .build().start();
    try {
      long start = System.nanoTime();
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.statusCode()).isEqualTo(503);
      var body = Json.mapper().readTree(r.body());
      assertThat(body.path("checks").path("database").path("error").asText()).isEqualTo("no answer within PT3S");
      assertThat(body.path("checks").path("temporal").path("status").asText()).isEqualTo("UP");
      assertThat(took).as("not 3 × 20 s, nor 3 × 3 s").isLessThan(Duration.ofSeconds(8));
    } finally {
      server.stop();
    }
  }

  /** A check that nothing waits for (the help desk) shows DEGRADED and leaves the whole UP: 200, not 503. */
  @Test
  void aDegradedCheckShowsSoAndLeavesTheWholeUp() throws Exception {
    ObserveService.Check helpDesk = new ObserveService.Check() {
      @Override
      public String name() {
        return "helpDesk";
      }

      @Override
      public Result check() {
        return Result.degraded(Map.of("lastError", "RT unreachable"));
      }
    };
    WebServer server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/observe", new ObserveService(List.of(check("temporal", Duration.ZERO, true), helpDesk),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))))
        .build().start();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      var body = Json.mapper().readTree(r.body());
      assertThat(body.path("status").asText()).isEqualTo("UP");
      assertThat(body.path("checks").path("helpDesk").path("status").asText()).isEqualTo("DEGRADED");
      assertThat(body.path("checks").path("helpDesk").path("lastError").asText()).isEqualTo("RT unreachable");
    } finally {
      server.stop();
    }
  }
}
