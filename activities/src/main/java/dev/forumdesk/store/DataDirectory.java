package dev.forumdesk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * $FORUMDESK_DATA_DIR for its owner only, on a POSIX file system: the directory 0700 and the files the
 * embedded store creates there 0600, as api-token is (audit 21a F6: inbox.db, every customer message, was
 * world-readable in a 0755 directory). A directory or file an earlier version left wider is narrowed; one
 * this process may not change (another owner's) is said in a WARN and left as it is. The directory is narrowed
 * only when this process created it or it holds nothing but Forumdesk's own files ({@link #OURS}): a shared one
 * (FORUMDESK_DATA_DIR=/var/lib, $HOME, /tmp, and the image runs as root) is left as it is, said once in a WARN.
 */
public final class DataDirectory {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  /** The names Forumdesk writes in its data directory: H2's forumdesk.*, SQLite's inbox.db*, api-token(.new). */
  static final List<String> OURS = List.of("forumdesk.", "inbox.db", "api-token");
  private static final Set<Path> toldShared = ConcurrentHashMap.newKeySet();

  private DataDirectory() {}

  /**
   * Creates {@code dir} (and its parents, as usual), or takes it as it is, and narrows it to 0700 when this
   * process created it or it holds nothing but Forumdesk's files; another (shared) directory is left as it is,
   * with one WARN a process when others may read it.
   */
  public static void ownerOnly(Path dir) throws IOException {
    boolean existed = Files.exists(dir);
    Files.createDirectories(dir);
    if (!posix(dir)) {
      return;
    }
    Optional<String> foreign = existed ? foreignEntry(dir) : Optional.empty(); // still empty when just created
    if (foreign.isEmpty()) {
      narrow(dir, OWNER_ONLY_DIRECTORY);
      return;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    if (!OWNER_ONLY_DIRECTORY.containsAll(mode) && toldShared.add(dir.toAbsolutePath().normalize())) {
      log.warn("{} is readable by others than its owner ({}) and left as it is: it holds files not Forumdesk's"
          + " ({}); Forumdesk's own files in it are its owner's only, but for a data directory that is too, give"
          + " FORUMDESK_DATA_DIR a directory of its own", dir, PosixFilePermissions.toString(mode), foreign.get());
    }
  }

  /** The name of an entry in {@code dir} that is not one of Forumdesk's, if there is one. */
  private static Optional<String> foreignEntry(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> OURS.stream().noneMatch(name::startsWith))
          .sorted()
          .findFirst();
    }
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
