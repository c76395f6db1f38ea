package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.forumdesk.log.LogCapture;
import io.grpc.Status;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The app's logging (logback.xml): gRPC's channel warns "Failed to resolve name" through JUL with
 * the Status (and its cause's stack trace) in the message, every few seconds while a host does not
 * resolve; the log shows one line a minute naming TEMPORAL_ADDRESS. Other gRPC warnings stay.
 */
class NameResolutionFilterTest {
  @RegisterExtension final LogCapture logged = LogCapture.root();

  @Test
  void repeatedNameResolutionFailuresAreOneLineNamingTheVariable() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install(); // as Forumdesk.main: gRPC logs through java.util.logging
    java.util.logging.Logger grpc = java.util.logging.Logger.getLogger(NameResolutionFilter.GRPC_CHANNEL);
    Status failed = Status.UNAVAILABLE.withDescription("Unable to resolve host notahost")
        .withCause(new RuntimeException(new UnknownHostException("notahost: Name or service not known")));
    for (int i = 0; i < 5; i++) {
      grpc.log(java.util.logging.Level.WARNING, "[{0}] Failed to resolve name. status={1}",
          new Object[] {"Channel<1>: (notahost:7233)", failed});
    }
    grpc.log(java.util.logging.Level.WARNING, "[Channel<1>] something else");

    assertThat(logged.events()).hasSize(2);
    assertThat(logged.events().getFirst()).satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).isEqualTo("Temporal's host does not resolve (Unable to resolve host notahost);"
          + " check TEMPORAL_ADDRESS and DNS, retrying (said at most once a minute)");
      assertThat(e.getThrowableProxy()).isNull();
    });
    assertThat(logged.events().getLast().getFormattedMessage()).isEqualTo("[Channel<1>] something else");
  }
}
