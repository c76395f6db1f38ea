package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.util.List;

/**
 * The CPU-per-update figures in a JVM of their own: the process CPU they read must not include
 * the burst and escalation apps the benchmark runs beside them. Prints each row as
 * {@code ROW <json>}.
 */
public final class CpuCostMain {
  private CpuCostMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    BenchOptions options = BenchOptions.parse(args);
    List<Row> rows;
    try (OpenLoopDriver driver = new OpenLoopDriver()) {
      rows = new CpuCost(options, driver).run();
    }
    for (Row r : rows) {
      System.out.println("ROW " + Json.write(r));
    }
    System.out.flush();
    System.exit(0);
  }
}
