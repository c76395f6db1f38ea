package dev.forumdesk.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Where the figures were taken: read from the running JVM and the OS, never typed in. */
public record Machine(
    Instant at, int cores, long memoryBytes, long maxHeapBytes, String jdk, String os, String cpu, String load) {

  public static Machine current() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Machine(
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize(),
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        cpuModel(),
        loadAverage());
  }

  /** The 1/5/15-minute load averages: how much else was running on the same cores. */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public String markdown() {
    return "- date: " + at + "\n"
        + "- machine: " + cores + " cores (" + cpu + "), " + gib(memoryBytes) + " GiB memory, "
        + os + "\n"
        + "- JDK: " + jdk + ", max heap " + gib(maxHeapBytes) + " GiB\n"
        + "- load average (1/5/15 min) at start: " + load + "\n";
  }

  private static String gib(long bytes) {
    return String.format("%.1f", bytes / (1024.0 * 1024 * 1024));
  }
}
