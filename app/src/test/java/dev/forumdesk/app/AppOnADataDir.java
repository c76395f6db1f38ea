package dev.forumdesk.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose cases each run the whole app ({@link AppFixture}, in {@link #f}) on a data
 * directory of their own ({@link #dir}), where a case may stop it and start it again (a restart).
 * What runs at the case's end is stopped, also when the case failed.
 */
abstract class AppOnADataDir {
  @TempDir Path dir;
  AppFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }
}
