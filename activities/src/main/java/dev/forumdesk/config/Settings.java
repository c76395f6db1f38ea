package dev.forumdesk.config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The environment variables of CONTRACT.md, validated once at start. */
public record Settings(
    Optional<String> botToken,
    String telegramApiUrl,
    Optional<String> webhookSecret,
    Optional<String> webhookUrl,
    List<String> allowedCidrs,
    String httpHost,
    int httpPort,
    int temporalPort,
    String apiToken,
    boolean apiTokenGenerated,
    Optional<Path> configFile,
    Path dataDir,
    Optional<String> temporalAddress,
    String temporalNamespace,
    String taskQueue,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    HelpDeskCredentials helpDesk) {

  /** FORUMDESK_HELPDESK_USER / _PASSWORD (basic auth) or _TOKEN, for help-desk.url; never logged. */
  public record HelpDeskCredentials(Optional<String> user, Optional<String> password, Optional<String> token) {
    /**
     * Stops the start when help-desk.kind {@code kind} cannot log in with what is set: Request
     * Tracker takes a token, or a user and a password; Zammad a token.
     */
    public void requireFor(String kind) {
      switch (kind) {
        case ForumdeskConfig.HelpDesk.REQUEST_TRACKER -> {
          if (token.isEmpty() && (user.isEmpty() || password.isEmpty())) {
            throw new ConfigException("help-desk.kind request-tracker needs FORUMDESK_HELPDESK_TOKEN (an RT auth token),"
                + " or FORUMDESK_HELPDESK_USER and FORUMDESK_HELPDESK_PASSWORD");
          }
        }
        case ForumdeskConfig.HelpDesk.ZAMMAD -> {
          if (token.isEmpty()) {
            throw new ConfigException("help-desk.kind zammad needs FORUMDESK_HELPDESK_TOKEN (a Zammad access token"
                + " with the ticket.agent permission)");
          }
        }
        default -> {
          // builtin: nothing to log in to
        }
      }
    }

    @Override
    public String toString() {
      return "HelpDeskCredentials[user=" + user.orElse("-") + "]";
    }
  }

  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  /** Temporal's frontend port: the embedded server's default and TEMPORAL_ADDRESS's when it names none. */
  static final int TEMPORAL_PORT = 7233;
  public static final String ALLOWED_CIDRS = "TELEGRAM_ALLOWED_CIDRS";
  public static final String DEFAULT_CIDRS = "149.154.160.0/20,91.108.4.0/22,127.0.0.0/8,::1/128";

  /** These settings with {@code token} as the API token (one kept from an earlier start). */
  public Settings withApiToken(String token) {
    return new Settings(botToken, telegramApiUrl, webhookSecret, webhookUrl, allowedCidrs, httpHost, httpPort,
        temporalPort, token, apiTokenGenerated, configFile, dataDir, temporalAddress, temporalNamespace, taskQueue,
        dbUrl, dbUser, dbPassword, helpDesk);
  }

  public boolean demo() {
    return botToken.isEmpty();
  }

  public static Settings fromEnv(Map<String, String> env) {
    Optional<String> token = opt(env, "TELEGRAM_BOT_TOKEN");
    Optional<String> secret = opt(env, "TELEGRAM_WEBHOOK_SECRET");
    if (token.isPresent() && secret.isEmpty()) {
      throw new ConfigException(
          "TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_BOT_TOKEN is set (1-256 chars of A-Za-z0-9_-)");
    }
    if (secret.isPresent() && !SECRET.matcher(secret.get()).matches()) {
      throw new ConfigException(
          "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Za-z0-9_- (Telegram's rule)");
    }
    Optional<String> apiToken = opt(env, "FORUMDESK_API_TOKEN");
    return new Settings(
        token,
        httpUrl("TELEGRAM_API_URL", opt(env, "TELEGRAM_API_URL").orElse("https://api.telegram.org"), false),
        secret,
        opt(env, "TELEGRAM_WEBHOOK_URL").map(u -> httpUrl("TELEGRAM_WEBHOOK_URL", u, true)),
        // empty is absent, as for every other variable (it denied every source)
        Cidr.checked(ALLOWED_CIDRS, Arrays.stream(opt(env, ALLOWED_CIDRS).orElse(DEFAULT_CIDRS).split(","))
            .map(String::strip)
            .filter(x -> !x.isEmpty())
            .toList()),
        env.getOrDefault("FORUMDESK_HTTP_HOST", "127.0.0.1"),
        port(env, "FORUMDESK_HTTP_PORT", 8080),
        port(env, "FORUMDESK_TEMPORAL_PORT", TEMPORAL_PORT),
        apiToken.orElseGet(Settings::randomToken),
        apiToken.isEmpty(),
        opt(env, "FORUMDESK_CONFIG").map(Path::of),
        Path.of(env.getOrDefault("FORUMDESK_DATA_DIR", "./data")),
        opt(env, "TEMPORAL_ADDRESS").map(Settings::temporalTarget),
        env.getOrDefault("TEMPORAL_NAMESPACE", "default"),
        env.getOrDefault("TEMPORAL_TASK_QUEUE", "forumdesk"),
        opt(env, "FORUMDESK_DB_URL"),
        env.getOrDefault("FORUMDESK_DB_USER", ""),
        env.getOrDefault("FORUMDESK_DB_PASSWORD", ""),
        new HelpDeskCredentials(opt(env, "FORUMDESK_HELPDESK_USER"), opt(env, "FORUMDESK_HELPDESK_PASSWORD"),
            opt(env, "FORUMDESK_HELPDESK_TOKEN")));
  }

  /**
   * A port, 0 for any free one. The message names the variable but not the value: whatever was
   * pasted there (a token?) is not echoed before the secrets are known to the redaction.
   */
  /** host:port of a Temporal frontend. */
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

  /**
   * TEMPORAL_ADDRESS as gRPC takes it: {@code host:port}, the port 7233 when left out (as the Temporal
   * CLI does); a gRPC target URI ({@code dns:///host:port}) as written.
   */
  static String temporalTarget(String address) {
    if (address.contains("://")) {
      return address;
    }
    var m = HOST_PORT.matcher(address);
    if (m.matches()) {
      int port = m.group(2) == null ? TEMPORAL_PORT : Integer.parseInt(m.group(2));
      if (port >= 1 && port <= 65_535) {
        return m.group(1) + ":" + port;
      }
    }
    throw new ConfigException("TEMPORAL_ADDRESS must be host:port of a Temporal frontend such as temporal:7233"
        + " ([::1]:7233 for an IPv6 address; the port defaults to " + TEMPORAL_PORT + "), not '" + address + "'");
  }

  /** The host part of a {@link #temporalAddress()} that is host:port; empty for a gRPC target URI. */
  public static Optional<String> temporalHost(String target) {
    var m = HOST_PORT.matcher(target);
    return m.matches() ? Optional.of(m.group(1).replaceAll("^\\[|\\]$", "")) : Optional.empty();
  }

  private static int port(Map<String, String> env, String key, int dflt) {
    try {
      int port = opt(env, key).map(Integer::parseInt).orElse(dflt);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // same message as out of range
    }
    throw new ConfigException(key + " must be a port number (0-65535)");
  }

  /**
   * An http(s) URL, or one line naming the variable; not its value, which may carry the bot token
   * (…/bot123:abc) before the secrets are known to the redaction. Telegram takes only https webhooks.
   */
  private static String httpUrl(String key, String url, boolean httpsOnly) {
    okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(url);
    if (parsed == null || (httpsOnly && !parsed.isHttps())) {
      throw new ConfigException(key + " must be an " + (httpsOnly ? "https" : "http(s)") + " URL such as "
          + (httpsOnly ? "https://desk.example.com/telegram/webhook" : "https://api.telegram.org"));
    }
    return url;
  }

  private static Optional<String> opt(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Secrets to mask wherever text may leave the process (logs, errors, metrics). */
  public List<String> secrets() {
    return java.util.stream.Stream.of(botToken, webhookSecret, Optional.of(apiToken), Optional.of(dbPassword),
            helpDesk.password(), helpDesk.token())
        .flatMap(Optional::stream)
        .filter(s -> s.length() >= 4)
        .toList();
  }

  @Override
  public String toString() {
    return "Settings[demo=" + demo() + ", port=" + httpPort + ", dataDir=" + dataDir + "]";
  }
}
