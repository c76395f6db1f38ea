package dev.forumdesk.bench.scenario;

import dev.forumdesk.app.ThreadStat;
import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one update costs in CPU, whole JVM (embedded Temporal server, worker, app and the load
 * driver's HTTP client), at a rate well below saturation: a new topic until its ticket is routed
 * and assigned, a customer message until the inbox delivered it and the workflow projected it.
 * From the two follows how many updates per second two cores can carry at all — the ceiling
 * under the ack and throughput figures.
 */
public record CpuCost(BenchOptions options, OpenLoopDriver driver) {
  static final String FIGURE = "CPU per update, whole JVM (embedded Temporal + worker + app + driver)";
  private static final int TOPIC_RATE = 20;
  private static final int MESSAGE_RATE = 100;

  public List<Row> run() {
    int topics = options.quick() ? 40 : 400;
    int messages = options.quick() ? 200 : 2_000;
    try (BenchApp app = BenchApp.start("cpu-cost", 0, "", 10_000)) {
      UpdateStream stream = new UpdateStream(51, 9_000_000, 0.0);
      Idle.sleep(Duration.ofSeconds(2));
      double idlePercent = Idle.processCpuPercent(Duration.ofSeconds(3));
      Progress.say("cpu cost: idle app %.1f%% of a core; warming up", idlePercent);
      // the JIT compiles the hot paths here, not in the measurement; BENCH_WARMUP_ROUNDS=5 shows
      // how far the figure falls once the JIT is done (a deployed app runs for days)
      // (a quick run measures a cold JIT: it is a smoke run, and under three minutes)
      int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_ROUNDS", options.quick() ? "0" : "1"));
      for (int round = 0; round < rounds; round++) {
        topics(app, stream, topics);
        messages(app, stream, messages);
      }

      Measured topic = measure(idlePercent, () -> topics(app, stream, topics));
      Progress.say("cpu cost: %d new topics, %.1f ms CPU each; %s", topics, topic.millis() / topics, topic.where());
      Measured message = measure(idlePercent, () -> messages(app, stream, messages));
      Progress.say("cpu cost: %d messages, %.1f ms CPU each; %s", messages, message.millis() / messages, message.where());

      double perTopic = topic.millis() / topics;
      double perMessage = message.millis() / messages;
      int cores = Runtime.getRuntime().availableProcessors();
      double mix = 0.2 * perTopic + 0.8 * perMessage;
      return List.of(
          Row.report(FIGURE, String.format(
              "new topic %.1f ms (until routed and assignments settled), customer message %.1f ms (until projected); idle app %.1f%% of a core",
              perTopic, perMessage, idlePercent), "report"),
          Row.report("↳ where a new topic's CPU went (threads by role)", topic.where(), "report"),
          Row.report("↳ where a message's CPU went", message.where(), "report"),
          Row.report("↳ ceiling: updates/s " + cores + " cores can process at the ack mix (20% new topics)",
              String.format("%.0f updates/s (%.1f ms per update on average); more is queued in the inbox", cores * 1000 / mix, mix),
              "report"));
    } catch (RuntimeException e) {
      return List.of(Row.failed(FIGURE, "report", e));
    }
  }

  private record Measured(double millis, double seconds, String where) {}

  /** CPU of the JVM while the work ran and settled, less what the idle app burns in that time. */
  private static Measured measure(double idlePercent, Runnable work) {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Long> roles0 = byRole();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    work.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMillis = (os.getProcessCpuTime() - cpu0) / 1e6;
    Map<String, Long> roles = byRole();
    roles.replaceAll((role, nanos) -> nanos - roles0.getOrDefault(role, 0L));
    long named = roles.values().stream().mapToLong(Long::longValue).sum();
    roles.put("threads that ended", Math.max(0, (long) (cpuMillis * 1e6) - named));
    String where = roles.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() > 0)
        .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / (cpuMillis * 1e6)))
        .collect(Collectors.joining(", "));
    return new Measured(cpuMillis - idlePercent / 100 * seconds * 1000, seconds, where);
  }

  /**
   * CPU nanos of this JVM's live threads so far, summed by what they do; from /proc, so the JIT
   * compiler and GC threads count too. Linux only; empty elsewhere.
   */
  private static Map<String, Long> byRole() {
    Map<String, Long> sum = new TreeMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return sum;
    }
    try (var dirs = Files.list(tasks)) {
      for (Path t : dirs.toList()) {
        ThreadStat.of(t.resolve("stat")) // empty when the thread ended while we read it
            .ifPresent(s -> sum.merge(role(s.name()), s.cpuTicks() * ThreadStat.NANOS_PER_TICK, Long::sum));
      }
    } catch (IOException e) {
      return sum;
    }
    return sum;
  }

  /** @param thread the OS thread name: the Java name cut to 15 characters */
  private static String role(String thread) {
    if (thread.contains("CompilerThre")) {
      return "JIT compiler";
    }
    if (thread.startsWith("GC") || thread.startsWith("VM ") || thread.startsWith("G1") || thread.startsWith("Serial")) {
      return "GC and VM";
    }
    if (thread.startsWith("grpc-") || thread.contains("SelfAdvancingTimer") || thread.startsWith("Temporal")) {
      return "Temporal server and gRPC";
    }
    if (thread.startsWith("workflow") || thread.startsWith("Workflow ") || thread.contains("Activity")
        || thread.startsWith("worker-") || thread.startsWith("Timer") || thread.startsWith("Local")) {
      return "worker (workflows, activities)";
    }
    if (thread.startsWith("ForkJoinPool") || thread.contains("WebServer") || thread.startsWith("helidon")) {
      return "HTTP (Helidon, virtual threads)";
    }
    if (thread.startsWith("inbox")) {
      return "inbox writer and dispatcher";
    }
    if (thread.startsWith("HttpClient") || thread.equals("main")) {
      return "load driver";
    }
    return "other (" + thread.replaceAll("[0-9]+", "N") + ")";
  }

  /**
   * Until every new ticket is routed and the assignments have settled: a ticket of a customer
   * with five or more recent tickets routes to a senior group this desk does not have, and waits.
   */
  private void topics(BenchApp app, UpdateStream stream, int n) {
    long before = app.routedCount();
    driver.run(TOPIC_RATE, n, i -> app.webhookRequest(stream.newTopic()), Duration.ofSeconds(60));
    settle(app, () -> app.inboxBacklog() == 0 && app.routedCount() >= before + n, "routed tickets", Duration.ofMillis(50));
    long[] last = {-1};
    settle(app, () -> {
      long assigned = app.assignedCount();
      boolean quiet = assigned == last[0];
      last[0] = assigned;
      return quiet;
    }, "settled assignments", Duration.ofSeconds(1));
  }

  private void messages(BenchApp app, UpdateStream stream, int n) {
    driver.run(MESSAGE_RATE, n, i -> app.webhookRequest(stream.next()), Duration.ofSeconds(60));
    if (Idle.await(() -> app.inboxUnapplied() == 0, Duration.ofSeconds(120), Duration.ofMillis(50)) < 0) {
      throw new IllegalStateException("not all messages projected within 120 s: " + app.unapplied(5));
    }
  }

  private static void settle(BenchApp app, java.util.function.BooleanSupplier done, String what, Duration poll) {
    if (Idle.await(done, Duration.ofSeconds(120), poll) < 0) {
      throw new IllegalStateException("no " + what + " within 120 s; inbox backlog " + app.inboxBacklog());
    }
  }
}
