package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.Ports;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.store.PostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The webhook's figures in the production shape (docker compose): the webhook role in a JVM of
 * its own on PostgreSQL (fsync on), the worker role and the Temporal server in another JVM. In
 * the one-JVM embedded mode the ack shares its heap, GC pauses and cores with Temporal's
 * in-memory server and the worker; here it shares only the cores. The worker JVM runs at the nice
 * the one JVM gives its own background threads by default ({@code ingress.background-nice}),
 * and PostgreSQL at the machine's default.
 */
public final class ProductionShape {
  static final int WORKER_NICE = dev.forumdesk.config.OperationsConfig.defaults().backgroundNice();
  private static final String SHAPE = "production shape: webhook JVM on PostgreSQL (fsync on), worker + Temporal in another JVM";

  private ProductionShape() {}

  public static List<Row> ack(BenchOptions options, OpenLoopDriver driver) {
    String figure = "webhook ack latency at 200 updates/s, " + SHAPE;
    return withShape(figure, "p99 < 10 ms", app -> new AckLatency(options, app, driver).measure(figure));
  }

  public static List<Row> throughput(BenchOptions options) {
    String figure = "sustained webhook throughput before p99 > 50 ms, " + SHAPE;
    return withShape(figure, "> 1,000 updates/s", app -> {
      List<Row> rows = new ArrayList<>(new Throughput(options, app).run());
      rows.set(0, rows.getFirst().named(figure));
      return rows;
    });
  }

  /** A fresh PostgreSQL, worker JVM and webhook role for one figure; all stopped after it. */
  private static List<Row> withShape(String figure, String target, Function<BenchApp, List<Row>> measure) {
    if (PostgresServer.binaries().isEmpty()) {
      return List.of(Row.pending(figure, target, "PostgreSQL is not installed (apt-get install postgresql)"));
    }
    Process[] worker = new Process[1];
    try (PostgresServer pg = PostgresServer.start(true)) {
      int temporalPort = Ports.free();
      try (BenchApp app = BenchApp.startWebhookRole("shape", pg.jdbcUrl(), pg.user(), "127.0.0.1:" + temporalPort,
          b -> worker[0] = startWorker(temporalPort, pg, b))) {
        Progress.say("production shape: webhook role up on port %d, worker JVM at nice %d", app.app().port(), WORKER_NICE);
        return measure.apply(app);
      } finally {
        stop(worker[0]);
      }
    } catch (Exception e) {
      return List.of(Row.failed(figure, target, e));
    }
  }

  private static Process startWorker(int temporalPort, PostgresServer pg, BenchApp b) {
    List<String> command = ChildJvm.command(ShapeWorkerMain.class, List.of(Integer.toString(temporalPort), pg.jdbcUrl(),
        pg.user(), b.telegram.url(), b.configFile().toString(), b.dataDir().toString()), WORKER_NICE);
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Instant deadline = Instant.now().plusSeconds(120);
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("READY")) {
          Thread.ofVirtual().start(() -> drain(out)); // its later output must not block it
          return p;
        }
        if (Instant.now().isAfter(deadline)) {
          break;
        }
      }
      p.destroyForcibly();
      throw new IllegalStateException("the worker JVM did not start (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded
      }
    } catch (IOException e) {
      // the worker ended
    }
  }

  private static void stop(Process worker) {
    if (worker == null) {
      return;
    }
    try {
      worker.getOutputStream().close(); // ShapeWorkerMain stops when its input closes
      if (!worker.waitFor(30, TimeUnit.SECONDS)) {
        worker.destroyForcibly();
      }
    } catch (IOException e) {
      worker.destroyForcibly();
    } catch (InterruptedException e) {
      worker.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

}
