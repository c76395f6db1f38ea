package dev.forumdesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/**
 * The bench's logging (logback-bench.xml) drops the SDK's WARN for a workflow task refused because a
 * signal raced it, as the app's logback.xml does; other WARNs of the SDK stay.
 */
class BenchLoggingTest {
  private static final String SDK_LOGGER = "io.temporal.internal.worker.WorkflowWorker";
  private static final String SDK_MESSAGE = "Failure while reporting workflow progress to the server. If seen"
      + " continuously the workflow might be stuck. WorkflowId={}, RunId={}, startedEventId={}";

  @Test
  void aSignalRacingACompletionIsNoWarningButOtherReportingFailuresAre() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(BenchLoggingTest.class.getResource("/logback-bench.xml"));
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.setContext(context);
    logged.start();
    root.addAppender(logged);

    Logger sdk = context.getLogger(SDK_LOGGER);
    sdk.warn(SDK_MESSAGE, "ticket--100-42", "run-1", 32L,
        new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand")));
    sdk.warn(SDK_MESSAGE, "ticket--100-43", "run-2", 12L,
        new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception")));
    context.stop();

    assertThat(logged.list).singleElement()
        .satisfies(e -> assertThat(e.getThrowableProxy().getMessage()).startsWith("UNAVAILABLE"));
  }
}
