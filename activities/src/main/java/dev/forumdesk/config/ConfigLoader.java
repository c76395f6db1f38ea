package dev.forumdesk.config;

import dev.forumdesk.crm.TierTable;
import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.text.OneLine;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code forumdesk-defaults.yaml} from the classpath with an optional YAML file merged over
 * it, and validates what a typo could break (durations, regexes, ids) with a message naming the
 * key.
 */
public final class ConfigLoader {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /**
   * What one configuration tree configures: the support desk and the operations, read together, so
   * that a key neither reads is known to be unknown.
   */
  public record Loaded(ForumdeskConfig desk, OperationsConfig operations) {}

  public static ForumdeskConfig load(Optional<Path> file) {
    return read(tree(file), file).desk();
  }

  /** The defaults with the YAML file (if any) merged over them, not yet validated. */
  public static Config tree(Optional<Path> file) {
    var builder = ValueMappers.builder();
    file.ifPresent(
        p -> {
          if (!Files.isReadable(p)) {
            throw new ConfigException("FORUMDESK_CONFIG " + p + " is not a readable file");
          }
          // YAML whatever the name: a ConfigMap key mounted as /etc/forumdesk/config, a forumdesk.conf
          builder.addSource(ConfigSources.file(p).mediaType(io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));
        });
    builder.addSource(ConfigSources.classpath("forumdesk-defaults.yaml"));
    try {
      return builder.build();
    } catch (io.helidon.config.ConfigException e) {
      throw unreadable(file.orElseThrow(() -> e), e);
    }
  }

  /**
   * A file Helidon could not parse, as one line with the parser's line and problem; not its
   * message, which quotes the offending lines (a secret may stand on them) over several lines.
   */
  private static ConfigException unreadable(Path file, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        String where = y.getContext() != null && y.getContextMark() != null
                && y.getContextMark().getLine() != y.getProblemMark().getLine()
            ? ", " + y.getContext() + " from line " + (y.getContextMark().getLine() + 1)
            : "";
        return new ConfigException("FORUMDESK_CONFIG " + file + ": not valid YAML (line "
            + (y.getProblemMark().getLine() + 1) + ": " + OneLine.of(y.getProblem(), 100) + where + ")");
      }
    }
    return new ConfigException("FORUMDESK_CONFIG " + file + ": cannot be read ("
        + OneLine.of(e.getMessage(), 120) + ")");
  }

  /** The defaults with a classpath YAML resource over them (demo mode's configuration). */
  public static ForumdeskConfig loadClasspath(String resource) {
    return readClasspath(treeClasspath(resource), resource).desk();
  }

  public static Config treeClasspath(String resource) {
    return overDefaults(ConfigSources.classpath(resource));
  }

  /** The configuration from {@link #treeClasspath}. */
  public static Loaded readClasspath(Config c, String resource) {
    try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
      String yaml = in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return ValueMappers.reading(() -> checked(c, Optional.empty(), yaml, resource));
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read " + resource + " (" + e.getMessage() + ")");
    }
  }

  /** For tests: the defaults with a YAML string over them. */
  public static ForumdeskConfig fromYaml(String yaml) {
    Config c = overDefaults(() -> ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));
    return ValueMappers.reading(() -> checked(c, Optional.empty(), yaml, "the configuration")).desk();
  }

  /** Only our YAML: no environment or system properties leak into the configuration. */
  private static Config overDefaults(Supplier<? extends ConfigSource> source) {
    return ValueMappers.builder()
        .addSource(source)
        .addSource(ConfigSources.classpath("forumdesk-defaults.yaml"))
        .build();
  }

  /**
   * @param file the YAML file the tree came from, so an invalid regex is named with its line, and
   *     the keys it writes that nothing reads are logged
   * @throws ConfigException naming the key of the first wrong value
   */
  public static Loaded read(Config c, Optional<Path> file) {
    return ValueMappers.reading(() -> checked(c, file, file.map(ConfigLoader::text).orElse(null),
        file.map(f -> "FORUMDESK_CONFIG " + f).orElse("the configuration")));
  }

  /**
   * A reload's read of {@code file} from its text as read once ({@code yaml}), so that the tree and
   * the written order come from the same bytes (the file may be rewritten meanwhile). A text with no
   * YAML document (empty, blank, or comments only) is refused: merged over the defaults it would be
   * a desk with no agents (audit 19b, F1).
   */
  public static Loaded read(String yaml, Path file) {
    if (noDocument(yaml)) {
      throw new ConfigException("FORUMDESK_CONFIG " + file + ": the file has no YAML document"
          + (yaml.isBlank() ? " (it is empty)" : " (only blank lines and comments)")
          + "; an unfinished save or a failed template?");
    }
    Config c;
    try {
      c = overDefaults(() -> ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));
    } catch (io.helidon.config.ConfigException e) {
      throw unreadable(file, e);
    }
    return ValueMappers.reading(() -> checked(c, Optional.of(file), yaml, "FORUMDESK_CONFIG " + file));
  }

  /** Whether {@code yaml} holds no YAML document at all; one that does not parse is not this (its read says why). */
  static boolean noDocument(String yaml) {
    try {
      return new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(yaml)) == null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException | RuntimeException e) {
      return null; // the tree was read from it; its order is then the tree's
    }
  }

  private static String helpDeskKind(String kind) {
    String k = kind.strip().toLowerCase(java.util.Locale.ROOT);
    if (!ForumdeskConfig.HelpDesk.KINDS.contains(k)) {
      throw new ConfigException("help-desk.kind must be one of " + ForumdeskConfig.HelpDesk.KINDS + ", not '" + kind + "'");
    }
    return k;
  }

  /**
   * Whether the file writes its support forum but no Level 2 forum: Level 2 topics then open in the
   * support forum (CONTRACT: it may equal chat-id), not in the defaults' placeholder chat.
   */
  private static boolean level2Defaulted(WrittenOrder written) {
    List<String> support = written.keys("support");
    return support.contains("chat-id") && !support.contains("level2-chat-id");
  }

  /** A forum's id: Telegram opens Level 2 topics only in a supergroup, whose id is negative. */
  private static long level2ChatId(long id) {
    if (id > 0) {
      throw new ConfigException("support.level2-chat-id: " + id + " is positive, but a forum supergroup's id is"
          + " negative (-100...)");
    }
    return id;
  }

  /** Where new tickets are filed in RT (a queue) or Zammad (a group): an empty name files them nowhere. */
  /** A host name such as {@code telegram.invalid}; blank: none. */
  private static Optional<String> requestorDomain(String domain) {
    String d = domain.strip();
    if (d.isEmpty()) {
      return Optional.empty();
    }
    if (!d.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw new ConfigException("help-desk.requestor-domain: '" + d + "' is not a domain such as telegram.invalid"
          + " (the requestors' addresses are tg-<Telegram user id>@<domain>; empty: no requestor)");
    }
    return Optional.of(d.toLowerCase(java.util.Locale.ROOT));
  }

  private static String helpDeskQueue(String queue) {
    if (queue.isBlank()) {
      throw new ConfigException("help-desk.queue: must not be empty (the Request Tracker queue or Zammad group"
          + " tickets are created in)");
    }
    return queue.strip();
  }

  /**
   * An optional http(s) URL with a host, checked here so that a bad one stops the start at once,
   * naming its key, and not when its client is built seconds later with the HTTP library's words.
   */
  private static Optional<String> httpUrl(String key, Config node, String example) {
    Optional<String> url = node.asString().asOptional().map(String::strip).filter(u -> !u.isEmpty() && !u.equals("null"));
    url.ifPresent(u -> {
      java.net.URI uri;
      try {
        uri = new java.net.URI(u);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      // the authority, not getHost: a compose service such as my_rt has no host by the URI grammar
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
        throw new ConfigException(key + ": '" + OneLine.of(u, 200) + "' is not an http(s) URL such as " + example);
      }
    });
    return url;
  }

  private static String supportMode(String mode) {
    String m = mode.strip().toLowerCase(java.util.Locale.ROOT);
    if (!m.equals(ForumdeskConfig.GROUP) && !m.equals(ForumdeskConfig.RELAY)) {
      throw new ConfigException("support.mode must be group (customers open topics) or relay (customers write"
          + " to the bot privately), not '" + mode + "'");
    }
    return m;
  }

  /**
   * Reads the desk and the operations through one {@link ReadKeys}, then warns of the keys the
   * YAML writes that neither asked for: once per load, so at start and at each reload.
   *
   * @param yaml the text of the YAML over the defaults, for what Helidon's tree does not keep: order,
   *     and which keys the file itself writes
   * @param source how the warning names the YAML
   */
  private static Loaded checked(Config tree, Optional<Path> file, String yaml, String source) {
    WrittenOrder written = WrittenOrder.of(yaml);
    ReadKeys read = new ReadKeys();
    Config c = read.recording(tree);
    Loaded loaded = new Loaded(desk(c, file, written), OperationsConfig.read(c));
    List<String> unknown = UnknownKeys.in(written, read);
    if (!unknown.isEmpty()) {
      log.warn("{}: ignoring {} unknown key{}: {}", source, unknown.size(), unknown.size() == 1 ? "" : "s",
          String.join(", ", unknown));
    }
    return loaded;
  }

  private static ForumdeskConfig desk(Config c, Optional<Path> file, WrittenOrder written) {
    Config s = c.get("support");
    Map<Long, Person> supervisorNames = new java.util.LinkedHashMap<>();
    List<Long> supervisors = s.get("supervisors").asNodeList().orElse(List.of()).stream()
        .map(n -> supervisor(n, supervisorNames)).toList();
    var support =
        new ForumdeskConfig.Support(
            supportMode(s.get("mode").asString().orElse(ForumdeskConfig.GROUP)),
            s.get("chat-id").asLong().get(),
            level2ChatId(level2Defaulted(written)
                ? s.get("chat-id").asLong().get()
                : s.get("level2-chat-id").asLong().orElse(s.get("chat-id").asLong().get())),
            supervisors,
            s.get("senior-group").asString().orElse("senior"),
            Map.copyOf(supervisorNames));
    ShiftConfig shifts = ShiftConfig.read(c);
    List<AgentConfig> agents =
        c.get("agents").asNodeList().orElse(List.of()).stream().map(a -> agent(a, shifts)).toList();
    distinctIds(agents);
    Config sla = c.get("sla");
    Map<Priority, Duration> byPriority = new EnumMap<>(Priority.class);
    // the file's own keys last: its 'high' wins over the defaults' HIGH it was merged with
    List<String> writtenLevels = written.keys("sla", "priorities");
    List<Config> levels = new ArrayList<>(sla.get("priorities").asNodeList().orElse(List.of()));
    levels.sort(Comparator.comparing(level -> writtenLevels.contains(level.name())));
    Set<Priority> writtenPriorities = EnumSet.noneOf(Priority.class);
    for (Config level : levels) {
      Priority p = Priority.of(level.name()).orElseThrow(() -> new ConfigException(
          "sla.priorities." + level.name() + ": not a priority; one of " + java.util.Arrays.toString(Priority.values())));
      String key = "sla.priorities." + level.name() + ".first-response";
      level.get("first-response").asString().ifPresent(v -> {
        byPriority.put(p, positive(key, duration("sla.priorities." + p + ".first-response", v)));
        if (writtenLevels.contains(level.name())) {
          writtenPriorities.add(p);
        }
      });
    }
    Optional<BusinessHours> businessHours = BusinessHoursConfig.read(sla.get("business-hours"),
        written.scalars("sla", "business-hours", "holidays"));
    Duration firstResponse = positive(sla, "first-response");
    var slaConfig =
        new ForumdeskConfig.Sla(
            firstResponse,
            positive(sla, "next-response"),
            positive(sla, "resolution"),
            positive(sla, "stale-after"),
            positive(sla, "auto-close-resolved"),
            businessHours,
            inPriorityOrder(firstResponse, byPriority, writtenPriorities, written.keys("sla").contains("first-response")));
    businessHours.ifPresent(h -> withinAYear(h, slaConfig, byPriority));
    Config r = c.get("routing");
    Map<String, List<String>> categories = new LinkedHashMap<>();
    for (Config cat : r.get("categories").asNodeList().orElse(List.of())) {
      List<String> patterns = cat.asList(String.class).orElse(List.of(cat.asString().orElse("")));
      for (String pattern : patterns) {
        PatternCheck.validate(cat.name(), pattern, file);
      }
      categories.put(cat.name(), patterns);
    }
    categories = WrittenOrder.sorted(categories, written.keys("routing", "categories")); // first match wins
    Map<String, String> languageTeams = new LinkedHashMap<>();
    r.get("language-teams").asNodeList().orElse(List.of())
        .forEach(n -> languageTeams.put(n.name(), n.asString().get()));
    Map<String, Double> complexity = new LinkedHashMap<>();
    r.get("complexity").asNodeList().orElse(List.of())
        .forEach(n -> complexity.put(n.name(), n.asDouble().get()));
    var routing =
        new ForumdeskConfig.Routing(
            categories,
            languageTeams,
            r.get("recurring.tickets").asInt().orElse(5),
            duration(r, "recurring.within"),
            r.get("negative-sentiment-threshold").asDouble().orElse(-0.5),
            r.get("sticky-agent").asBoolean().orElse(true),
            complexity,
            r.get("default-language").asString().orElse("en"),
            tierFactors(r.get("tier-factors"), written.keys("routing", "tier-factors")),
            r.get("priority-tiers").asList(String.class).orElse(List.of()).stream()
                .map(TierTable::normal).distinct().toList(),
            oneOf(r.get("lock-replies"), "warn", List.of("warn", "allow")),
            r.get("enabled").asBoolean().orElse(true),
            firstMessageWait(duration(r, "first-message-wait")));
    var crm =
        new ForumdeskConfig.Crm(
            httpUrl("crm.url", c.get("crm.url"), "https://crm.example.com"),
            crmTimeout(c.get("crm")),
            tiers(c.get("crm.tiers")),
            TierTable.normal(c.get("crm.default-tier").asString().orElse("standard")));
    Config hd = c.get("help-desk");
    var helpDesk =
        new ForumdeskConfig.HelpDesk(
            helpDeskKind(hd.get("kind").asString().orElse(ForumdeskConfig.HelpDesk.BUILTIN)),
            httpUrl("help-desk.url", hd.get("url"), "https://rt.example.com"),
            helpDeskQueue(hd.get("queue").asString().orElse("General")),
            positive(hd, "sync-back"),
            requestorDomain(hd.get("requestor-domain").asString().orElse("")));
    if (helpDesk.external() && helpDesk.url().isEmpty()) {
      throw new ConfigException("help-desk.url is required for help-desk.kind " + helpDesk.kind());
    }
    List<String> teams = c.get("teams").asList(String.class).orElse(List.of("general"));
    // doubtful but workable: said once per load, not refused
    agents.stream().filter(a -> !teams.contains(a.team())).forEach(a -> log.warn(
        "agents: {} (id {}) is in team '{}', which teams {} does not list", a.name(), a.id(), a.team(), teams));
    if (support.chatId() > 0) {
      log.warn("support.chat-id {} is positive, but a forum supergroup's id is negative (-100...): no update will match",
          support.chatId());
    }
    return new ForumdeskConfig(
        support,
        agents,
        teams,
        slaConfig,
        routing,
        crm,
        helpDesk);
  }

  /**
   * The first-response limits per priority, none longer than a lower priority's (NORMAL's, and
   * LOW's unless set, is {@code sla.first-response}): raising a ticket's priority never gives it
   * more time. A limit the defaults give follows the file's shorter one quietly (their HIGH PT10M
   * is PT3M under a file's {@code first-response: PT3M}); one the file writes itself longer than a
   * lower one is a contradiction, said in a WARN naming both keys, once per load.
   *
   * @param written the priorities whose limit the file writes itself
   * @param baseWritten whether the file writes {@code sla.first-response}
   */
  static Map<Priority, Duration> inPriorityOrder(Duration base, Map<Priority, Duration> own,
      Set<Priority> written, boolean baseWritten) {
    Map<Priority, Duration> limits = new EnumMap<>(Priority.class);
    Priority lower = null; // the priority whose own limit the one above may not exceed
    for (Priority p : Priority.values()) {
      Duration mine = own.getOrDefault(p, base);
      if (lower != null && mine.compareTo(limits.getOrDefault(lower, base)) > 0) {
        Duration cap = limits.getOrDefault(lower, base);
        if (own.containsKey(p) ? written.contains(p) : baseWritten) {
          log.warn("{} {} is longer than {} {} of the lower priority {}: {} tickets get {}, a higher priority is"
              + " never answered later", firstResponseKey(p, own), mine, firstResponseKey(lower, own), cap, lower, p, cap);
        }
        limits.put(p, cap);
        continue;
      }
      if (own.containsKey(p)) {
        limits.put(p, mine);
      }
      lower = p;
    }
    return limits;
  }

  private static String firstResponseKey(Priority p, Map<Priority, Duration> own) {
    return own.containsKey(p) ? "sla.priorities." + p + ".first-response" : "sla.first-response";
  }

  /**
   * Audit 20a, F1: each SLA time counted in business time (first response, per priority too, and
   * with it the 80 % warning and the escalation chain; next response, resolution, stale-after) falls
   * due within a year of the business hours, or the load stops naming its key. Hours of two minutes
   * a week took PT24H of resolution as 13.8 years, and every new ticket's workflow failed.
   * Auto-close runs by the wall clock.
   */
  /** Business time in hours ("49 h", "1 h 44 min"): in days, "2 d 1 h" read as calendar days (audit 20c, F3). */
  private static String hours(Duration d) {
    return d.toHours() + " h" + (d.toMinutesPart() > 0 ? " " + d.toMinutesPart() + " min" : "");
  }

  private static void withinAYear(BusinessHours h, ForumdeskConfig.Sla sla, Map<Priority, Duration> byPriority) {
    Duration year = BusinessCalendar.of(h).inAYear();
    Map<String, Duration> times = new LinkedHashMap<>();
    times.put("sla.first-response", sla.firstResponse());
    byPriority.forEach((p, d) -> times.put("sla.priorities." + p + ".first-response", d));
    times.put("sla.next-response", sla.nextResponse());
    times.put("sla.resolution", sla.resolution());
    times.put("sla.stale-after", sla.staleAfter());
    times.forEach((key, d) -> {
      if (d.compareTo(year) > 0) {
        throw new ConfigException(key + ": " + d + " of business time does not fall due within a year of"
            + " sla.business-hours, which are open " + hours(year) + " in 52 weeks; shorten it or widen the hours");
      }
    });
  }

  /** Two agents with one id counted the same tickets twice, with two names for one person. */
  private static void distinctIds(List<AgentConfig> agents) {
    Map<Long, String> seen = new java.util.HashMap<>();
    for (AgentConfig a : agents) {
      String other = seen.putIfAbsent(a.id(), a.name());
      if (other != null) {
        throw new ConfigException("agents: id " + a.id() + " appears twice (" + other + ", " + a.name() + ")");
      }
    }
  }

  /** An SLA time of zero or less breaches every ticket the moment it opens. */
  private static Duration positive(Config parent, String key) {
    return positive(parent.get(key).key().toString(), duration(parent, key));
  }

  private static Duration positive(String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key + ": '" + d + "' must be more than zero");
    }
    return d;
  }

  /**
   * One of support.supervisors: a Telegram user id, or {@code {id, name, username}} for a supervisor
   * who is no agent to be mentioned by a name (put in {@code names}).
   */
  private static long supervisor(Config n, Map<Long, Person> names) {
    if (!n.isLeaf()) {
      long id = n.get("id").asLong()
          .orElseThrow(() -> new ConfigException("support.supervisors[" + n.name() + "].id is required"));
      names.put(id, new Person(id, n.get("name").asString().orElse("Supervisor " + id),
          n.get("username").asString().orElse(null)));
      return id;
    }
    return n.asLong().orElseThrow(() -> new ConfigException(
        "support.supervisors[" + n.name() + "] must be a Telegram user id or {id, name, username}"));
  }

  private static AgentConfig agent(Config a, ShiftConfig shifts) {
    long id = a.get("id").asLong().orElseThrow(() -> new ConfigException("agents[" + a.name() + "].id is required"));
    String name = a.get("name").asString().orElse("Agent " + id);
    String team = a.get("team").asString().orElse("general");
    return new AgentConfig(
        id,
        name,
        a.get("username").asString().orElse(null),
        team,
        a.get("languages").asList(String.class).orElse(List.of("en")),
        a.get("skills").asList(String.class).orElse(List.of()),
        atLeast(a.get("level"), 1, 1),
        atLeast(a.get("max-open"), 8, 0),
        shifts.forAgent(a, name + ", id " + id, team));
  }

  private static int atLeast(Config node, int dflt, int min) {
    int v = node.asInt().orElse(dflt);
    if (v < min) {
      throw new ConfigException(node.key() + ": " + v + " must be at least " + min);
    }
    return v;
  }

  private static String oneOf(Config node, String dflt, List<String> allowed) {
    String v = node.asString().orElse(dflt);
    if (!allowed.contains(v)) {
      throw new ConfigException(node.key() + ": '" + v + "' must be one of " + allowed);
    }
    return v;
  }

  /**
   * routing.tier-factors with the tiers in lower case ({@link TierTable#normal}). The defaults'
   * mapping is merged under the file's, so a written {@code Gold} wins over the default {@code gold}.
   */
  private static Map<String, Double> tierFactors(Config node, List<String> written) {
    Map<String, Double> byKey = new LinkedHashMap<>();
    for (Config n : node.asNodeList().orElse(List.of())) {
      byKey.put(n.name(), n.asDouble().orElseThrow(
          () -> new ConfigException(n.key() + ": '" + n.asString().orElse("") + "' is not a number")));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    WrittenOrder.sorted(byKey, written).forEach((tier, factor) -> out.putIfAbsent(TierTable.normal(tier), factor));
    return out;
  }

  /** crm.tiers: Telegram user id → tier name (in lower case, {@link TierTable#normal}). */
  private static Map<Long, String> tiers(Config node) {
    Map<Long, String> out = new LinkedHashMap<>();
    for (Config n : node.asNodeList().orElse(List.of())) {
      try {
        out.put(Long.parseLong(n.name()), TierTable.normal(n.asString().get()));
      } catch (NumberFormatException e) {
        throw new ConfigException(n.key() + ": the key must be a Telegram user id");
      }
    }
    return out;
  }

  /** Phase 2 holds a ticket without text in the general queue this long at most. */
  private static Duration firstMessageWait(Duration d) {
    if (d.isNegative() || d.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ConfigException("routing.first-message-wait: '" + d + "' must be between PT0S (route on the title"
          + " at once) and PT5M");
    }
    return d;
  }

  private static Duration crmTimeout(Config crm) {
    Duration t = duration(crm, "timeout");
    if (t.isNegative() || t.isZero() || t.compareTo(ForumdeskConfig.Crm.MAX_TIMEOUT) > 0) {
      throw new ConfigException("crm.timeout: '" + t + "' must be more than zero and at most "
          + ForumdeskConfig.Crm.MAX_TIMEOUT + ": routing waits 5 s for the customer profile, CRM lookup included");
    }
    return t;
  }

  private static Duration duration(Config parent, String key) {
    Config node = parent.get(key);
    return duration(node.key().toString(), node.asString().get());
  }

  private static Duration duration(String key, String value) {
    try {
      return Duration.parse(value.strip());
    } catch (RuntimeException e) {
      throw new ConfigException(key + ": '" + value + "' is not an ISO-8601 duration such as PT30M or P3D");
    }
  }
}
