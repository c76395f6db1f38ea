package dev.forumdesk.app;

import dev.forumdesk.telegram.FakeTelegram;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The app of a restart test: started, stopped and started again on one data directory, against
 * one fake Telegram that outlives each run (its calls span the restarts); both closed after the
 * test. Register with {@code @RegisterExtension}.
 */
final class RestartingApp implements AfterEachCallback {
  final FakeTelegram telegram = new FakeTelegram(AppFixture.TOKEN);
  private AppFixture running;

  /** Starts the app in {@code RUN} mode on {@code dataDir}, stopping the one running first. */
  AppFixture start(Path dataDir, String yaml) throws Exception {
    stop();
    running = new AppFixture(dataDir, yaml, Map.of(), ForumdeskApp.Mode.RUN, telegram);
    return running;
  }

  /** Stops the running app, if any (as SIGTERM would). */
  void stop() {
    if (running != null) {
      AppFixture app = running;
      running = null;
      app.close();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      stop();
    } finally {
      telegram.close();
    }
  }
}
