package dev.forumdesk.bench.harness;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples the app's JDBC pool every 50 ms while a figure is taken: how many threads waited for a
 * connection at most. Explains ack latency that the inbox write alone does not.
 */
public final class PoolSampler implements AutoCloseable {
  private final AtomicInteger maxWaiting = new AtomicInteger();
  private final int size;
  private final Thread thread;
  private volatile boolean running = true;

  public PoolSampler(BenchApp app) {
    HikariDataSource ds = (HikariDataSource) app.app().database().dataSource();
    this.size = ds.getMaximumPoolSize();
    this.thread = Thread.ofPlatform().daemon().name("pool-sampler").start(() -> {
      while (running) {
        var pool = ds.getHikariPoolMXBean();
        if (pool != null) {
          maxWaiting.accumulateAndGet(pool.getThreadsAwaitingConnection(), Math::max);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  public String summary() {
    return "up to " + maxWaiting.get() + " threads waited for one of " + size + " DB connections";
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
