package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
