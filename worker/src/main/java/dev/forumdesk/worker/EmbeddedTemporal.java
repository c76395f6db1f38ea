package dev.forumdesk.worker;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Temporal's in-process test server in real time (time skipping locked), served over gRPC on a
 * loopback port so the Temporal CLI can look at it too. TestServer.createPortBoundServer binds
 * every interface; we build the gRPC server ourselves to stay on loopback.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final int port;
  private volatile Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
    this.port = server.getPort();
  }

  /** @param port 0 for any free port */
  public static EmbeddedTemporal start(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    TimeLockLog.trim(services); // before any call can reach the server
    try {
      return new EmbeddedTemporal(services, serve(services, port));
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot start embedded Temporal on port " + port, e);
    }
  }

  private static Server serve(TestServicesStarter services, int port) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    services.getServices().forEach(builder::addService);
    return builder.build().start();
  }

  int timeLockLogSize() {
    return TimeLockLog.size(services);
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  /**
   * Fault injection: closes the gRPC port while the in-memory state stays, as if the Temporal
   * frontend were unreachable. {@link #resume()} serves the same state on the same port again.
   */
  public void suspend() throws InterruptedException {
    server.shutdownNow().awaitTermination();
  }

  public void resume() {
    try {
      server = serve(services, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve embedded Temporal again on port " + port, e);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    services.close();
  }
}
