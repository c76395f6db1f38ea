package dev.forumdesk.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What one logger received during a test: {@code @RegisterExtension final LogCapture logs =
 * LogCapture.of(ConfigLoader.class);} listens from before each test to after it. {@link #root()}
 * sees every event as the app's appenders do, after the context's filters (the app's log filters).
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Optional<Level> level = Optional.empty();
  private Level levelBefore;

  private LogCapture(Logger logger) {
    this.logger = logger;
    events.setContext(logger.getLoggerContext());
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture((Logger) LoggerFactory.getLogger(source));
  }

  /** A logger named otherwise than a class of ours (a library's). */
  public static LogCapture of(String name) {
    return new LogCapture((Logger) LoggerFactory.getLogger(name));
  }

  /** Everything logged, as it reaches the root logger's appenders. */
  public static LogCapture root() {
    return new LogCapture(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME));
  }

  /** The logger at {@code level} while listening (as the app sets it), its own level again after. */
  public LogCapture atLevel(Level level) {
    this.level = Optional.of(level);
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    events.list.clear();
    events.start();
    levelBefore = logger.getLevel();
    level.ifPresent(logger::setLevel);
    logger.addAppender(events);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(events);
    logger.setLevel(levelBefore);
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
