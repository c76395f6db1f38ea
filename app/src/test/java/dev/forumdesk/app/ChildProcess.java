package dev.forumdesk.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * `Forumdesk run` as a real child JVM from the built jar and its libs, as ./forumdesk starts it,
 * so a test can SIGKILL it (Process.destroyForcibly) and start it again on the same data dir.
 *
 * <p>The child gets its HTTP and embedded Temporal ports from here ({@link #freePort}), and they
 * are free when picked but not held until the child binds them, seconds later: a child that exits
 * at start because one was taken meanwhile (its one line says "another process holds the port") is
 * started again on fresh ports by {@link #awaitUp}. Any other exit fails with the end of the
 * child's log in the message, since the log is in the test's @TempDir and gone after the run.
 */
final class ChildProcess implements AutoCloseable {
  /** How often a start that lost a port to another process is tried on fresh ports. */
  static final int STARTS = 3;
  private static final String PORT_TAKEN = "(another process holds the port";

  private final Map<String, String> env;
  final Path log;
  private volatile Process process;
  private volatile int httpPort;
  /** Where this start's part of the (appended) log begins. */
  private volatile long logFrom;
  private int starts;
  private final HttpClient http = HttpClient.newHttpClient();

  private ChildProcess(Map<String, String> env, Path log) {
    this.env = Map.copyOf(env);
    this.log = log;
  }

  static ChildProcess start(Map<String, String> env, Path log) throws IOException {
    return start(env, log, 0);
  }

  /** @param firstHttpPort the first start's HTTP port (0: a free one), for the test of a port lost at start */
  static ChildProcess start(Map<String, String> env, Path log, int firstHttpPort) throws IOException {
    Path jar = Path.of("target/app-0.1.0-SNAPSHOT.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the app jar first (mvn install): " + jar.toAbsolutePath());
    }
    ChildProcess child = new ChildProcess(env, log);
    child.launch(firstHttpPort);
    return child;
  }

  private void launch(int httpPortOrZero) throws IOException {
    Path jar = Path.of("target/app-0.1.0-SNAPSHOT.jar");
    int port = httpPortOrZero != 0 ? httpPortOrZero : freePort();
    int temporalPort = freePort();
    while (temporalPort == port) {
      temporalPort = freePort();
    }
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", jar + java.io.File.pathSeparator + "target/lib/*",
        "dev.forumdesk.app.Forumdesk", "run");
    pb.environment().clear(); // nothing from the test JVM's environment (TEMPORAL_ADDRESS, say)
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    pb.environment().put("FORUMDESK_HTTP_PORT", String.valueOf(port));
    pb.environment().put("FORUMDESK_TEMPORAL_PORT", String.valueOf(temporalPort));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    logFrom = Files.exists(log) ? Files.size(log) : 0;
    httpPort = port;
    starts++;
    process = pb.start();
  }

  /**
   * A loopback port free at the moment, picked below the kernel's ephemeral range: the ports an
   * outgoing connection or a bind to port 0 gets (every other test's server, on this machine
   * shared with other builds) come from that range, so one of those cannot take it before the
   * child binds it. Only another picker of this kind can, by the same random draw.
   */
  static int freePort() throws IOException {
    int[] ephemeral = ephemeralRange();
    int low = 10_000;
    int high = ephemeral[0] > low + 1_000 ? ephemeral[0] - 1 : 0;
    for (int i = 0; high > 0 && i < 50; i++) {
      int port = ThreadLocalRandom.current().nextInt(low, high + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false); // a port some closed connection still lingers on is not free for every binder
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0)) { // no room below the range: any free one
      return s.getLocalPort();
    }
  }

  private static int[] ephemeralRange() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
    } catch (IOException | RuntimeException notLinux) {
      return new int[] {49152, 65535}; // IANA's dynamic range
    }
  }

  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /**
   * Waits until the HTTP server answers, starting the child again on fresh ports when it exited
   * because another process took one of its ports; @return how long it took.
   */
  Duration awaitUp(Duration atMost, String apiToken) throws Exception {
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(atMost) < 0) {
      if (!process.isAlive()) {
        String thisStart = logOfThisStart();
        if (thisStart.contains(PORT_TAKEN) && starts < STARTS) {
          System.out.printf("child lost a port at start (try %d of %d), starting it on fresh ports: %s%n", starts,
              STARTS, lastLines(thisStart, 1));
          launch(0);
          continue;
        }
        throw new IllegalStateException("child exited with " + process.exitValue() + " (start " + starts + " of at"
            + " most " + STARTS + "); its log ends:\n" + logTail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/tickets?limit=1"))
            .header("Authorization", "Bearer " + apiToken).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return Duration.between(start, Instant.now());
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("child not up within " + atMost + "; its log ends:\n" + logTail());
  }

  private String logOfThisStart() throws IOException {
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(logFrom, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  /** The last 40 lines of the log (all starts'): it is in the test's @TempDir, gone after the run. */
  String logTail() {
    try {
      return lastLines(Files.readString(log), 40);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static String lastLines(String text, int n) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
