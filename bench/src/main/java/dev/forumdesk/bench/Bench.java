package dev.forumdesk.bench;

import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.Ports;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.micro.JmhSuite;
import dev.forumdesk.bench.report.CpuShare;
import dev.forumdesk.bench.report.Machine;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.bench.report.Table;
import dev.forumdesk.bench.scenario.AckLatency;
import dev.forumdesk.bench.scenario.DeskHistory;
import dev.forumdesk.bench.scenario.KillNine;
import dev.forumdesk.bench.scenario.Burst;
import dev.forumdesk.bench.scenario.CpuCostMain;
import dev.forumdesk.bench.scenario.EscalationTimers;
import dev.forumdesk.bench.scenario.ChildJvm;
import dev.forumdesk.bench.scenario.OpenTicketsMain;
import dev.forumdesk.bench.scenario.ClosedTicketsMain;
import dev.forumdesk.bench.scenario.IngressAlone;
import dev.forumdesk.bench.scenario.ProductionShape;
import dev.forumdesk.bench.scenario.Throughput;
import dev.forumdesk.bench.scenario.TicketVisible;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * `./forumdesk bench [--quick]`: JMH for the pure hot paths, then the end-to-end figures against
 * the real app on loopback, then one markdown table (also written to bench/target/bench-table.md).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    // before any logger exists: the app's INFO lines would bury the progress output
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    // gRPC and Helidon log through java.util.logging; their shutdown chatter is not a result
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    for (var h : java.util.logging.Logger.getLogger("").getHandlers()) {
      h.setLevel(java.util.logging.Level.SEVERE);
    }
    BenchOptions options = BenchOptions.parse(args);
    Machine machine = Machine.current();
    Progress.say("%s on %d cores, %s; load average %s", options.command(), machine.cores(), machine.jdk(), machine.load());
    long t0 = System.nanoTime();
    CpuShare cpu = new CpuShare();

    List<Row> rows = new ArrayList<>();
    if (options.runs("jmh")) {
      rows.addAll(new JmhSuite(options).run());
    }
    // both are bound by wall-clock limits (20/min, SLA deadlines), not CPU: they run in their own
    // apps beside the CPU-bound figures to keep the run short
    Burst burstScenario = new Burst(options);
    EscalationTimers escalationScenario = new EscalationTimers(options);
    CompletableFuture<List<Row>> burst =
        options.runs("burst") ? burstScenario.startInBackground() : CompletableFuture.completedFuture(List.of());
    CompletableFuture<List<Row>> escalation =
        options.runs("escalation") ? escalationScenario.startInBackground() : CompletableFuture.completedFuture(List.of());
    // their start-up (two more embedded Temporal servers) must not land in the latency figures
    if (options.runs("burst")) {
      burstScenario.started().get(120, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (options.runs("escalation")) {
      escalationScenario.started().get(120, java.util.concurrent.TimeUnit.SECONDS);
    }

    try (OpenLoopDriver driver = new OpenLoopDriver()) {
      // each CPU-bound figure gets a fresh app: the inbox backlog one figure leaves behind (200
      // updates/s is more than two cores process) must not be the next figure's "idle"
      if (options.runs("visible")) {
        rows.addAll(guard("topic → ticket visible", () -> {
          try (BenchApp app = BenchApp.start("visible", 0)) {
            // "idle" means idle: the burst's app processes its topics first (about 4 s of both
            // cores, while this app started)
            if (options.runs("burst")) {
              burstScenario.settled().orTimeout(90, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            return new TicketVisible(options, app, driver).run();
          }
        }));
      }
      if (options.runs("ack")) {
        int temporalPort = Ports.free();
        rows.addAll(guard("webhook ack latency", () -> {
          try (BenchApp app = BenchApp.start("ack", temporalPort)) {
            return new AckLatency(options, app, driver).run("127.0.0.1:" + temporalPort);
          }
        }));
      }
      if (options.runs("throughput")) {
        rows.addAll(guard("sustained throughput", () -> {
          try (BenchApp app = BenchApp.start("throughput", 0)) {
            return new Throughput(options, app).run();
          }
        }));
      }
      if (options.runs("ingress")) {
        rows.addAll(guard("webhook alone: ack", () -> IngressAlone.ack(options, driver)));
        rows.addAll(guard("webhook alone: throughput", () -> IngressAlone.throughput(options)));
      }
      if (options.runs("shape")) {
        rows.addAll(guard("production shape: ack", () -> ProductionShape.ack(options, driver)));
        rows.addAll(guard("production shape: throughput", () -> ProductionShape.throughput(options)));
      }
      if (options.runs("cost")) {
        rows.addAll(guard("cpu cost", () -> ChildJvm.run(CpuCostMain.class,
            options.childArgs(), Duration.ofMinutes(options.quick() ? 5 : 20))));
      }
      if (options.runs("open")) {
        rows.addAll(guard("open tickets", () -> ChildJvm.run(OpenTicketsMain.class,
            options.childArgs(), Duration.ofMinutes(options.quick() ? 5 : 60))));
      }
      if (options.runs("closed")) {
        rows.addAll(guard("closed tickets", () -> ChildJvm.run(ClosedTicketsMain.class,
            options.childArgs(), Duration.ofMinutes(options.quick() ? 5 : 15))));
      }
      if (options.runs("history")) {
        rows.addAll(guard("desk history", () -> DeskHistory.run(options.quick())));
      }
      if (options.runs("routing")) {
        rows.addAll(guard("routing", () -> {
          try {
            return RoutingBench.rows(options.quick());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      if (options.runs("recovery")) {
        rows.addAll(guard("recovery", () -> new KillNine(options).run()));
      }
      if (!burst.isDone() || !escalation.isDone()) {
        Progress.say("waiting for the burst (bound by the 20/min group limit) and the escalation timers");
      }
      rows.addAll(escalation.exceptionally(e -> List.of(Row.failed("escalation timers", "—", e))).join());
      rows.addAll(burst.exceptionally(e -> List.of(Row.failed("burst", "—", e))).join());
    }

    String loadAfter = Machine.loadAverage();
    String table = Table.markdown(rows);
    String report = "## " + options.command() + "\n\n" + machine.markdown()
        + "- load average (1/5/15 min) at end: " + loadAfter + "\n"
        + "- CPU during the run: " + cpu.summary() + "\n"
        + String.format("- wall time: %.0f s%n%n", (System.nanoTime() - t0) / 1e9) + table;
    System.out.println();
    System.out.println(report);
    Path out = Path.of("bench/target/bench-table" + (options.quick() ? "-quick" : "") + ".md");
    if (Files.isDirectory(out.getParent())) {
      Files.writeString(out, report);
    }
    System.exit(0); // the apps' non-daemon threads (gRPC, Helidon) must not keep the JVM up
  }

  private static List<Row> guard(String name, Supplier<List<Row>> scenario) {
    try {
      return scenario.get();
    } catch (RuntimeException e) {
      Progress.say("%s failed: %s", name, e);
      return List.of(Row.failed(name, "—", e));
    }
  }

}
