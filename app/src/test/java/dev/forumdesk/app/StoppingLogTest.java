package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM runs {@link Forumdesk#main}'s shutdown hook, which closes the app: the log says it is
 * stopping and that it stopped (audit 8, F18: the log ended with the last request, so an operator
 * could not tell a stop from a hang or a crash).
 */
class StoppingLogTest {
  @TempDir Path dir;

  @Test
  void closingTheAppLogsStoppingAndStopped() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger app = (Logger) LoggerFactory.getLogger(ForumdeskApp.class);
    logged.start();
    app.addAppender(logged);
    try {
      new AppFixture(dir).close();
      assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(m -> assertThat(m).startsWith("stopping"))
          .anySatisfy(m -> assertThat(m).startsWith("stopped"));
    } finally {
      app.detachAppender(logged);
    }
  }
}
