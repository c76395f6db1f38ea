package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong value stops the start with one line naming the key, never a stack trace (README). */
class ConfigErrorsTest {
  @TempDir Path dir;

  private static void failsWith(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.fromYaml(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void aSupportModeOtherThanGroupOrRelayNamesTheKeyAndTheChoices() {
    failsWith("support: {mode: bogus, chat-id: -100}", "support.mode must be group (customers open topics) or relay"
        + " (customers write to the bot privately), not 'bogus'");
    assertThat(ConfigLoader.fromYaml("support: {mode: Relay, chat-id: -100}").relay()).isTrue();
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}").relay()).isFalse();
  }

  @Test
  void slaTimesAreMoreThanZeroAndPrioritiesAreNamedAsTheContractNamesThem() {
    failsWith("support: {chat-id: -100}\nsla: {first-response: -PT5M}", "sla.first-response: 'PT-5M' must be more than zero");
    failsWith("support: {chat-id: -100}\nsla: {stale-after: PT0S}", "sla.stale-after: 'PT0S' must be more than zero");
    failsWith("support: {chat-id: -100}\nsla: {priorities: {CRITICAL: {first-response: PT5M}}}",
        "sla.priorities.CRITICAL: not a priority; one of [LOW, NORMAL, HIGH, URGENT]");
    failsWith("support: {chat-id: -100}\nsla: {priorities: {HIGH: {first-response: PT0S}}}",
        "sla.priorities.HIGH.first-response: 'PT0S' must be more than zero");
    // in any case, as /priority takes it; 'high' was silently ignored
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nsla: {priorities: {high: {first-response: PT7M}}}")
        .sla().firstResponseByPriority()).containsEntry(dev.forumdesk.ticket.Priority.HIGH, Duration.ofMinutes(7));
  }

  /**
   * Audit 12, F5: {@code to: "24:00"} stopped the start with java.time's "Invalid value for
   * HourOfDay"; shifts take it as midnight, and so do business hours now. A bad time is one line.
   */
  @Test
  void businessHoursEndAt24AsMidnightAndABadTimeIsOneLine() {
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nsla: {business-hours: {zone: UTC, days: MON-FRI, from: '20:00', to: '24:00'}}")
        .sla().businessHours()).isPresent();
    failsWith("support: {chat-id: -100}\nsla: {business-hours: {zone: UTC, days: MON-FRI, from: '09:00', to: '25:00'}}",
        "sla.business-hours.to: '25:00' is not a time of day (00:00-23:59, or 24:00 as an end)");
    failsWith("support: {chat-id: -100}\nsla: {business-hours: {zone: UTC, days: MON-FRI, from: '24:00', to: '18:00'}}",
        "sla.business-hours.from: '24:00' is not a time of day (00:00-23:59)");
    failsWith("support: {chat-id: -100}\nsla: {business-hours: {zone: UTC, days: MON-FRI, from: 9am, to: '18:00'}}",
        "sla.business-hours.from: '9am' is not a time of day (00:00-23:59)");
    failsWith("support: {chat-id: -100}\nsla: {business-hours: {zone: UTC, days: MON-FRI, from: '18:00', to: '09:00'}}",
        "sla.business-hours: 'to' (09:00) must be after 'from' (18:00)");
    failsWith("support: {chat-id: -100}\nsla: {business-hours: {zone: Mars/Base, hours: 'Mon-Fri 09:00-18:00'}}",
        "sla.business-hours.zone: 'Mars/Base' is not a time zone id (e.g. Europe/Berlin, UTC)");
  }

  /**
   * Audit 20a, F1: business hours of two minutes a week took a resolution time of PT24H (13.8 years
   * of them) and every new ticket's workflow failed for ever. Every SLA time counted in business
   * time must fall due within a year of them, or the load stops naming the key.
   */
  @Test
  void anSlaTimeTheBusinessHoursCannotGiveWithinAYearStopsTheLoad() {
    failsWith("support: {chat-id: -100}\nsla: {next-response: PT1M, business-hours: {zone: UTC, days: SUN, from: '00:58', to: '01:00'}}",
        "sla.resolution: PT24H of business time does not fall due within a year of sla.business-hours, which are open"
            + " 1 h 44 min in 52 weeks; shorten it or widen the hours");
    failsWith("support: {chat-id: -100}\nsla: {resolution: P30D, business-hours: {zone: Europe/Berlin, days: SAT, from: '10:00', to: '11:00'}}",
        "sla.resolution: PT720H of business time does not fall due within a year of sla.business-hours, which are open"
            + " 52 h in 52 weeks; shorten it or widen the hours");
    failsWith("support: {chat-id: -100}\nsla: {next-response: PT1H, resolution: PT1H, stale-after: P3D,"
        + " business-hours: {zone: UTC, days: SUN, from: '00:00', to: '01:00'}}",
        "sla.stale-after: PT72H of business time does not fall due within a year of sla.business-hours, which are open"
            + " 52 h in 52 weeks; shorten it or widen the hours");
    failsWith("support: {chat-id: -100}\nsla: {first-response: PT1H, next-response: PT1H, resolution: PT1H, stale-after: PT1H,"
        + " priorities: {LOW: {first-response: PT60H}}, business-hours: {zone: UTC, days: SUN, from: '00:00', to: '01:00'}}",
        "sla.priorities.LOW.first-response: PT60H of business time does not fall due within a year of"
            + " sla.business-hours, which are open 52 h in 52 weeks; shorten it or widen the hours");
    // a month of business days is nothing for Berlin's 45 hours a week; auto-close runs by the wall clock
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nsla: {resolution: P30D, auto-close-resolved: P3650D,"
        + " business-hours: {zone: Europe/Berlin, days: MON-FRI, from: '09:00', to: '18:00'}}").sla().resolution())
        .isEqualTo(Duration.ofDays(30));
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nsla: {resolution: P3650D}").sla().resolution())
        .as("without business hours every time falls due").isEqualTo(Duration.ofDays(3650));
  }

  @Test
  void agentsHaveOneIdEachAndNoNegativeCapOrLevel() {
    failsWith("""
        support: {chat-id: -100}
        agents:
          - {id: 1001, name: Alice}
          - {id: 1001, name: Bob}
        """, "agents: id 1001 appears twice (Alice, Bob)");
    failsWith("support: {chat-id: -100}\nagents: [{id: 1001, name: Alice, max-open: -3}]",
        "agents.0.max-open: -3 must be at least 0");
    failsWith("support: {chat-id: -100}\nagents: [{id: 1001, name: Alice, level: 0}]", "agents.0.level: 0 must be at least 1");
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nagents: [{id: 1001, name: Alice, max-open: 0}]")
        .agents().getFirst().maxOpen()).as("a cap of 0: takes no new tickets").isZero();
  }

  @Test
  void aHelpDeskKindMustBeKnownAndAnExternalOneNeedsItsUrl() {
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: jira}",
        "help-desk.kind must be one of [builtin, request-tracker, zammad], not 'jira'");
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker}",
        "help-desk.url is required for help-desk.kind request-tracker");
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt'}")
        .helpDesk().external()).isTrue();
  }

  /** Audit 17's F6: RT's requestor per Telegram user, in a domain of the team's choosing; none by default. */
  @Test
  void theRequestorDomainIsADomainOrNothing() {
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt'}")
        .helpDesk().requestorDomain()).isEmpty();
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt',"
        + " requestor-domain: Telegram.Invalid}").helpDesk().requestorDomain()).contains("telegram.invalid");
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt', requestor-domain: '@x'}",
        "help-desk.requestor-domain: '@x' is not a domain such as telegram.invalid (the requestors' addresses are"
            + " tg-<Telegram user id>@<domain>; empty: no requestor)");
  }

  @Test
  void zammadIsAHelpDeskKindThatNeedsItsUrlAndAToken() {
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: zammad, queue: Users}",
        "help-desk.url is required for help-desk.kind zammad");
    ForumdeskConfig.HelpDesk zammad = ConfigLoader.fromYaml(
        "support: {chat-id: -100}\nhelp-desk: {kind: zammad, url: 'https://zammad.example', queue: Users}").helpDesk();
    assertThat(zammad.kind()).isEqualTo("zammad");
    assertThat(zammad.external()).isTrue();
    assertThat(zammad.queue()).isEqualTo("Users");

    Settings.HelpDeskCredentials none = new Settings.HelpDeskCredentials(Optional.empty(), Optional.empty(), Optional.empty());
    Settings.HelpDeskCredentials password =
        new Settings.HelpDeskCredentials(Optional.of("root"), Optional.of("pw"), Optional.empty());
    Settings.HelpDeskCredentials token = new Settings.HelpDeskCredentials(Optional.empty(), Optional.empty(), Optional.of("t0k"));
    assertThatThrownBy(() -> none.requireFor("zammad"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("help-desk.kind zammad needs FORUMDESK_HELPDESK_TOKEN (a Zammad access token with the ticket.agent"
            + " permission)");
    assertThatThrownBy(() -> password.requireFor("zammad")).isInstanceOf(ConfigException.class); // Zammad: token only
    token.requireFor("zammad");
    assertThatThrownBy(() -> none.requireFor("request-tracker"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("help-desk.kind request-tracker needs FORUMDESK_HELPDESK_TOKEN (an RT auth token),"
            + " or FORUMDESK_HELPDESK_USER and FORUMDESK_HELPDESK_PASSWORD");
    password.requireFor("request-tracker");
    token.requireFor("request-tracker");
    none.requireFor("builtin");
  }

  @Test
  void aChatIdThatIsNotANumberNamesTheKey() {
    failsWith("support: {chat-id: abc}", "support.chat-id: expected a number, got 'abc'");
  }

  @Test
  void anAgentsMaxOpenThatIsNotANumberNamesTheAgentsIndex() {
    failsWith("agents: [{id: 1001, max-open: lots}]", "agents[0].max-open: expected a number, got 'lots'");
  }

  @Test
  void anAgentsLevelThatIsNotANumberNamesTheKey() {
    failsWith("""
        agents:
          - {id: 1001}
          - {id: 1002, level: high}
        """, "agents[1].level: expected a number, got 'high'");
  }

  @Test
  void aFractionWhereAWholeNumberBelongsOrAnIdTooLargeSaySo() {
    failsWith("agents: [{id: 1001, max-open: 2.5}]", "agents[0].max-open: expected a whole number, got '2.5'");
    failsWith("support: {chat-id: -10012345678901234567890}",
        "support.chat-id: expected a smaller number, got '-10012345678901234567890'");
  }

  @Test
  void recurringTicketsThatIsNotANumberNamesTheKey() {
    failsWith("routing: {recurring: {tickets: many}}", "routing.recurring.tickets: expected a number, got 'many'");
  }

  @Test
  void aSentimentThresholdThatIsNotANumberNamesTheKey() {
    failsWith("routing: {negative-sentiment-threshold: abc}",
        "routing.negative-sentiment-threshold: expected a number, got 'abc'");
  }

  @Test
  void aComplexityWeightThatIsNotANumberNamesTheKey() {
    failsWith("routing: {complexity: {billing: heavy}}", "routing.complexity.billing: expected a number, got 'heavy'");
  }

  @Test
  void aSupervisorThatIsNotAnIdNamesTheListEntry() {
    failsWith("support: {supervisors: [900001, abc]}", "support.supervisors[1]: expected a number, got 'abc'");
  }

  @Test
  void aFlagThatIsNotTrueOrFalseNamesTheKey() {
    failsWith("routing: {sticky-agent: maybe}", "routing.sticky-agent: expected true or false, got 'maybe'");
  }

  @Test
  void aCrmTimeoutMustLeaveRoomInRoutingsBudgetForTheCustomerProfile() {
    String room = "' must be more than zero and at most PT4S: routing waits 5 s for the customer profile, CRM lookup included";
    failsWith("crm: {timeout: PT5S}", "crm.timeout: 'PT5S" + room);
    failsWith("crm: {timeout: PT0S}", "crm.timeout: 'PT0S" + room);
    failsWith("crm: {timeout: PT-1S}", "crm.timeout: 'PT-1S" + room);
    failsWith("crm: {timeout: soon}", "crm.timeout: 'soon' is not an ISO-8601 duration such as PT30M or P3D");
    assertThat(ConfigLoader.fromYaml("crm: {timeout: PT4S}").crm().timeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(ConfigLoader.fromYaml("{}").crm().timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anOperationsNumberThatIsNotANumberNamesTheKey() {
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("ingress: {max-backlog: lots}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ingress.max-backlog: expected a number, got 'lots'");
  }

  /** Checked with the rest of the file, before anything starts, naming the YAML key (it named an env variable, late). */
  @Test
  void aTrustedProxyThatIsNotANetworkNamesTheYamlKey() {
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("webhook: {trusted-proxies: [10.0.0.0/8, notacidr]}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("webhook.trusted-proxies: 'notacidr' is not a network like 10.0.0.0/8 or ::1");
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("webhook: {trusted-proxies: [10.1.2.3/40]}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("webhook.trusted-proxies: '10.1.2.3/40' is not a network like 10.0.0.0/8 or ::1");
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("webhook: {trusted-proxies: [10.0.0.0/8, '::1']}\n"))))
        .trustedProxies()).containsExactly("10.0.0.0/8", "::1");
  }

  /** Only what Forumdesk handles is asked of Telegram: no callback_query, nothing answers buttons. */
  @Test
  void telegramIsAskedForMessagesOnlyUnlessATeamListsMore() {
    assertThat(OperationsConfig.defaults().allowedUpdates()).containsExactly("message");
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.empty())).allowedUpdates()).containsExactly("message");
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("webhook: {allowed-updates: [message, callback_query]}\n"))))
        .allowedUpdates()).containsExactly("message", "callback_query");
  }

  /** When the daily SLA report is posted: a time of day as HH:MM, off unless set. */
  @Test
  void theDailyReportTimeIsATimeOfDay() {
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("reports: {daily-at: '9am'}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("reports.daily-at: '9am' is not a time of day as HH:MM such as 09:00");
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("reports: {daily-at: '24:00'}\n")))))
        .isInstanceOf(ConfigException.class);
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("reports: {daily-at: '09:00'}\n"))))
        .dailyReportAt()).contains(java.time.LocalTime.of(9, 0));
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("reports: {daily-at: '7:30'}\n"))))
        .dailyReportAt()).contains(java.time.LocalTime.of(7, 30));
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("reports: {daily-at: 10:30}\n"))))
        .dailyReportAt()).as("unquoted, as YAML 1.1 might read it base 60").contains(java.time.LocalTime.of(10, 30));
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.empty())).dailyReportAt()).isEmpty();
  }

  /** How long an API action waits for Temporal: a positive duration, 10 s unless set. */
  @Test
  void theActionTimeoutIsAPositiveDuration() {
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("temporal: {action-timeout: 10}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("temporal.action-timeout: '10' is not a positive ISO-8601 duration such as PT30S");
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("temporal: {action-timeout: PT3S}\n"))))
        .actionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(OperationsConfig.defaults().actionTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  /** How long an API action's Idempotency-Key is kept: a positive duration, a day unless set. */
  @Test
  void theIdempotencyKeepIsAPositiveDuration() {
    assertThatThrownBy(() -> OperationsConfig.read(ConfigLoader.tree(Optional.of(write("api: {idempotency-keep: PT0S}\n")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("api.idempotency-keep: 'PT0S' is not a positive ISO-8601 duration such as PT30S");
    assertThat(OperationsConfig.read(ConfigLoader.tree(Optional.of(write("api: {idempotency-keep: PT12H}\n"))))
        .idempotencyKeep()).isEqualTo(Duration.ofHours(12));
    assertThat(OperationsConfig.defaults().idempotencyKeep()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void aWrongValueFromAFileNamesTheKeyToo() throws Exception {
    Path file = write("support:\n  chat-id: abc\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("support.chat-id: expected a number, got 'abc'");
  }

  @Test
  void aLongOrMultiLineValueIsShortenedToOneLine() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("support: {chat-id: \"12\\n" + "x".repeat(200) + "\"}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("support.chat-id: expected a number, got '12 xxx")
        .hasMessageNotContaining("\n")
        .message().hasSizeLessThan(120);
  }

  @Test
  void malformedYamlNamesTheFileAndLine() throws Exception {
    Path file = write("""
        support:
          chat-id: -100123
        routing: {recurring: {tickets: 5
        sla:
          first-response: PT30M
        """);
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FORUMDESK_CONFIG " + file + ": not valid YAML (line ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void malformedYamlIsRejectedByAReloadWithItsReason() throws Exception {
    Path file = write("support: [\n");
    assertThatThrownBy(() -> ConfigLoader.tree(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageMatching("FORUMDESK_CONFIG .*: not valid YAML \\(line \\d+: .+\\)");
  }

  @Test
  void aCrmOrHelpDeskUrlMustBeAnHttpUrlNamedWithItsKeyAtStart() {
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'rt.example.com'}",
        "help-desk.url: 'rt.example.com' is not an http(s) URL such as https://rt.example.com");
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: zammad, url: 'ftp://x'}",
        "help-desk.url: 'ftp://x' is not an http(s) URL such as https://rt.example.com");
    failsWith("support: {chat-id: -100}\ncrm: {url: notaurl}",
        "crm.url: 'notaurl' is not an http(s) URL such as https://crm.example.com");
    failsWith("support: {chat-id: -100}\ncrm: {url: 'https://'}",
        "crm.url: 'https://' is not an http(s) URL such as https://crm.example.com");
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100}\ncrm: {url: 'http://127.0.0.1:8089/api'}").crm().url())
        .contains("http://127.0.0.1:8089/api");
  }

  @Test
  void theHelpDeskPullNeedsAPeriodAndAQueueAndALevel2ForumIsNegative() {
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt', sync-back: PT0S}",
        "help-desk.sync-back: 'PT0S' must be more than zero");
    failsWith("support: {chat-id: -100}\nhelp-desk: {kind: request-tracker, url: 'http://rt', queue: ''}",
        "help-desk.queue: must not be empty (the Request Tracker queue or Zammad group tickets are created in)");
    failsWith("support: {chat-id: -100, level2-chat-id: 12345}",
        "support.level2-chat-id: 12345 is positive, but a forum supergroup's id is negative (-100...)");
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100555}").support().level2ChatId())
        .as("without a level2-chat-id of its own: the support forum (CONTRACT 'may equal chat-id'), not the defaults'"
            + " placeholder chat").isEqualTo(-100555L);
    assertThat(ConfigLoader.fromYaml("support: {chat-id: -100555, level2-chat-id: -100666}").support().level2ChatId())
        .isEqualTo(-100666L);
  }

  @Test
  void aConfigFileIsYamlWhateverItsName() {
    for (String name : new String[] {"config", "forumdesk.conf"}) {
      Path file = dir.resolve(name);
      try {
        Files.writeString(file, "support: {chat-id: -100777, mode: relay}\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      ForumdeskConfig c = ConfigLoader.load(Optional.of(file));
      assertThat(c.support().chatId()).as(name).isEqualTo(-100777L);
      assertThat(c.relay()).as(name).isTrue();
    }
  }

  private Path write(String yaml) {
    try {
      Path file = Files.createTempFile(dir, "forumdesk", ".yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
