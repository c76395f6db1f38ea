package dev.forumdesk.bench.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Fixed-rate, open-loop load: request i is due at start + i/rate whether or not earlier ones have
 * answered, and its latency is measured from that due time (so a stalled server is charged for
 * the requests it made wait: no coordinated omission). Like Telegram, it keeps at most
 * {@link #MAX_CONNECTIONS} requests in flight (setWebhook's max_connections, which Forumdesk sets
 * to 40); further updates queue on the client and that wait counts in their latency. Bounded by
 * count and by a timeout.
 */
public final class OpenLoopDriver implements AutoCloseable {
  /** What one run produced. */
  public record Result(Latencies latencies, Map<Integer, Integer> statuses, int errors, int sent, double seconds,
      Latencies sendLag) {
    public double achievedRate() {
      return sent / seconds;
    }

    public int ok() {
      return statuses.getOrDefault(200, 0);
    }
  }

  public static final int MAX_CONNECTIONS = 40;

  private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(callbacks)
          .build();

  /**
   * @param requestFor builds request i (0-based) of the run
   */
  public Result run(double perSecond, int count, LongFunction<HttpRequest> requestFor, Duration timeout) {
    return run(perSecond, count, requestFor, timeout, () -> false);
  }

  /** As {@link #run(double, int, LongFunction, Duration)}, ending early once {@code stop} says so. */
  public Result run(
      double perSecond, int count, LongFunction<HttpRequest> requestFor, Duration timeout, BooleanSupplier stop) {
    Latencies latencies = new Latencies();
    Latencies sendLag = new Latencies(); // due time → handed to the HTTP client (the driver's own delay)
    Map<Integer, Integer> statuses = new TreeMap<>();
    int[] errors = new int[1];
    List<CompletableFuture<?>> inFlight = new ArrayList<>(count);
    long intervalNanos = (long) (1e9 / perSecond);
    Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    long start = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < count && !stop.getAsBoolean(); i++, sent++) {
      long due = start + i * intervalNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      HttpRequest request = requestFor.apply(i);
      if (!acquire(permits, due + timeout.toNanos())) {
        break;
      }
      sendLag.add(System.nanoTime() - due);
      inFlight.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, error) -> {
                    permits.release();
                    long latency = System.nanoTime() - due;
                    synchronized (statuses) {
                      if (error != null) {
                        errors[0]++;
                      } else {
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                      }
                    }
                    if (error == null) {
                      latencies.add(latency);
                    }
                  }));
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // timed out or failed requests are counted below as errors; the run stays bounded
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (statuses) {
      int unanswered = (int) inFlight.stream().filter(f -> !f.isDone()).count();
      return new Result(latencies, Map.copyOf(statuses), errors[0] + unanswered, sent, seconds, sendLag);
    }
  }

  private static boolean acquire(Semaphore permits, long deadline) {
    try {
      return permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    http.close();
    callbacks.shutdownNow();
  }
}
