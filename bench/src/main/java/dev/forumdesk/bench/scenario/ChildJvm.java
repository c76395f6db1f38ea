package dev.forumdesk.bench.scenario;

import dev.forumdesk.app.ThreadStat;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a scenario's main class in a fresh JVM on this classpath and collects its rows. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * The whole main of a child: quiet logs, the scenario with a driver of its own, each row printed
   * as {@code ROW <json>} for {@link #run} to collect, then exit (the app's non-daemon threads
   * must not keep the JVM up).
   */
  public static void serve(String[] args,
      java.util.function.BiFunction<dev.forumdesk.bench.BenchOptions, dev.forumdesk.bench.load.OpenLoopDriver, List<Row>> scenario) {
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    List<Row> rows;
    try (var driver = new dev.forumdesk.bench.load.OpenLoopDriver()) {
      rows = scenario.apply(dev.forumdesk.bench.BenchOptions.parse(args), driver);
    }
    for (Row r : rows) {
      System.out.println("ROW " + Json.write(r));
    }
    System.out.flush();
    System.exit(0);
  }

  /** The command line of a child JVM running {@code main} on this classpath at the given nice. */
  static List<String> command(Class<?> main, List<String> args, int nice) {
    return command(main, args, nice, List.of());
  }

  /** @param jvmOptions options of this child's own, before BENCH_JVM_OPTS */
  static List<String> command(Class<?> main, List<String> args, int nice, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    ThreadStat.self().map(ThreadStat::nice).filter(current -> current != nice)
        .ifPresent(current -> command.addAll(List.of("nice", "-n", Integer.toString(nice - current))));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the launcher's JVM flags (collector, code cache, metaspace): a child runs as the app is run
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:")).toList();
    if (flags.stream().noneMatch(f -> f.startsWith("-XX:+Use") && f.endsWith("GC"))) {
      command.add("-XX:+UseSerialGC"); // started elsewhere than from the launcher (a test)
    }
    command.addAll(flags);
    command.addAll(jvmOptions);
    // BENCH_JVM_OPTS="-agentpath:..." profiles a child, or tries a JVM flag, without a rebuild
    String extra = System.getenv().getOrDefault("BENCH_JVM_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    return command;
  }

  public static List<Row> run(Class<?> main, List<String> args, Duration bound) {
    return run(main, args, bound, 0);
  }

  /**
   * @param nice the child's Linux nice value. A child inherits the nice of the thread that starts
   *     it, and the app under test lowers its background threads (IngressFirst), this one among
   *     them in this JVM: the child is started through nice(1) to land where asked. Going below 0
   *     needs root; otherwise nice(1) warns and the child runs at the inherited value.
   */
  public static List<Row> run(Class<?> main, List<String> args, Duration bound, int nice) {
    return run(main, args, bound, nice, List.of());
  }

  public static List<Row> run(Class<?> main, List<String> args, Duration bound, int nice, List<String> jvmOptions) {
    List<String> command = command(main, args, nice, jvmOptions);
    List<Row> rows = new ArrayList<>();
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        Thread reader = Thread.ofVirtual().start(() -> {
          try {
            for (String line; (line = out.readLine()) != null; ) {
              if (line.startsWith("ROW ")) {
                synchronized (rows) {
                  rows.add(Json.read(line.substring(4), Row.class));
                }
              } else {
                System.out.println(line); // the child's progress lines
              }
            }
          } catch (IOException e) {
            // the child ended
          }
        });
        if (!p.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          Progress.say("%s did not finish within %d s", main.getSimpleName(), bound.toSeconds());
        }
        reader.join(Duration.ofSeconds(5));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (rows) {
      return List.copyOf(rows);
    }
  }
}
