package dev.forumdesk.app;

import dev.forumdesk.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FORUMDESK_API_TOKEN}: the bearer token of /api and the dashboard. Without one, the token
 * generated at the first start is kept in {@code $FORUMDESK_DATA_DIR/api-token} (owner-only) and
 * taken again at every start after, so dashboards and scripts keep working across restarts. It is
 * printed in full where it is generated (and at every {@code dev} start, a local first look), and
 * afterwards only where it is kept. A token that is set but short is taken with a WARN: it is
 * all that protects the API.
 */
final class ApiToken {
  private static final Logger log = LoggerFactory.getLogger(ApiToken.class);

  /** Shorter than this, a set token is warned about (a generated one has 48 hex characters). */
  static final int MIN_LENGTH = 16;
  static final String FILE = "api-token";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** The token the API takes, and where it comes from. */
  record Chosen(Settings settings, Optional<Path> keptIn, boolean generatedNow) {}

  private ApiToken() {}

  /**
   * The settings with the API token to use: FORUMDESK_API_TOKEN's (with a WARN when it is short and
   * {@code warnShort}), or the one kept in the data directory, generated there at the first start.
   * A data directory that cannot keep it: this run's generated token, and a WARN.
   */
  static Chosen choose(Settings settings, boolean warnShort) {
    if (!settings.apiTokenGenerated()) {
      if (warnShort && settings.apiToken().length() < MIN_LENGTH) {
        log.warn("FORUMDESK_API_TOKEN is {} characters, shorter than {}: it is all that guards /api and the"
            + " dashboard; use a longer one (openssl rand -hex 24)", settings.apiToken().length(), MIN_LENGTH);
      }
      return new Chosen(settings, Optional.empty(), false);
    }
    Path file = settings.dataDir().resolve(FILE);
    try {
      Optional<String> kept = read(file);
      if (kept.isPresent()) {
        return new Chosen(settings.withApiToken(kept.get()), Optional.of(file), false);
      }
      write(file, settings.apiToken());
      return new Chosen(settings, Optional.of(file), true);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("cannot keep the generated API token in {} ({}); it lasts for this run only: set"
          + " FORUMDESK_API_TOKEN to keep one", file, e.toString());
      return new Chosen(settings, Optional.empty(), true);
    }
  }

  /** What to print at start about a token Forumdesk generated (stdout: the log redacts it). */
  static void announce(Chosen chosen, ForumdeskApp.Mode mode) {
    if (!chosen.settings().apiTokenGenerated()) {
      return;
    }
    String token = chosen.settings().apiToken();
    if (chosen.keptIn().isEmpty()) {
      System.out.println("API token for this run (set FORUMDESK_API_TOKEN to fix it): " + token);
    } else if (chosen.generatedNow() || mode == ForumdeskApp.Mode.DEV) {
      System.out.println("API token (kept in " + chosen.keptIn().get() + " for the next starts; set"
          + " FORUMDESK_API_TOKEN to choose one): " + token);
    } else {
      log.info("API token: the one generated at the first start, kept in {} (set FORUMDESK_API_TOKEN to"
          + " choose one)", chosen.keptIn().get());
    }
  }

  private static Optional<String> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(file, OWNER_ONLY); // copied in with wider ones: narrowed again
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IOException(file + " does not hold one token; delete it to have a new one generated");
    }
    return Optional.of(token);
  }

  /** Created owner-only before the token is in it, so no one else can read it meanwhile. */
  private static void write(Path file, String token) throws IOException {
    dev.forumdesk.store.DataDirectory.ownerOnly(file.getParent()); // 0700, as the embedded store makes it
    Path partial = file.resolveSibling(FILE + ".new");
    Files.deleteIfExists(partial);
    boolean posix = Files.getFileAttributeView(file.getParent(),
        java.nio.file.attribute.PosixFileAttributeView.class) != null;
    if (posix) {
      Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(partial);
    }
    Files.writeString(partial, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
