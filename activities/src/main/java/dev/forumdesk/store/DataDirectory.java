package dev.forumdesk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * $FORUMDESK_DATA_DIR for its owner only, on a POSIX file system: the directory 0700 and the files the
 * embedded store creates there 0600, as api-token is (audit 21a F6: inbox.db, every customer message, was
 * world-readable in a 0755 directory). A directory or file an earlier version left wider is narrowed; one
 * this process may not change (another owner's) is said in a WARN and left as it is.
 */
public final class DataDirectory {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private DataDirectory() {}

  /** Creates {@code dir} (and its parents, as usual), or takes it as it is, and narrows it to 0700. */
  public static void ownerOnly(Path dir) throws IOException {
    Files.createDirectories(dir);
    narrow(dir, OWNER_ONLY_DIRECTORY); // still empty when just created
  }

  /** The regular files in {@code dir} whose names start with one of {@code prefixes}, narrowed to 0600. */
  static void filesOwnerOnly(Path dir, String... prefixes) {
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile)
          .filter(f -> Stream.of(prefixes).anyMatch(f.getFileName().toString()::startsWith))
          .forEach(f -> narrow(f, OWNER_ONLY_FILE));
    } catch (IOException e) {
      log.warn("could not list {} to make its files its owner's only: {}", dir, e.toString());
    }
  }

  private static boolean posix(Path p) {
    return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }

  private static void narrow(Path p, Set<PosixFilePermission> ownerOnly) {
    if (!posix(p)) {
      return;
    }
    try {
      if (!Files.getPosixFilePermissions(p).equals(ownerOnly)) {
        Files.setPosixFilePermissions(p, ownerOnly);
      }
    } catch (IOException e) {
      log.warn("{} is readable by others than its owner and could not be narrowed to {}: {}", p,
          PosixFilePermissions.toString(ownerOnly), e.toString());
    }
  }
}
