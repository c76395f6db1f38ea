package dev.forumdesk.bench.report;

import java.util.List;

/** Renders rows as one markdown table; pipes inside cells are escaped. */
public final class Table {
  private Table() {}

  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| figure | value | target | verdict | load |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| ").append(cell(r.figure()))
          .append(" | ").append(cell(r.value()))
          .append(" | ").append(cell(r.target()))
          .append(" | ").append(cell(r.verdict()))
          .append(" | ").append(cell(r.load())).append(" |\n");
    }
    return out.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
