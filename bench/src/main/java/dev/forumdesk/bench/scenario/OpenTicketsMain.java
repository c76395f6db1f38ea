package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.load.OpenLoopDriver;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The open-tickets figures in a JVM of their own: heap and CPU then belong to that one app, not
 * to the other apps the benchmark runs beside it. Prints each row as {@code ROW <json>}.
 */
public final class OpenTicketsMain {
  private OpenTicketsMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    BenchOptions options = BenchOptions.parse(args);
    List<Row> rows = new ArrayList<>();
    try (OpenLoopDriver driver = new OpenLoopDriver(); OpenTickets scenario = new OpenTickets(options, driver)) {
      rows.addAll(scenario.open());
      rows.addAll(scenario.idleCpu());
    }
    for (Row r : rows) {
      System.out.println("ROW " + Json.write(r));
    }
    System.out.flush();
    System.exit(0);
  }
}
