package dev.forumdesk.app;

import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code ./forumdesk dev|run}: start one Forumdesk process and keep it up until stopped. */
public final class Forumdesk {
  private Forumdesk() {}

  public static void main(String[] args) throws InterruptedException {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    ForumdeskApp.Mode mode;
    try {
      mode = ForumdeskApp.Mode.valueOf((args.length > 0 ? args[0] : "dev").toUpperCase());
    } catch (IllegalArgumentException e) {
      System.err.println("usage: Forumdesk dev | run | worker | webhook");
      System.exit(2);
      return;
    }
    ForumdeskApp app;
    try {
      Settings settings = Settings.fromEnv(System.getenv());
      app = ForumdeskApp.start(settings, mode, settings.temporalPort());
    } catch (ConfigException e) {
      System.err.println("forumdesk: configuration error: " + Redaction.redact(e.getMessage()));
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      // what the machine refused (a port taken, a database unreachable): one line, as for config
      System.err.println("forumdesk: cannot start: " + Redaction.redact(StartFailure.describe(e)));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
