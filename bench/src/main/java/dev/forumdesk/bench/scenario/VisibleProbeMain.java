package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.time.Duration;

/**
 * The visible probes in a JVM of their own, as an agent's browser is: in the app's JVM they ran
 * among the threads the app lowers for its ack ({@code ingress.background-nice}), and their own
 * wait for a core was charged to the figure. Args: app port, probes, phase seconds, id base,
 * figure. Prints {@code ROW <json>} lines: visible, and until projected.
 */
public final class VisibleProbeMain {
  static final String TARGET = "p99 < 200 ms; seed requires < 5 s";
  static final String PROJECTED = "↳ until its workflow projected it (before that the API shows it from the inbox)";

  private VisibleProbeMain() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int probes = Integer.parseInt(args[1]);
    Duration phase = Duration.ofSeconds(Long.parseLong(args[2]));
    long idBase = Long.parseLong(args[3]);
    String figure = args[4];
    VisibleProbes p = new VisibleProbes(port);
    p.probe(new UpdateStream(idBase, idBase + 500_000, 1.0), 3, phase); // warm-up: this JVM's HTTP client
    VisibleProbes.Probed r = p.probe(new UpdateStream(idBase, idBase, 1.0), probes, phase);
    emit(Row.measured(figure, r.text(), TARGET, r.met()));
    emit(Row.report(PROJECTED, r.projectedText(), "report"));
    System.out.flush();
    System.exit(0);
  }

  private static void emit(Row row) {
    System.out.println("ROW " + Json.write(row));
  }
}
