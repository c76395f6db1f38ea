package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.HelidonServiceLoader;
import io.helidon.logging.common.spi.LoggingProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Helidon looks for a logging provider as below (LogConfig) and, finding none, prints "There is no
 * Helidon logging implementation on classpath" on stderr at every start.
 */
class LogbackLoggingTest {
  @Test
  void helidonFindsThatLoggingIsConfigured() {
    assertThat(HelidonServiceLoader.create(ServiceLoader.load(LoggingProvider.class)).asList())
        .singleElement().isInstanceOf(LogbackLogging.class);
  }
}
