package dev.forumdesk.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the last commits of an H2 file that was not closed (kill -9, a crash) before Forumdesk
 * opens it.
 *
 * <p>With WRITE_DELAY=0 each H2 commit writes its chunk before it returns, so after a kill -9 the
 * chunk is in the file; but H2 2.5.252 opened such a file at an older chunk and the last commits
 * (0.1-0.6 s of them under load, audit 11 F3) were gone. H2 finds the newest chunk from its
 * file header, which points at a chunk, and from there each chunk's prediction of where the next
 * one goes ({@code next}). Once a chunk lands elsewhere (free space is reused after the retention
 * time, and a chunk larger than its predecessor does not fit where that one predicted), H2 does
 * write the header again, but from the chunk that was last until then: {@code FileStore.storeBuffer}
 * (2.5.252 lines 1587-1588) sets {@code lastChunk} only after {@code RandomAccessStore.writeChunk}
 * (397-410; the check {@code lastChunk.next != c.block} at 419, the header from {@code lastChunk}
 * at 624-628) wrote it. The header names the chunk before the new one, whose prediction misses it,
 * and the new chunk and those after it are not found (readStoreHeader, 200-334) until a later
 * header names a chunk whose prediction holds (H2 writes one at least every 20 versions, 423-426).
 *
 * <p>H2's recovery mode does not follow the predictions: it scans the whole file for chunks and
 * takes the newest whose set of chunks is complete. Opened that way and closed again, the file's
 * header names that chunk and says the file was closed cleanly, and the database opens at it. A
 * cleanly closed file (its header says {@code clean}) is opened as it is.
 */
final class H2CrashRecovery {
  private static final Logger log = LoggerFactory.getLogger(H2CrashRecovery.class);
  /** H2's store header: a line of {@code key:value} pairs in the file's first block. */
  private static final int HEADER_BLOCK = 4096;

  private H2CrashRecovery() {}

  /**
   * @param file the database's {@code .mv.db} file; nothing happens if it does not exist yet or was
   *     closed cleanly
   * @throws MVStoreException with {@link DataUtils#ERROR_FILE_LOCKED} if another process has it open
   */
  static void findLastCommits(Path file) {
    if (!Files.exists(file) || closedCleanly(file)) {
      return;
    }
    long start = System.nanoTime();
    // the plain file system, not the database's async: (Database.h2Url): this runs on the starting
    // thread before anything that could interrupt it, and the scan's many small reads took 2-4 times
    // as long through async:'s thread pool (275 MB: 1.6-2.7 s plain, 2.7-12 s async:, on a busy machine)
    MVStore store = new MVStore.Builder().fileName(file.toAbsolutePath().toString()).recoveryMode().open();
    long version = store.getCurrentVersion();
    store.close();
    log.info("{} was not closed cleanly: opened at its newest complete chunk (version {}) in {} ms", file, version,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static boolean closedCleanly(Path file) {
    byte[] block;
    try (InputStream in = Files.newInputStream(file)) {
      block = in.readNBytes(HEADER_BLOCK);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String header = new String(block, StandardCharsets.ISO_8859_1);
    int end = header.indexOf('\n');
    if (end < 0) {
      return false;
    }
    try {
      Map<String, String> fields = DataUtils.parseMap(header.substring(0, end));
      return !"0".equals(fields.getOrDefault("clean", "0"));
    } catch (MVStoreException damaged) {
      return false; // H2 reads the header's copy in the second block; the scan finds the chunks
    }
  }

  /** Whether {@code e} says another process holds the file (H2's file lock). */
  static boolean isLockedFile(Throwable e) {
    return e instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED;
  }
}
