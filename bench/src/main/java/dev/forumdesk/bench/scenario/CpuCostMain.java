package dev.forumdesk.bench.scenario;

/**
 * The CPU-per-update figures in a JVM of their own: the process CPU they read must not include
 * the burst and escalation apps the benchmark runs beside them.
 */
public final class CpuCostMain {
  private CpuCostMain() {}

  public static void main(String[] args) {
    ChildJvm.serve(args, (options, driver) -> new CpuCost(options, driver).run());
  }
}
