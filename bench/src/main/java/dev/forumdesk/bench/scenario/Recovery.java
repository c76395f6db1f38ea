package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Level2Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Restart with a backlog: an app holds K open tickets and stops; then 1,000 updates arrive
 * through the same Ingress code the webhook runs (each committed to the inbox, as acknowledged
 * updates are) but nothing delivers them, which is the state a crash under load leaves behind.
 * Then the app starts again on the same data dir: the embedded Temporal server starts empty,
 * Restore resumes the K tickets, and the dispatcher drains the backlog.
 */
public final class Recovery {
  private final BenchOptions options;
  private final OpenLoopDriver driver;

  public Recovery(BenchOptions options, OpenLoopDriver driver) {
    this.options = options;
    this.driver = driver;
  }

  public List<Row> run() {
    int k = options.recoveryOpenTickets();
    int backlog = options.recoveryUpdates();
    String figure = "recovery: restart with " + k + " open tickets and " + backlog + " undelivered updates";
    try (BenchApp app = BenchApp.start("recovery", 0)) {
      UpdateStream stream = new UpdateStream(49, 8_000_000, 0.2);
      Progress.say("recovery: opening %d tickets", k);
      driver.run(300, k, i -> app.webhookRequest(stream.newTopic()), Duration.ofSeconds(60));
      if (Idle.await(() -> app.ticketCount() >= k, Duration.ofSeconds(k / 10 + 30), Duration.ofMillis(200)) < 0) {
        throw new IllegalStateException("only " + app.ticketCount() + " of " + k + " tickets opened");
      }
      long ticketsBefore = app.ticketCount();
      app.stop();

      Progress.say("recovery: app stopped; %d updates arrive while nothing delivers them", backlog);
      long newTopics = 0;
      long writeNanos;
      try (Database db = Database.embedded(app.dataDir())) {
        Inbox inbox = new Inbox(db);
        Ingress ingress = new Ingress(inbox, new UpdateClassifier(ConfigLoader.load(Optional.of(app.configFile())), new Level2Topics(db)::ticketOf),
            new SimpleMeterRegistry(), () -> {});
        long t0 = System.nanoTime();
        for (int i = 0; i < backlog; i++) {
          String json = stream.next();
          if (json.contains("forum_topic_created")) {
            newTopics++;
          }
          if (ingress.accept(json) != Ingress.Result.STORED) {
            throw new IllegalStateException("update " + i + " was not stored");
          }
        }
        writeNanos = System.nanoTime() - t0;
      }
      long expectedTickets = ticketsBefore + newTopics;

      Progress.say("recovery: restarting the app on the same data dir");
      long t0 = System.nanoTime();
      long startNanos = app.restart();
      long drained = Idle.await(() -> app.inboxBacklog() == 0, Duration.ofSeconds(120), Duration.ofMillis(20));
      double drainSeconds = (System.nanoTime() - t0) / 1e9;
      long allVisible = Idle.await(() -> app.ticketCount() >= expectedTickets, Duration.ofSeconds(60), Duration.ofMillis(50));
      double visibleSeconds = (System.nanoTime() - t0) / 1e9;
      Progress.say("recovery: start %.1f s, backlog drained %.1f s after the restart began, all %d tickets visible at %.1f s",
          startNanos / 1e9, drainSeconds, expectedTickets, visibleSeconds);
      if (drained < 0) {
        throw new IllegalStateException("backlog " + app.inboxBacklog() + " not drained in 120 s");
      }
      return List.of(
          Row.report(figure + ": time to drain the " + backlog + " updates",
              String.format("%.1f s from the restart (app start incl. restoring %d tickets %.1f s; %.0f updates/s after start)",
                  drainSeconds, k, startNanos / 1e9, backlog / Math.max(0.001, drainSeconds - startNanos / 1e9)),
              "report"),
          Row.report("↳ until all " + expectedTickets + " tickets show in the API's read model",
              allVisible < 0 ? "not within 60 s" : String.format("%.1f s from the restart", visibleSeconds), "report"),
          Row.report("↳ inbox writes while the backlog arrived (one commit per update, one writer)",
              String.format("%.0f updates/s (%.2f ms each)", backlog / (writeNanos / 1e9), writeNanos / 1e6 / backlog), "report"));
    } catch (RuntimeException e) {
      return List.of(Row.failed(figure, "report", e));
    }
  }
}
