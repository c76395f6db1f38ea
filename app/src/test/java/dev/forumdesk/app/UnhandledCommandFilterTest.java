package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.forumdesk.log.LogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The app's logging (logback.xml): the SDK's WARN for a workflow task refused because a signal
 * raced it, logged as the SDK logs it (workflows' CompletionRaceTest catches the real one), is one
 * INFO line; the same WARN for any other cause stays a WARN with its stack trace.
 */
class UnhandledCommandFilterTest {
  private static final String SDK_MESSAGE = "Failure while reporting workflow progress to the server. If seen"
      + " continuously the workflow might be stuck. WorkflowId={}, RunId={}, startedEventId={}";

  @RegisterExtension final LogCapture logged = LogCapture.root();

  @Test
  void aSignalRacingACompletionIsAnInfoLineAndOtherReportingFailuresStayWarnings() {
    org.slf4j.Logger sdk = LoggerFactory.getLogger(UnhandledCommandFilter.SDK_LOGGER);
    sdk.warn(SDK_MESSAGE, "ticket--100-42", "run-1", 32L,
        new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand")));
    sdk.warn(SDK_MESSAGE, "ticket--100-43", "run-2", 12L,
        new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception")));

    assertThat(logged.events()).hasSize(2);
    assertThat(logged.events().getFirst()).satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(e.getLoggerName()).isEqualTo(UnhandledCommandFilter.class.getName());
      assertThat(e.getFormattedMessage()).startsWith("A signal reached ticket--100-42 while its workflow task ran");
      assertThat(e.getThrowableProxy()).isNull();
    });
    assertThat(logged.events().getLast()).satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getLoggerName()).isEqualTo(UnhandledCommandFilter.SDK_LOGGER);
      assertThat(e.getThrowableProxy().getMessage()).startsWith("UNAVAILABLE");
    });
  }
}
