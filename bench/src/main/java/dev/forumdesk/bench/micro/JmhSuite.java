package dev.forumdesk.bench.micro;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the JMH benchmarks of this package in a forked JVM and turns their scores into rows. */
public final class JmhSuite {
  /** The benchmarks of this package. */
  private static final String INCLUDE = JmhSuite.class.getPackageName() + "\\..*Benchmark";

  private final BenchOptions options;

  /** "OutboxMarkBenchmark.markCallWithJournal" of the benchmark's full name. */
  private static String shortName(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
  }

  public JmhSuite(BenchOptions options) {
    this.options = options;
  }

  public List<Row> run() {
    // a smoke run only shows the hot paths still run and roughly how fast: half-second iterations
    TimeValue iteration = options.quick() ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
    Options jmh =
        new OptionsBuilder()
            .include(INCLUDE)
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.NANOSECONDS)
            .warmupIterations(options.quick() ? 1 : 5)
            .warmupTime(iteration)
            .measurementIterations(options.jmhIterations())
            .measurementTime(iteration)
            .forks(1)
            .jvmArgsAppend("-Xmx1g")
            .verbosity(VerboseMode.SILENT)
            .build();
    Progress.say("JMH: update parsing + classification, token buckets, routing decision, least-load pick, language and sentiment, outbox call mark (%d × %s per benchmark)", options.jmhIterations(), iteration);
    List<Row> rows = new ArrayList<>();
    try {
      List<RunResult> results = new ArrayList<>(new Runner(jmh).run());
      rows.addAll(missing(results));
      results.sort(Comparator.comparing(r -> r.getParams().getBenchmark()));
      for (RunResult r : results) {
        String name = shortName(r.getParams().getBenchmark());
        var score = r.getPrimaryResult();
        String value = String.format("%.0f ± %.0f ns/op", score.getScore(), score.getScoreError());
        Progress.say("JMH %s: %s", name, value);
        rows.add(Row.report("JMH " + name, value, "report (hot path)"));
      }
    } catch (Exception e) {
      rows.add(Row.failed("JMH hot paths", "report", e));
    }
    return rows;
  }

  /**
   * A row for each benchmark of the suite that gave no result: the run prints nothing (silent), and a
   * benchmark that threw was simply left out of the output (OutboxMarkBenchmark.markCallWithJournal,
   * one quick run).
   */
  private static List<Row> missing(List<RunResult> results) {
    java.util.Set<String> ran = new java.util.HashSet<>();
    results.forEach(r -> ran.add(r.getParams().getBenchmark()));
    return org.openjdk.jmh.runner.BenchmarkList.defaultList()
        .find(org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
            List.of(INCLUDE), List.of())
        .stream().map(e -> e.getUsername()).filter(name -> !ran.contains(name)).distinct()
        .map(name -> Row.failed("JMH " + shortName(name), "report",
            new IllegalStateException("no result: the benchmark failed in its fork (run it alone with JMH's Main to see why)")))
        .toList();
  }
}
