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
 * A reload reads the whole file as the start does ({@link ConfigLoader#load}): its unknown keys are
 * warned of again, and an invalid operations value (which only a restart applies) refuses it, as
 * the next start would.
 */
public final class LiveConfig implements Supplier<ForumdeskConfig> {
  private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

  private final Optional<Path> file;
  private final Clock clock;
  private volatile ForumdeskConfig current;
  private volatile FileTime loadedVersion;
  private volatile Instant nextCheck;
  private final java.util.List<Runnable> onReload = new java.util.concurrent.CopyOnWriteArrayList<>();

  public LiveConfig(ForumdeskConfig initial, Optional<Path> file, Clock clock) {
    this.current = initial;
    this.file = file;
    this.clock = clock;
    this.loadedVersion = modified().orElse(null);
    this.nextCheck = clock.instant().plus(CHECK_EVERY);
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
      current = ConfigLoader.load(file);
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
