package dev.forumdesk.observe;

import dev.forumdesk.telegram.WebhookInfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.OperationsConfig;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.AlertIncidents;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor alerts once when a threshold is crossed and once when it is back to normal. */
class BacklogMonitorTest {
  static final long CHAT = -1001234567890L;

  @TempDir Path dir;
  final FakeTelegram telegram = new FakeTelegram("7:monitor-token");
  Database db;

  @AfterEach
  void stop() {
    db.close();
    telegram.close();
  }

  List<String> notices() {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox order by id").mapTo(String.class).list());
  }

  @Test
  void alertsOnceWhenTheInboxBacklogGrowsAndOnceWhenItRecovers() {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    Outbox outbox = new Outbox(db);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    var thresholds = new OperationsConfig.Alerts(Duration.ofHours(1), 2, 100, Duration.ofHours(1), 100, Duration.ofSeconds(90),
        Duration.ofMinutes(5), Duration.ofMinutes(3));
    BacklogMonitor monitor = new BacklogMonitor(inbox, outbox,
        new WebhookInfo(new TelegramClient(telegram.url(), "7:monitor-token", Duration.ofSeconds(5)), Duration.ZERO),
        true, thresholds, new SupervisorNotices(outbox, CHAT, List.of(new dev.forumdesk.ticket.Person(900001L, "Sam", "sam"))),
        new AlertIncidents(db, thresholds.checkEvery()), metrics);

    for (long id = 1; id <= 3; id++) {
      inbox.append(id, Optional.of("ticket-" + CHAT + "-" + id), "message", "{}");
    }
    monitor.check();
    monitor.check(); // still over: no second alert
    assertThat(notices()).singleElement().satisfies(p -> assertThat(p)
        .contains("undelivered Telegram updates is 3 (alert above 2)")
        .as("the supervisor by name, as escalations mention them").contains("\"text\":\"@sam: 🚨"));
    assertThat(metrics.get("forumdesk_alert_active").tag("condition", "inbox-backlog").gauge().value()).isEqualTo(1);

    inbox.delivered(1);
    inbox.delivered(2);
    monitor.check();
    assertThat(notices()).hasSize(2);
    assertThat(notices().get(1)).contains("recovered").contains("undelivered Telegram updates is 1");
    assertThat(metrics.get("forumdesk_alert_active").tag("condition", "inbox-backlog").gauge().value()).isZero();
    assertThat(telegram.calls("getWebhookInfo")).as("webhook checked every time").hasSize(3);
  }

  /**
   * Replicas watching the same condition on one database (webhook roles side by side): one alert
   * per incident and one "recovered", from whichever looked first; a later incident alerts again.
   */
  @Test
  void replicasOnOneDatabaseAlertOnceAndRecoverOnce() {
    db = Database.embedded(dir);
    Outbox outbox = new Outbox(db);
    long[] silent = {0};
    SimpleMeterRegistry[] metrics = {new SimpleMeterRegistry(), new SimpleMeterRegistry()};
    List<BacklogMonitor> replicas = java.util.stream.IntStream.range(0, 2).mapToObj(n -> new BacklogMonitor(
        Duration.ofHours(1), List.of("worker-silent"),
        () -> List.of(new BacklogMonitor.Reading("worker-silent", "the silence", silent[0], 90, " s")),
        new SupervisorNotices(outbox, CHAT, List.of()), new AlertIncidents(db, Duration.ofHours(1)), metrics[n]))
        .toList();

    for (int incident = 1; incident <= 2; incident++) {
      silent[0] = 95;
      replicas.forEach(BacklogMonitor::check);
      replicas.forEach(BacklogMonitor::check);
      assertThat(notices()).as("incident " + incident).hasSize(2 * incident - 1);
      for (SimpleMeterRegistry m : metrics) {
        assertThat(m.get("forumdesk_alert_active").tag("condition", "worker-silent").gauge().value())
            .as("each replica sees it").isEqualTo(1);
      }
      silent[0] = 0;
      replicas.forEach(BacklogMonitor::check);
      replicas.forEach(BacklogMonitor::check);
      assertThat(notices()).hasSize(2 * incident);
      assertThat(notices().getLast()).contains("✅ Forumdesk recovered: the silence is 0 s again");
    }
    assertThat(notices().stream().filter(p -> p.contains("🚨 Forumdesk: the silence is 95 s"))).hasSize(2);
    double raised = metrics[0].get("forumdesk_alerts_total").tag("state", "raised").counter().count()
        + metrics[1].get("forumdesk_alerts_total").tag("state", "raised").counter().count();
    assertThat(raised).as("counted where told").isEqualTo(2);
  }

  /**
   * A database outage longer than the leftover age (three looks, a minute at least): the looks of
   * the replicas that hold the incident cannot write that they saw it, yet it goes on after the
   * outage: no second alert, the same incident, and one "recovered" when it ends (audit 21b F2: every
   * open alert was posted again, under a new incident, after an outage over a minute). An incident
   * whose replicas really stopped is still a leftover: a replica that never held it alerts again.
   */
  @Test
  void anIncidentGoesOnAfterADatabaseOutageAndALeftoverOfStoppedReplicasAlertsAgain() {
    db = Database.embedded(dir);
    Outbox outbox = new Outbox(db);
    long[] silent = {95};
    boolean[] databaseDown = {false};
    java.util.function.Supplier<List<BacklogMonitor.Reading>> readings = () -> {
      if (databaseDown[0]) {
        throw new org.jdbi.v3.core.ConnectionException(new java.sql.SQLTransientConnectionException(
            "forumdesk - Connection is not available, request timed out after 5000ms."));
      }
      return List.of(new BacklogMonitor.Reading("worker-silent", "the silence", silent[0], 90, " s"));
    };
    AlertIncidents incidents = new AlertIncidents(db, Duration.ofSeconds(10));
    List<BacklogMonitor> replicas = java.util.stream.IntStream.range(0, 2).mapToObj(n -> new BacklogMonitor(
        Duration.ofSeconds(10), List.of("worker-silent"), readings, new SupervisorNotices(outbox, CHAT, List.of()),
        incidents, new SimpleMeterRegistry())).toList();
    replicas.forEach(BacklogMonitor::check);
    assertThat(notices()).singleElement().satisfies(p -> assertThat(p).contains("🚨 Forumdesk: the silence is 95 s"));
    java.time.Instant since = incidentSince();

    databaseDown[0] = true;
    replicas.forEach(BacklogMonitor::check); // said in a line (looksDuringADatabaseOutageSayItOnceInWords)
    seenAgo(Duration.ofMinutes(2)); // no look could write it for the outage's two minutes
    databaseDown[0] = false;
    replicas.forEach(BacklogMonitor::check);
    replicas.forEach(BacklogMonitor::check);
    assertThat(notices()).as("the incident goes on: no second alert").hasSize(1);
    assertThat(incidentSince()).isEqualTo(since);

    silent[0] = 0;
    replicas.forEach(BacklogMonitor::check);
    assertThat(notices()).hasSize(2);
    assertThat(notices().getLast()).contains("✅ Forumdesk recovered: the silence is 0 s again");

    silent[0] = 95; // a new incident, whose replicas stop during it
    replicas.forEach(BacklogMonitor::check);
    assertThat(notices()).hasSize(3);
    seenAgo(Duration.ofMinutes(2));
    new BacklogMonitor(Duration.ofSeconds(10), List.of("worker-silent"), readings,
        new SupervisorNotices(outbox, CHAT, List.of()), incidents, new SimpleMeterRegistry()).check();
    assertThat(notices()).as("a leftover: the replica started since alerts again").hasSize(4);
    assertThat(incidentSince()).isAfter(since);
  }

  /**
   * Looks during a database outage, whose readings and periodic sweep both fail on it: one WARN in
   * words when it starts and one INFO when a look goes through, not a WARN with the raw exception per
   * look and per sweep (audit 21b F5); a sweep's other failure stays its WARN.
   */
  @Test
  void looksDuringADatabaseOutageSayItOnceInWords() {
    db = Database.embedded(dir);
    Outbox outbox = new Outbox(db);
    boolean[] databaseDown = {true};
    RuntimeException refused = new org.jdbi.v3.core.ConnectionException(new java.sql.SQLTransientConnectionException(
        "forumdesk - Connection is not available, request timed out after 5000ms (total=0, active=0, idle=0, waiting=0)",
        new org.postgresql.util.PSQLException("Connection to 127.0.0.1:5432 refused. Check that the hostname and port"
            + " are correct and that the postmaster is accepting TCP/IP connections.",
            org.postgresql.util.PSQLState.CONNECTION_UNABLE_TO_CONNECT, new java.net.ConnectException("Connection refused"))));
    BacklogMonitor monitor = new BacklogMonitor(Duration.ofSeconds(5), List.of("worker-silent"), () -> {
      if (databaseDown[0]) {
        throw refused;
      }
      return List.of(new BacklogMonitor.Reading("worker-silent", "the silence", 0, 90, " s"));
    }, new SupervisorNotices(outbox, CHAT, List.of()), new AlertIncidents(db, Duration.ofSeconds(5)),
        new SimpleMeterRegistry());
    boolean[] sweepBug = {false};
    monitor.alsoEachLook(() -> {
      if (databaseDown[0]) {
        throw refused;
      }
      if (sweepBug[0]) {
        throw new IllegalStateException("a bug");
      }
    });
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(BacklogMonitor.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      for (int look = 0; look < 12; look++) {
        monitor.check();
      }
      databaseDown[0] = false;
      monitor.check();
      monitor.check();
      sweepBug[0] = true;
      monitor.check();
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(logged.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
        "WARN the alerts' looks: the database is unavailable (connection refused (127.0.0.1:5432)); the alerts and the"
            + " periodic sweeps wait until it answers (said once per outage, then at most once a minute)",
        "INFO the alerts' looks: the database answers again (24 tries failed over 0 s)",
        "WARN a periodic sweep failed; the next look tries again: java.lang.IllegalStateException: a bug");
  }

  private java.time.Instant incidentSince() {
    return db.jdbi().withHandle(h -> h.createQuery("select since from alert_incidents where alert_condition = 'worker-silent'")
        .mapTo(java.time.OffsetDateTime.class).one().toInstant());
  }

  private void seenAgo(Duration ago) {
    db.jdbi().useHandle(h -> h.createUpdate("update alert_incidents set seen_at = :at where alert_condition = 'worker-silent'")
        .bind("at", java.time.Instant.now().minus(ago)).execute());
  }

  /** The alert says what Telegram's last error was, and when: not a count Telegram never gave. */
  @Test
  void aWebhookErrorAlertQuotesTelegramsLastErrorMessage() {
    db = Database.embedded(dir);
    Outbox outbox = new Outbox(db);
    var thresholds = new OperationsConfig.Alerts(Duration.ofHours(1), 100, 100, Duration.ofHours(1), 100, Duration.ofSeconds(90),
        Duration.ofMinutes(5), Duration.ofMinutes(3));
    BacklogMonitor monitor = new BacklogMonitor(new Inbox(db), outbox,
        new WebhookInfo(new TelegramClient(telegram.url(), "7:monitor-token", Duration.ofSeconds(5)), Duration.ZERO),
        true, thresholds, new SupervisorNotices(outbox, CHAT, List.of()), new AlertIncidents(db, thresholds.checkEvery()),
        new SimpleMeterRegistry());
    monitor.check();
    assertThat(notices()).isEmpty();

    java.time.Instant failed = java.time.Instant.now().minusSeconds(5);
    telegram.webhookDeliveryFailed(failed, "Wrong response from the webhook: 502 <Bad Gateway> " + "x".repeat(500));
    String at = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC).format(failed);
    monitor.check();
    assertThat(notices()).singleElement().satisfies(p -> assertThat(p)
        .contains("Telegram could not deliver updates to the webhook")
        .contains("(last at " + at + " UTC): Wrong response from the webhook: 502 &lt;Bad Gateway&gt; xxx")
        .doesNotContain("x".repeat(300))
        .doesNotContain("is 1 (alert above 0)"));
  }

  /**
   * An update Temporal accepted that no workflow applies (DELIVERED, never APPLIED: a workflow task
   * waiting on a dead worker's sticky queue, one failing on every attempt) alerts once when it is
   * older than alerts.oldest-unapplied and once when it is applied (audit 18a F1): the backlog and
   * its oldest undelivered age count only undelivered rows and stayed at 0.
   */
  @Test
  void anUpdateDeliveredButNeverAppliedAlertsOnceAndRecoversWhenApplied() {
    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    Outbox outbox = new Outbox(db);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    var thresholds = new OperationsConfig.Alerts(Duration.ofHours(1), 100, 100, Duration.ofHours(1), 100,
        Duration.ofSeconds(90), Duration.ofMinutes(5), Duration.ofMinutes(3));
    BacklogMonitor monitor = new BacklogMonitor(inbox, outbox,
        new WebhookInfo(new TelegramClient(telegram.url(), "7:monitor-token", Duration.ofSeconds(5)), Duration.ZERO),
        false, thresholds, new SupervisorNotices(outbox, CHAT, List.of()), new AlertIncidents(db, thresholds.checkEvery()),
        metrics);
    inbox.append(1, Optional.of("ticket-" + CHAT + "-1"), "message", "{}");
    inbox.delivered(1);
    assertThat(inbox.oldestUnapplied()).isPresent();
    monitor.check();
    assertThat(notices()).as("just delivered: its workflow applies it in its next task").isEmpty();

    deliveredAgo(1, Duration.ofMinutes(4));
    monitor.check();
    monitor.check();
    assertThat(inbox.backlog()).as("nothing undelivered").isZero();
    assertThat(notices()).singleElement().satisfies(p -> assertThat(p)
        .contains("Telegram updates that Temporal accepted and no ticket has applied")
        .contains("the oldest for 4 min"));
    assertThat(metrics.get("forumdesk_alert_active").tag("condition", "oldest-unapplied").gauge().value()).isEqualTo(1);

    inbox.settled(1);
    assertThat(inbox.oldestUnapplied()).isEmpty();
    monitor.check();
    assertThat(notices()).hasSize(2);
    assertThat(notices().get(1)).contains("✅ Forumdesk recovered").contains("applied");
    assertThat(metrics.get("forumdesk_alert_active").tag("condition", "oldest-unapplied").gauge().value()).isZero();
  }

  private void deliveredAgo(long updateId, Duration ago) {
    db.inboxJdbi().useHandle(h -> h.createUpdate("update inbox set delivered_at = :at where update_id = :id")
        .bind("at", java.time.Instant.now().minus(ago)).bind("id", updateId).execute());
  }
}
