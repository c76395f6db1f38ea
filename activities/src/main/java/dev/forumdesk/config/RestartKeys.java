package dev.forumdesk.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which configuration keys a reload applies and which only a restart does. The running app re-reads
 * {@link #LIVE} (the roster, the classifier's staff, routing rules, new tickets' policy); every other
 * key was wired into a part built once at start (the classifier's and the relay's mode and chats,
 * the alerts' supervisors, the CRM and help-desk clients, the ingress and the monitors): a reload
 * that changes one says so by name and keeps the value in force ({@link #pinned}).
 */
final class RestartKeys {
  private RestartKeys() {}

  /** The keys (and everything under them) a reload applies. README "Configuration" lists them. */
  static final List<String> LIVE = List.of("agents", "teams", "team-shifts", "sla", "routing", "support.senior-group");

  private record Key(String name, Function<ConfigLoader.Loaded, Object> value, boolean secret) {}

  private static Key desk(String name, Function<ForumdeskConfig, Object> value) {
    return new Key(name, l -> value.apply(l.desk()), false);
  }

  private static Key ops(String name, Function<OperationsConfig, Object> value) {
    return new Key(name, l -> value.apply(l.operations()), false);
  }

  private static final List<Key> KEYS = List.of(
      desk("support.mode", c -> c.support().mode()),
      desk("support.chat-id", c -> c.support().chatId()),
      desk("support.level2-chat-id", c -> c.support().level2ChatId()),
      desk("support.supervisors", c -> c.support().supervisors()),
      desk("crm.url", c -> c.crm().url().map(RestartKeys::withoutCredentials)),
      desk("crm.timeout", c -> c.crm().timeout()),
      desk("crm.tiers", c -> c.crm().tiers()),
      desk("crm.default-tier", c -> c.crm().defaultTier()),
      desk("help-desk.kind", c -> c.helpDesk().kind()),
      desk("help-desk.url", c -> c.helpDesk().url().map(RestartKeys::withoutCredentials)),
      desk("help-desk.queue", c -> c.helpDesk().queue()),
      desk("help-desk.sync-back", c -> c.helpDesk().syncBack()),
      desk("help-desk.requestor-domain", c -> c.helpDesk().requestorDomain()),
      ops("ingress.max-backlog", OperationsConfig::maxInboxBacklog),
      ops("ingress.dispatch-concurrency", OperationsConfig::dispatchConcurrency),
      ops("ingress.background-nice", OperationsConfig::backgroundNice),
      new Key("webhook.path-secret", l -> l.operations().webhookPathSecret(), true),
      ops("webhook.trusted-proxies", OperationsConfig::trustedProxies),
      ops("webhook.allowed-updates", OperationsConfig::allowedUpdates),
      ops("webhook.max-connections", OperationsConfig::maxConnections),
      ops("alerts.check-every", o -> o.alerts().checkEvery()),
      ops("alerts.inbox-backlog", o -> o.alerts().inboxBacklog()),
      ops("alerts.outbox-backlog", o -> o.alerts().outboxBacklog()),
      ops("alerts.oldest-undelivered", o -> o.alerts().oldestUndelivered()),
      ops("alerts.webhook-pending", o -> o.alerts().webhookPending()),
      ops("alerts.worker-silent", o -> o.alerts().workerSilent()),
      ops("alerts.waiting-line", o -> o.alerts().waitingLine()),
      ops("alerts.oldest-unapplied", o -> o.alerts().oldestUnapplied()),
      ops("temporal.embedded-retention", OperationsConfig::embeddedRetention),
      ops("temporal.action-timeout", OperationsConfig::actionTimeout),
      ops("temporal.auto-close-after-restore", OperationsConfig::autoCloseAfterRestore),
      ops("api.idempotency-keep", OperationsConfig::idempotencyKeep),
      ops("reports.daily-at", OperationsConfig::dailyReportAt));

  /** The keys only a restart applies. */
  static List<String> names() {
    return KEYS.stream().map(Key::name).toList();
  }

  /** Whether a reload applies {@code key} (a full path such as {@code sla.priorities.HIGH.first-response}). */
  static boolean live(String key) {
    return LIVE.stream().anyMatch(l -> key.equals(l) || key.startsWith(l + "."));
  }

  /**
   * Each restart-only key whose value in {@code read} differs from the one in force, as {@code
   * support.mode changed relay → group} (a secret without its values).
   */
  static List<String> changed(ConfigLoader.Loaded inForce, ConfigLoader.Loaded read) {
    List<String> out = new ArrayList<>();
    for (Key k : KEYS) {
      Object was = k.value().apply(inForce);
      Object is = k.value().apply(read);
      if (!Objects.equals(was, is)) {
        out.add(k.name() + " changed" + (k.secret() ? " (hidden)" : " " + shown(was) + " → " + shown(is)));
      }
    }
    return out;
  }

  /** The desk as {@code read}, but with the values in force of the keys only a restart applies. */
  static ForumdeskConfig pinned(ForumdeskConfig inForce, ForumdeskConfig read) {
    var s = inForce.support();
    return new ForumdeskConfig(
        new ForumdeskConfig.Support(s.mode(), s.chatId(), s.level2ChatId(), s.supervisors(), read.support().seniorGroup(),
            read.support().supervisorNames()),
        read.agents(),
        read.teams(),
        read.sla(),
        read.routing(),
        inForce.crm(),
        inForce.helpDesk());
  }

  private static String shown(Object value) {
    return value instanceof Optional<?> o ? o.map(String::valueOf).orElse("(none)") : String.valueOf(value);
  }

  /** A URL as it may be logged: {@code https://user:password@host} loses its user and password. */
  private static String withoutCredentials(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1…@");
  }
}
