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
 * The configuration, re-read when its file changes (checked at most every two seconds, on use).
 * A reload that fails validation is logged with its reason and the last good configuration stays.
 * A reload reads the whole file as the start does ({@link ConfigLoader#read}): its unknown keys are
 * warned of again, and an invalid operations value (which only a restart applies) refuses it, as
 * the next start would. It applies the keys the running app re-reads ({@link RestartKeys#LIVE}); a
 * changed key that only a restart applies is named in a WARN and keeps its value in force, so that
 * what reads this configuration agrees with what was wired at start.
 */
public final class LiveConfig implements Supplier<ForumdeskConfig> {
  private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

  private final Optional<Path> file;
  private final Clock clock;
  private volatile ForumdeskConfig current;
  /** What is in force: {@link #current} and the operations the app was started with. */
  private volatile ConfigLoader.Loaded inForce;
  private volatile FileTime loadedVersion;
  private volatile Instant nextCheck;
  private final java.util.List<Runnable> onReload = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param initial the configuration the app was started with, desk and operations */
  public LiveConfig(ConfigLoader.Loaded initial, Optional<Path> file, Clock clock) {
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

  /** Runs {@code listener} after each accepted reload (it must not block: it runs on the reader's thread). */
  public void onReload(Runnable listener) {
    onReload.add(listener);
  }

  @Override
  public ForumdeskConfig get() {
    if (file.isPresent() && !clock.instant().isBefore(nextCheck)) {
      reloadIfChanged();
    }
    return current;
  }

  synchronized void reloadIfChanged() {
    nextCheck = clock.instant().plus(CHECK_EVERY);
    Optional<FileTime> m = modified();
    if (m.isEmpty() || m.get().equals(loadedVersion)) {
      return;
    }
    loadedVersion = m.get();
    try {
      ConfigLoader.Loaded read = ConfigLoader.read(ConfigLoader.tree(file), file);
      for (String change : RestartKeys.changed(inForce, read)) {
        log.warn("FORUMDESK_CONFIG {}: {}: takes effect after a restart", file.get(), change);
      }
      current = RestartKeys.pinned(inForce.desk(), read.desk());
      inForce = new ConfigLoader.Loaded(current, inForce.operations());
      log.info("configuration reloaded from {}", file.get());
      onReload.forEach(Runnable::run);
    } catch (RuntimeException e) {
      log.error("configuration reload from {} rejected, keeping the last good one: {}", file.get(), e.getMessage());
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
