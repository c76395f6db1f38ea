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
    List<String> only) {

  /** Updates per second of the latency figures, from the issue. */
  public static final int RATE = 200;

  public static BenchOptions parse(String[] args) {
    List<String> list = List.of(args);
    boolean quick = list.contains("--quick");
    int at = list.indexOf("--only");
    List<String> only = at >= 0 && at + 1 < list.size() ? List.of(list.get(at + 1).split(",")) : List.of();
    return quick
        ? new BenchOptions(true, 3, 8, 4, List.of(250, 500, 1000, 2000), 1.5, 5, 20, 40, 200, 4, 1_000, 100, 2, only)
        : new BenchOptions(false, 10, 30, 15, List.of(250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000),
            5, 60, 200, 500, 10_000, 20, 1_000, 1_000, 5, only);
  }

  /** `--only ack,burst` runs a subset (jmh, ack, visible, throughput, cost, open, routing, recovery, burst, escalation). */
  public boolean runs(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  public String command() {
    return quick ? "./forumdesk bench --quick" : "./forumdesk bench";
  }
}
