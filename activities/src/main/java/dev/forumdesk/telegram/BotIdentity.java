package dev.forumdesk.telegram;

import dev.forumdesk.json.Json;
import dev.forumdesk.retry.Backoff;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's own @username, which tells {@code /cmd@OurBot} from {@code /cmd@OtherBot} in a group.
 * Learned once with getMe in the background ({@link #learnInBackground}): start-up neither waits
 * for Telegram nor fails without it. Until the name is known (and always in demo mode, where there
 * is no bot) a command with any @suffix counts as ours. Reading it is one volatile read: the
 * classifier asks for every update.
 */
public final class BotIdentity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BotIdentity.class);

  /** Without the leading @, as getMe returns it; null until learned. */
  private volatile String username;
  private volatile Thread learner;
  private volatile boolean closed;

  private BotIdentity(String username) {
    this.username = username;
  }

  /** A bot whose name is not known (yet): commands with any @suffix are ours. */
  public static BotIdentity unknown() {
    return new BotIdentity(null);
  }

  /** A bot whose name is known from the start (tests, or a name set by hand). */
  public static BotIdentity known(String username) {
    BotIdentity identity = unknown();
    identity.learn(username);
    return identity;
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Whether a command's @suffix ("OtherBot" of "/hold@OtherBot") names a bot other than ours.
   * False while our name is unknown, and for an empty suffix. Telegram usernames are
   * case-insensitive.
   */
  public boolean isAnotherBot(String suffix) {
    String ours = username;
    return ours != null && suffix != null && !suffix.isEmpty() && !suffix.equalsIgnoreCase(ours);
  }

  /** Records the bot's username (from getMe). The first name learned stays; logged once. */
  public synchronized void learn(String name) {
    String clean = name == null ? "" : name.strip();
    if (clean.startsWith("@")) {
      clean = clean.substring(1);
    }
    if (clean.isEmpty() || username != null) {
      return;
    }
    username = clean;
    log.info("bot username is @{}: commands addressed to another bot (/cmd@OtherBot) are ignored", clean);
  }

  /**
   * One getMe call: on success the name is learned.
   *
   * @return empty when learned, else the failed outcome (its description never holds the token:
   *     {@link TelegramClient} redacts it)
   */
  Optional<SendOutcome> fetchOnce(TelegramGateway telegram) {
    SendOutcome outcome = telegram.call("getMe", Json.mapper().createObjectNode());
    if (outcome instanceof SendOutcome.Sent sent) {
      String name = sent.result() == null ? "" : sent.result().path("username").asText("");
      if (name.isBlank()) {
        return Optional.of(new SendOutcome.Transient("getMe answered without a username"));
      }
      learn(name);
      return Optional.empty();
    }
    return Optional.of(outcome);
  }

  /**
   * Asks getMe on a background thread until it answers, waiting {@code backoff} between attempts
   * (at least Telegram's retry_after on a 429). Returns at once.
   */
  public BotIdentity learnInBackground(TelegramGateway telegram, Backoff backoff) {
    learner = Thread.ofVirtual().name("bot-identity").start(() -> learn(telegram, backoff));
    return this;
  }

  private void learn(TelegramGateway telegram, Backoff backoff) {
    for (int attempt = 0; !closed && username == null; attempt++) {
      Optional<SendOutcome> failure;
      try {
        failure = fetchOnce(telegram);
      } catch (RuntimeException e) {
        failure = Optional.of(new SendOutcome.Transient(e.toString(), false));
      }
      if (failure.isEmpty() || closed) {
        return;
      }
      Duration wait = backoff.after(attempt);
      if (failure.get() instanceof SendOutcome.RetryAfter r && wait.compareTo(Duration.ofSeconds(r.seconds())) < 0) {
        wait = Duration.ofSeconds(r.seconds());
      }
      if (attempt == 0) {
        log.warn("getMe failed; until it answers, commands with any @suffix count as ours"
            + " (retrying in the background): {}", failure.get());
      } else {
        log.debug("getMe failed again (attempt {}), next in {} ms: {}", attempt + 1, wait.toMillis(), failure.get());
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t = learner;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public String toString() {
    String name = username;
    return name == null ? "bot (name not known yet)" : "@" + name;
  }
}
