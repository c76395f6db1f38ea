package dev.forumdesk.bench;

import dev.forumdesk.bench.report.Row;
import java.util.List;

/** Figures of the issue whose feature is not on this branch yet: listed, never guessed. */
final class Pending {
  private Pending() {}

  static List<Row> rows() {
    return List.of(
        Row.pending("phase-2 routing done p99 with a 300 ms CRM; one-phase routing for comparison",
            "< 2 s; show the difference",
            "not in this run; measured by dev.forumdesk.bench.RoutingBench (see BENCHMARKS.md, routing section)"));
  }
}
