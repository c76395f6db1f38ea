package dev.forumdesk.helpdesk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a server. While {@link #loseAnswers} is on, a connection opened
 * passes its requests on but neither the answers back nor their end: the client waits until its
 * timeout, as when the server is slow past it (the audit stopped RT with SIGSTOP) or the network
 * drops the answer, while the server did the work all the same.
 */
final class LostAnswerProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String host;
  private final int port;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Semaphore lost = new Semaphore(0);
  private volatile boolean losing;

  /** In front of {@code url}'s host and port. */
  LostAnswerProxy(String url) throws IOException {
    URI target = URI.create(url);
    this.host = target.getHost();
    this.port = target.getPort();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Whether connections opened from now on lose their answers. */
  void loseAnswers(boolean on) {
    losing = on;
  }

  /** Waits until the server has answered a request whose answer was then lost. */
  boolean awaitLostAnswer(Duration timeout) throws InterruptedException {
    return lost.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = keep(server.accept());
        Socket upstream = keep(new Socket(host, port));
        boolean lose = losing;
        threads.submit(() -> pipe(client, upstream, false));
        threads.submit(() -> pipe(upstream, client, lose));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /**
   * Copies one direction until its end, which is passed on as a half-close (a client that gave up
   * waiting still lets the server finish and answer, into the void); a lost answer's end is kept
   * back too, so the client sees a timeout, not a closed connection.
   */
  private void pipe(Socket from, Socket to, boolean lose) {
    boolean answered = false;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (!lose) {
          out.write(buffer, 0, n);
          out.flush();
        } else if (!answered) {
          answered = true;
          lost.release();
        }
      }
      if (!lose) {
        to.shutdownOutput();
      }
    } catch (IOException e) {
      close(from);
      close(to);
    }
  }

  private Socket keep(Socket socket) {
    sockets.add(socket);
    return socket;
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(LostAnswerProxy::close);
    threads.shutdownNow();
  }
}
