package dev.forumdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A worker whose Temporal cluster is not up yet (a docker compose start order, an outage). */
class TicketWorkerTest {
  @Test
  void aFrontendThatDoesNotAnswerAtStartDoesNotFailTheStartAndIsReachedOnceItIsUp() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (TemporalConnection connection = new TemporalConnection("127.0.0.1:" + port, "default");
        TicketWorker worker = new TicketWorker(connection.client(), "forumdesk-test").start()) {
      assertThat(worker.polling()).as("nothing listens yet").isFalse();
      try (EmbeddedTemporal temporal = EmbeddedTemporal.start(port)) {
        Awaitility.await("the worker polls once the frontend answers").atMost(Duration.ofSeconds(30))
            .until(worker::polling);
      }
    }
  }
}
