package dev.forumdesk.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Turns one Temporal SDK warning into an INFO line: the server refused to complete a workflow task
 * because a signal reached the ticket while the task ran ({@code INVALID_ARGUMENT: UnhandledCommand}),
 * say a customer's message or a capacity-freed signal just as auto-close closes the ticket. That
 * refusal is how Temporal keeps the signal: the worker runs the task again with it, and the ticket
 * handles it (CompletionRaceTest). The workflow cannot avoid it, since no workflow code sees a signal
 * that arrives after its task started; but the SDK (temporal-sdk 1.38) logs it as a WARN of {@value
 * #SDK_LOGGER} with a stack trace, which operators read as an error. Every other failure to report a
 * task (the server unreachable: "if seen continuously the workflow might be stuck") stays a WARN.
 * Registered in logback.xml.
 */
public final class UnhandledCommandFilter extends TurboFilter {
  static final String SDK_LOGGER = "io.temporal.internal.worker.WorkflowWorker";
  static final String REFUSAL = "INVALID_ARGUMENT: UnhandledCommand";
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(UnhandledCommandFilter.class);

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !SDK_LOGGER.equals(logger.getName()) || !isRefusal(thrown(params, t))) {
      return FilterReply.NEUTRAL;
    }
    // the SDK's arguments: WorkflowId, RunId, startedEventId, then the exception
    log.info("A signal reached {} while its workflow task ran; Temporal runs the task again with it (UnhandledCommand)",
        params.length > 1 ? params[0] : "a workflow");
    return FilterReply.DENY;
  }

  /** SLF4J passes an exception given after the arguments as the last argument. */
  private static Throwable thrown(Object[] params, Throwable t) {
    if (t != null) {
      return t;
    }
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
  }

  private static boolean isRefusal(Throwable thrown) {
    for (Throwable c = thrown; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().startsWith(REFUSAL)) {
        return true;
      }
    }
    return false;
  }
}
