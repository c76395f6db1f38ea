package dev.forumdesk.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What one class logged during a test: {@code @RegisterExtension final LogCapture logs =
 * LogCapture.of(ConfigLoader.class);} listens from before each test to after it.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  private LogCapture(Class<?> source) {
    this.logger = (Logger) LoggerFactory.getLogger(source);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    events.list.clear();
    events.start();
    logger.addAppender(events);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(events);
  }

  /** Every event so far, oldest first. */
  public List<ILoggingEvent> events() {
    return List.copyOf(events.list);
  }

  /** The formatted messages logged at {@code level}. */
  public List<String> at(Level level) {
    return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The formatted WARN messages. */
  public List<String> warnings() {
    return at(Level.WARN);
  }
}
