package dev.forumdesk.worker;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's in-process test server in real time (time skipping locked), served over gRPC on a
 * loopback port so the Temporal CLI can look at it too. TestServer.createPortBoundServer binds
 * every interface; we build the gRPC server ourselves to stay on loopback.
 *
 * <p>The worker and the client in the same JVM reach it through an in-process gRPC channel
 * ({@link #channel()}), as Temporal's own TestWorkflowEnvironment does: no HTTP/2 framing, no
 * loopback socket, no event-loop hand-off per call (BENCHMARKS.md, ninth session).
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);
  /** A Temporal cluster's usual namespace retention: closed executions stay a day for a look with the CLI. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);
  /** How often retention looks: closed executions leave at most this much after their retention. */
  private static final Duration SWEEP_AT_MOST_EVERY = Duration.ofMinutes(1);

  private final TestServicesStarter services;
  private final int port;
  private final Optional<ClosedExecutions> closed;
  private final ScheduledExecutorService sweeper;
  private final String inProcessName;
  private final ManagedChannel channel;
  private final PollerHistory pollers;
  private volatile Server server;
  private volatile Server inProcess;

  private EmbeddedTemporal(TestServicesStarter services, PollerHistory pollers, Server server, String inProcessName,
      Server inProcess, Optional<ClosedExecutions> closed) {
    this.services = services;
    this.pollers = pollers;
    this.server = server;
    this.port = server.getPort();
    this.inProcessName = inProcessName;
    this.inProcess = inProcess;
    this.channel = InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    this.closed = closed;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("embedded-temporal-retention").daemon().factory());
    closed.ifPresent(c -> {
      long every = Math.max(1_000, Math.min(SWEEP_AT_MOST_EVERY.toMillis(), c.retention().toMillis()));
      sweeper.scheduleWithFixedDelay(() -> sweep(c), every, every, TimeUnit.MILLISECONDS);
    });
  }

  /** @param port 0 for any free port */
  public static EmbeddedTemporal start(int port) {
    return start(port, DEFAULT_RETENTION, Clock.systemUTC());
  }

  /**
   * @param retention how long a closed execution (a closed ticket's run, or a run continue-as-new
   *     replaced) stays in the server's memory, as a cluster's namespace retention
   */
  public static EmbeddedTemporal start(int port, Duration retention, Clock clock) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    TimeLockLog.trim(services); // before any call can reach the server
    String inProcessName = InProcessServerBuilder.generateName();
    PollerHistory pollers = new PollerHistory(Clock.systemUTC()); // Temporal's clock, as last_access_time is
    try {
      Server inProcess = serveInProcess(services, pollers, inProcessName);
      return new EmbeddedTemporal(services, pollers, serve(services, pollers, port), inProcessName, inProcess,
          ClosedExecutions.of(services, retention, clock));
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot start embedded Temporal on port " + port, e);
    }
  }

  private static void sweep(ClosedExecutions closed) {
    try {
      int dropped = closed.sweep();
      if (dropped > 0) {
        log.debug("embedded Temporal: dropped {} closed executions past their retention", dropped);
      }
    } catch (RuntimeException e) {
      log.warn("embedded Temporal: the retention sweep failed, trying again: {}", e.toString());
    }
  }

  /** Runs the retention sweep now. @return executions dropped, or -1 when retention is not possible here */
  int sweepClosed() {
    return closed.map(ClosedExecutions::sweep).orElse(-1);
  }

  /** Executions the server holds in memory, open and closed; -1 when not readable here. */
  int executionsHeld() {
    return closed.map(ClosedExecutions::held).orElse(-1);
  }

  /** Tasks in the server's timer queue, cancelled ones included; -1 when not readable here. */
  int timerTasksQueued() {
    return closed.map(ClosedExecutions::timerTasksQueued).orElse(-1);
  }

  /** Histories the server's store holds in memory; -1 when not readable here. */
  int historiesHeld() {
    return closed.map(ClosedExecutions::histories).orElse(-1);
  }

  private static Server serveInProcess(TestServicesStarter services, PollerHistory pollers, String name)
      throws IOException {
    return serve(services, pollers, InProcessServerBuilder.forName(name));
  }

  /** The port, for the CLI and for workers in other processes: no sticky queues there ({@link NoStickyQueues}). */
  private static Server serve(TestServicesStarter services, PollerHistory pollers, int port) throws IOException {
    return serve(services, pollers,
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .intercept(new NoStickyQueues()));
  }

  /**
   * The same in-memory services behind another gRPC server: the port and the in-process name;
   * DescribeTaskQueue's pollers answered from the polls both receive ({@link PollerHistory}).
   */
  private static Server serve(TestServicesStarter services, PollerHistory pollers, ServerBuilder<?> builder)
      throws IOException {
    services.getServices().forEach(s -> builder.addService(pollers.wrap(s.bindService())));
    return builder.build().start();
  }

  int timeLockLogSize() {
    return TimeLockLog.size(services);
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  /** The channel for clients in this JVM; it stays open until {@link #close()}. */
  public ManagedChannel channel() {
    return channel;
  }

  /**
   * Fault injection: closes the gRPC port while the in-memory state stays, as if the Temporal
   * frontend were unreachable. {@link #resume()} serves the same state on the same port again.
   */
  public void suspend() throws InterruptedException {
    server.shutdownNow().awaitTermination();
    inProcess.shutdownNow().awaitTermination();
  }

  public void resume() {
    try {
      server = serve(services, pollers, port);
      inProcess = serveInProcess(services, pollers, inProcessName);
      channel.resetConnectBackoff(); // clients in this JVM reconnect now, not after their backoff
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve embedded Temporal again on port " + port, e);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    channel.shutdownNow();
    inProcess.shutdownNow();
    server.shutdownNow();
    services.close();
  }
}
