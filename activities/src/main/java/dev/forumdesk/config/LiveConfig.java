package dev.forumdesk.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration, re-read when its file changes (checked at most every two seconds: on use, and
 * by the {@link #watch}er's thread while nothing uses it).
 * A reload that fails validation is logged with its reason and the last good configuration stays.
 * A reload reads the whole file as the start does ({@link ConfigLoader#read}): its unknown keys are
 * warned of again, and an invalid operations value (which only a restart applies) refuses it, as
 * the next start would. It applies the keys the running app re-reads ({@link RestartKeys#LIVE}); a
 * changed key that only a restart applies is named in a WARN and keeps its value in force, so that
 * what reads this configuration agrees with what was wired at start.
 *
 * <p>A changed file is applied only once its content is stable: read twice {@link #SETTLE} apart,
 * the same bytes; otherwise it is being written (a truncate-then-write save) and is looked at again
 * {@link #SETTLE} later, compared with what the look before read: only the first look after a change
 * waits on its reader's thread, not every look while the file keeps changing. A file with no YAML document (empty, blank or comments only) is refused, and
 * so is one that lists no agents while some are in force: applied, every agent would leave at once,
 * releasing all their tickets (audit 19b, F1). Only a restart empties the team.
 */
public final class LiveConfig implements Supplier<ForumdeskConfig>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
  /** How long apart the two reads of a changed file are, which must be the same bytes to be applied. */
  static final Duration SETTLE = Duration.ofMillis(300);
  /** How often the {@link #watch}er asks whether a look is due: a look comes at most this late. */
  private static final Duration TICK = Duration.ofMillis(200);

  /** Waits between the two reads (a sleep; tests change the file in it). */
  interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Optional<Path> file;
  private final Clock clock;
  private volatile ForumdeskConfig current;
  /** What is in force: {@link #current} and the operations the app was started with. */
  private volatile ConfigLoader.Loaded inForce;
  private volatile FileTime loadedVersion;
  private volatile Instant nextCheck;
  private final java.util.List<Runnable> onReload = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Pause pause;
  /**
   * What the look before read of a file found changing (being written), which the next look
   * compares with instead of waiting again; null when no change is being waited for.
   */
  private byte[] lastRead;
  /** The thread that looks at the file while nothing reads the configuration ({@link #watch}). */
  private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledExecutorService> watcher =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** @param initial the configuration the app was started with, desk and operations */
  public LiveConfig(ConfigLoader.Loaded initial, Optional<Path> file, Clock clock) {
    this(initial, file, clock, d -> Thread.sleep(d));
  }

  LiveConfig(ConfigLoader.Loaded initial, Optional<Path> file, Clock clock, Pause pause) {
    this.pause = pause;
    this.current = initial.desk();
    this.inForce = initial;
    this.file = file;
    this.clock = clock;
    this.loadedVersion = modified().orElse(null);
    this.nextCheck = clock.instant().plus(CHECK_EVERY);
  }

  /** For tests that start from a desk alone: the operations are the file's as read now. */
  public LiveConfig(ForumdeskConfig initial, Optional<Path> file, Clock clock) {
    this(new ConfigLoader.Loaded(initial, operations(file)), file, clock);
  }

  private static OperationsConfig operations(Optional<Path> file) {
    try {
      return OperationsConfig.read(ConfigLoader.tree(file));
    } catch (RuntimeException e) {
      return OperationsConfig.defaults();
    }
  }

  /** A fixed configuration (demo mode, tests). */
  public static LiveConfig fixed(ForumdeskConfig config) {
    return new LiveConfig(config, Optional.empty(), Clock.systemUTC());
  }

  /**
   * Runs {@code listener} after each accepted reload (it must not block: it runs on the thread that
   * looked, a reader's or the {@link #watch}er's).
   */
  public void onReload(Runnable listener) {
    onReload.add(listener);
  }

  /**
   * Looks at the file on a daemon thread of its own, every {@link #TICK} (a look is due each {@link
   * #CHECK_EVERY}, or {@link #SETTLE} after a read that caught it being written), so that a changed
   * file is applied, or refused with its ERROR, within about two seconds of the save also on an idle
   * desk, where nothing reads the configuration (audit 20a, F7: 13-25 s before, at the next reader's
   * look). The wait between the two reads of a changed file is then this thread's, not a reader's,
   * and the listeners run on it. No file (demo mode, a fixed configuration): nothing to watch.
   * Stopped by {@link #close}.
   */
  public LiveConfig watch() {
    if (file.isEmpty() || watcher.get() != null) {
      return this;
    }
    java.util.concurrent.ScheduledExecutorService w = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "forumdesk-config-watch");
      t.setDaemon(true);
      return t;
    });
    if (!watcher.compareAndSet(null, w)) {
      w.shutdown(); // another call started one
      return this;
    }
    w.scheduleWithFixedDelay(() -> {
      try {
        get();
      } catch (RuntimeException e) { // a listener's failure: the next look goes on
        log.warn("configuration watch: {}", e.toString());
      }
    }, TICK.toMillis(), TICK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops {@link #watch}ing: a look under way ends, no other starts. */
  @Override
  public void close() {
    java.util.concurrent.ScheduledExecutorService w = watcher.getAndSet(null);
    if (w != null) {
      w.shutdown();
    }
  }

  @Override
  public ForumdeskConfig get() {
    if (file.isPresent() && !clock.instant().isBefore(nextCheck)) {
      reloadIfChanged();
    }
    return current;
  }

  synchronized void reloadIfChanged() {
    if (clock.instant().isBefore(nextCheck)) {
      return; // another reader looked while this one waited for the lock
    }
    nextCheck = clock.instant().plus(CHECK_EVERY);
    Optional<FileTime> m = modified();
    if (m.isEmpty() || m.get().equals(loadedVersion)) {
      lastRead = null;
      return;
    }
    Optional<byte[]> first = bytes();
    Optional<byte[]> second;
    if (first.isPresent() && lastRead != null && java.util.Arrays.equals(lastRead, first.get())) {
      second = first; // the same bytes as the look before, SETTLE or more ago: no wait on this thread
    } else if (lastRead != null) {
      second = Optional.empty(); // changed again since the look before: still being written
    } else {
      // the first look after a change: read it again SETTLE later (the only wait on a reader's thread)
      try {
        pause.pause(SETTLE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        nextCheck = clock.instant();
        return;
      }
      second = bytes();
    }
    if (first.isEmpty() || second.isEmpty() || !java.util.Arrays.equals(first.get(), second.get())) {
      // being written: the next look (SETTLE from now) compares the file with what this one read,
      // without waiting on its reader's thread; said once, however long it goes on changing
      if (lastRead == null) {
        log.info("{} is being written (it changed while being read); applied once two reads {} ms apart are the same",
            file.get(), SETTLE.toMillis());
      }
      lastRead = second.or(() -> first).orElse(null); // not read at all: the next look waits again
      nextCheck = clock.instant().plus(SETTLE);
      return;
    }
    lastRead = null;
    loadedVersion = m.get();
    try {
      ConfigLoader.Loaded read = ConfigLoader.read(new String(second.get(), java.nio.charset.StandardCharsets.UTF_8),
          file.get());
      if (read.desk().agents().isEmpty() && !current.agents().isEmpty()) {
        throw new ConfigException("FORUMDESK_CONFIG " + file.get() + ": it lists no agents, and "
            + current.agents().size() + " are in force: every one would leave at once and all their open tickets"
            + " be released; to run with no agents, restart with this file");
      }
      for (String change : RestartKeys.changed(inForce, read)) {
        log.warn("FORUMDESK_CONFIG {}: {}: takes effect after a restart", file.get(), change);
      }
      current = RestartKeys.pinned(inForce.desk(), read.desk());
      inForce = new ConfigLoader.Loaded(current, inForce.operations());
      log.info("configuration reloaded from {}", file.get());
      // each on its own: one that fails (a database hiccup) leaves the others to run, and the reload,
      // applied, is not said to be rejected
      for (Runnable listener : onReload) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          log.warn("configuration reloaded from {}, but a reload listener failed: {}", file.get(), e.toString());
        }
      }
    } catch (RuntimeException e) {
      log.error("configuration reload from {} rejected, keeping the last good one: {}", file.get(), e.getMessage());
    }
  }

  private Optional<byte[]> bytes() {
    try {
      return Optional.of(Files.readAllBytes(file.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<FileTime> modified() {
    try {
      return file.isPresent() ? Optional.of(Files.getLastModifiedTime(file.get())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
