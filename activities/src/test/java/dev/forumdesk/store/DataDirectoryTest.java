package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Audit 21a F6: the embedded store's files (every customer message in inbox.db) were world-readable in a
 * 0755 directory, while api-token beside them is 0600. On a POSIX file system the data directory is its
 * owner's only (0700) and the files the store creates there 0600; one an earlier version left wider is narrowed.
 */
class DataDirectoryTest {
  @TempDir Path tmp;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aNewDataDirectoryAndTheStoresFilesAreTheOwnersOnly() throws Exception {
    assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "a POSIX file system");
    Path dir = tmp.resolve("data");
    try (Database db = Database.embedded(dir)) {
      new Inbox(db).append(1, java.util.Optional.of("t"), "topic-created", "{\"update_id\":1}");
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(files(dir)).extracting(p -> p.getFileName().toString()).contains("forumdesk.mv.db", "inbox.db");
      for (Path f : files(dir)) {
        assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aDirectoryAnEarlierVersionLeftWideIsNarrowed() throws Exception {
    assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "a POSIX file system");
    Path dir = tmp.resolve("data");
    Database.embedded(dir).close();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Path f : files(dir)) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (Database db = Database.embedded(dir)) {
      assertThat(mode(dir)).isEqualTo("rwx------");
      for (Path f : files(dir)) {
        assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
      }
    }
  }

  /**
   * Reviewer: FORUMDESK_DATA_DIR=/var/lib, $HOME or /tmp (the image runs as root) was chmodded 0700 silently.
   * A directory this process did not create and that holds files not Forumdesk's is left as it is, with one
   * WARN; the store's own files in it are still its owner's only, and the foreign file is untouched.
   */
  @Test
  void aSharedDirectoryWithAForeignFileIsNotNarrowedButTheStoresFilesAre() throws Exception {
    assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "a POSIX file system");
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "someone else's");
    Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-r--r--"));
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(DataDirectory.class);
    logged.start();
    logger.addAppender(logged);
    try {
      try (Database db = Database.embedded(dir)) {
        new Inbox(db).append(1, java.util.Optional.of("t"), "topic-created", "{\"update_id\":1}");
      }
      Database.embedded(dir).close(); // a restart: still left, still one WARN in this process
      assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
      assertThat(mode(foreign)).isEqualTo("rw-r--r--");
      for (String own : List.of("forumdesk.mv.db", "inbox.db")) {
        assertThat(mode(dir.resolve(own))).as(own).isEqualTo("rw-------");
      }
      assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
          .extracting(ILoggingEvent::getFormattedMessage)
          .singleElement().asString().contains(dir.toString()).contains("readable by others").contains("notes.txt");
    } finally {
      logger.detachAppender(logged);
    }
  }
}
