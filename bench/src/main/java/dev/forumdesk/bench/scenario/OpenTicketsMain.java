package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.report.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * The open-tickets figures in a JVM of their own: heap and CPU then belong to that one app, not
 * to the other apps the benchmark runs beside it.
 */
public final class OpenTicketsMain {
  private OpenTicketsMain() {}

  public static void main(String[] args) {
    ChildJvm.serve(args, (options, driver) -> {
      List<Row> rows = new ArrayList<>();
      try (OpenTickets scenario = new OpenTickets(options, driver)) {
        rows.addAll(scenario.open());
        rows.addAll(scenario.idleCpu());
      }
      return rows;
    });
  }
}
