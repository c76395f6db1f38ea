package dev.forumdesk.bench;

import java.util.List;

/** Sizes of one run: `--quick` is a smoke run under three minutes, the default is the full run. */
public record BenchOptions(
    boolean quick,
    int warmupSeconds,
    int latencySeconds,
    int baselineSeconds,
    List<Integer> throughputRates,
    double stepSeconds,
    int drainMaxSeconds,
    int visibleProbes,
    int burstTopics,
    int openTickets,
    int idleCpuSeconds,
    int recoveryUpdates,
    int recoveryOpenTickets,
    int jmhIterations,
    List<String> only,
    int ackRate) {

  /** Updates per second of the latency figures, from the issue. */
  public static final int RATE = 200;

  public static BenchOptions parse(String[] args) {
    List<String> list = List.of(args);
    boolean quick = list.contains("--quick");
    int at = list.indexOf("--only");
    List<String> only = at >= 0 && at + 1 < list.size() ? List.of(list.get(at + 1).split(",")) : List.of();
    int open = intAfter(list, "--open-tickets", quick ? 100 : 10_000);
    int ackRate = intAfter(list, "--ack-rate", RATE);
    return quick
        ? new BenchOptions(true, 3, 8, 4, List.of(250, 500, 1000, 2000), 1.5, 5, 20, 40, open, 4, 100, 20, 1, only,
            ackRate)
        : new BenchOptions(false, 10, 30, 15, List.of(250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000),
            5, 60, 200, 500, open, 20, 1_000, 1_000, 5, only, ackRate);
  }

  /**
   * `--open-tickets 2000`: a size between the quick and the full open-tickets figure; `--ack-rate 80`:
   * the ack figure (and its baseline) at another rate than the 200/s, e.g. one the JVM can
   * sustain, to tell the ack's own latency from an overload's (reported, not judged: the target is at 200/s).
   */
  private static int intAfter(List<String> args, String flag, int otherwise) {
    int at = args.indexOf(flag);
    if (at < 0) {
      return otherwise;
    }
    if (at + 1 >= args.size() || !args.get(at + 1).matches("[1-9][0-9]{0,5}")) {
      throw new IllegalArgumentException(flag + " needs a count between 1 and 999999");
    }
    return Integer.parseInt(args.get(at + 1));
  }

  /** `--only ack,burst` runs a subset (jmh, ack, visible, throughput, ingress, closed, cost, open, history, routing, recovery, burst, escalation; shape only when named). */
  public boolean runs(String scenario) {
    boolean byDefault = !ON_REQUEST.contains(scenario) && !(quick && QUICK_ON_REQUEST.contains(scenario));
    return (only.isEmpty() && byDefault) || only.contains(scenario);
  }

  /**
   * Figures that run only when named in {@code --only}: the production shape needs PostgreSQL and
   * two more JVMs, and taught what it had to teach (BENCHMARKS.md); the quick run stays short.
   */
  static final List<String> ON_REQUEST = List.of("shape");

  /** Figures of the full run that a quick run leaves out unless named: it stays under three minutes. */
  static final List<String> QUICK_ON_REQUEST = List.of("ingress", "closed");

  /** What a scenario in a JVM of its own needs to parse the same sizes. */
  public List<String> childArgs() {
    List<String> args = new java.util.ArrayList<>(quick ? List.of("--quick") : List.of());
    args.addAll(List.of("--open-tickets", Integer.toString(openTickets)));
    return args;
  }

  public String command() {
    return quick ? "./forumdesk bench --quick" : "./forumdesk bench";
  }
}
