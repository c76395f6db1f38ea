package dev.forumdesk.telegram;

/**
 * The support desk the end-to-end tests and the benchmarks run: one forum group, a Level 2 group,
 * one supervisor and two agents (Alice for billing, Boris for technical questions).
 */
public final class SampleDesk {
  public static final long CHAT = -1001234567890L;
  /** support.level2-chat-id: another forum, so in group mode the staff's own */
  public static final long LEVEL2_CHAT = -1009876543210L;

  private SampleDesk() {}

  /**
   * The environment `./forumdesk run` would get for this desk with a webhook: the bot talks to
   * {@code telegramUrl} (a fake), the app listens on a free port, its data under {@code dataDir}.
   */
  public static java.util.Map<String, String> env(String token, String telegramUrl, String secret, String webhookHost,
      String apiToken, java.nio.file.Path config, java.nio.file.Path dataDir) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("TELEGRAM_BOT_TOKEN", token);
    env.put("TELEGRAM_API_URL", telegramUrl);
    env.put("TELEGRAM_WEBHOOK_SECRET", secret);
    env.put("TELEGRAM_WEBHOOK_URL", "https://" + webhookHost + "/telegram/webhook");
    env.put("FORUMDESK_HTTP_PORT", "0");
    env.put("FORUMDESK_API_TOKEN", apiToken);
    env.put("FORUMDESK_CONFIG", config.toString());
    env.put("FORUMDESK_DATA_DIR", dataDir.toString());
    return env;
  }

  /** @param maxOpen each agent's cap of open tickets */
  public static String yaml(int maxOpen) {
    return """
        support:
          chat-id: -1001234567890
          level2-chat-id: -1009876543210
          supervisors: [900001]
        agents:
          - {id: 1001, name: Alice, username: alice, team: general, languages: [en, ru], skills: [billing], level: 1, max-open: %d}
          - {id: 1002, name: Boris, username: boris, team: technical, languages: [ru, en], skills: [technical], level: 1, max-open: %d}
        """.formatted(maxOpen, maxOpen);
  }
}
