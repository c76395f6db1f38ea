package dev.forumdesk.bench.scenario;

import dev.forumdesk.app.ForumdeskApp;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.config.Settings;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.worker.EmbeddedTemporal;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker half of the production shape in a JVM of its own: a Temporal server (the embedded
 * one standing in for the cluster) and {@code Mode.WORKER} on the shared PostgreSQL. Prints
 * {@code READY} once up and stops when its standard input closes.
 *
 * <p>Arguments: temporal port, database URL, database user, Telegram API URL, config file, data dir.
 */
public final class ShapeWorkerMain {
  private ShapeWorkerMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    int port = Integer.parseInt(args[0]);
    Map<String, String> env = SampleDesk.env(BenchApp.TOKEN, args[3], BenchApp.SECRET, "forumdesk.bench.test",
        BenchApp.API_TOKEN, Path.of(args[4]), Path.of(args[5]));
    env.putAll(Map.of("FORUMDESK_DB_URL", args[1], "FORUMDESK_DB_USER", args[2],
        "TEMPORAL_ADDRESS", "127.0.0.1:" + port));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(port);
        ForumdeskApp worker = ForumdeskApp.start(Settings.fromEnv(env), ForumdeskApp.Mode.WORKER, 0)) {
      System.out.println("READY " + temporal.target());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the benchmark closes our standard input
      }
    }
    System.exit(0);
  }
}
