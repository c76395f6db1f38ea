package dev.forumdesk.app;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is set up: Logback (logback.xml) with {@code java.util.logging} bridged
 * to it by {@link Forumdesk#main}. Without a provider Helidon prints "There is no Helidon logging
 * implementation on classpath, skipping log configuration." to stderr at every start, which reads as
 * an error. Registered in META-INF/services.
 */
public final class LogbackLogging implements LoggingProvider {
  @Override
  public void initialization() {
    // logback.xml configures everything; nothing for Helidon to do
  }

  @Override
  public void runTime() {
    // only for native images, which Forumdesk is not
  }
}
