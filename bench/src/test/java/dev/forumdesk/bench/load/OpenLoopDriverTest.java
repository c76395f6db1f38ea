package dev.forumdesk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A small, fast run against a local server: the driver sends exactly what it was asked to. */
class OpenLoopDriverTest {
  @Test
  void sendsTheBoundedCountAtTheRateAndCountsStatuses() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger hits = new AtomicInteger();
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      int n = hits.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(n % 10 == 0 ? 503 : 200, -1);
      ex.close();
    });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    try (OpenLoopDriver driver = new OpenLoopDriver()) {
      OpenLoopDriver.Result r = driver.run(200, 50,
          i -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), Duration.ofSeconds(10));
      assertThat(r.sent()).isEqualTo(50);
      assertThat(hits.get()).isEqualTo(50);
      assertThat(r.statuses()).containsEntry(200, 45).containsEntry(503, 5);
      assertThat(r.latencies().count()).isEqualTo(50);
      assertThat(r.seconds()).as("50 requests at 200/s take about 0.25 s").isGreaterThanOrEqualTo(0.24);
    } finally {
      server.stop(0);
    }
  }
}
