package dev.forumdesk.bench.scenario;

import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import java.time.Duration;

/**
 * The visible probes in a JVM of their own, as an agent's browser is: in the app's JVM they ran
 * among the threads the app lowers for its ack ({@code ingress.background-nice}), and their own
 * wait for a core was charged to the figure. Args: app port, probes, phase seconds, id base,
 * figure, and "spaced" to post the probes evenly over the phase instead of one after the other.
 * Prints {@code ROW <json>} lines: visible, and until projected.
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
    boolean spaced = args.length > 5 && args[5].equals("spaced");
    VisibleProbes p = new VisibleProbes(port);
    p.warmUp(20); // this JVM's HTTP client, without topics that would load the app before the phase
    UpdateStream stream = new UpdateStream(idBase, idBase, 1.0);
    VisibleProbes.Probed r = spaced
        ? p.probeEvery(stream, probes, phase.dividedBy(probes))
        : p.probe(stream, probes, phase);
    emit(Row.measured(figure, r.text(), TARGET, r.met()));
    emit(Row.report(PROJECTED, r.projectedText(), "report"));
    System.out.flush();
    System.exit(0);
  }

  private static void emit(Row row) {
    System.out.println("ROW " + Json.write(row));
  }
}
