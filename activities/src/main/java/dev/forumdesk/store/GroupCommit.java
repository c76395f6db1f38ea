package dev.forumdesk.store;

import dev.forumdesk.loop.LoopThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a table set: whatever callers queued meanwhile runs in one
 * transaction, so a burst of webhook acks costs one commit instead of one each, and no two
 * writers queue for the store's lock (with many writers under load, H2's fair commit lock handed
 * itself from one parked thread to the next, and the webhook's ack waited seconds for it).
 *
 * <p>A failed batch is rolled back and its writes are tried again one by one, so one bad write
 * fails only its own caller.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 512;

  /** One caller's write; its result is handed over only once the transaction committed. */
  private static final class Write<T> {
    final Function<Handle, T> work;
    final CompletableFuture<T> done = new CompletableFuture<>();
    private T result;

    Write(Function<Handle, T> work) {
      this.work = work;
    }

    void run(Handle h) {
      result = work.apply(h);
    }

    void committed() {
      done.complete(result);
    }

    void failed(Throwable e) {
      done.completeExceptionally(e);
    }
  }

  /** Batches and their commit time, for the benchmarks and the metrics. */
  public static final class Stats {
    private final LongAdder batches = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void record(int size, long took) {
      batches.increment();
      writes.add(size);
      nanos.add(took);
    }

    public long batches() {
      return batches.sum();
    }

    public long writes() {
      return writes.sum();
    }

    public double meanCommitMillis() {
      long b = batches.sum();
      return b == 0 ? 0 : nanos.sum() / 1e6 / b;
    }
  }

  private final Stats stats = new Stats();
  private final Jdbi jdbi;
  private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
  private final LoopThread writer;

  public GroupCommit(Jdbi jdbi, String name) {
    this.jdbi = jdbi;
    this.writer = new LoopThread(name + "-writer", this::run);
    writer.start(); // after the field is set: the loop reads it
  }

  /**
   * Runs {@code work} in the writer's next transaction and waits until it committed.
   *
   * @throws RuntimeException what the write threw, or why the transaction did not commit
   */
  public <T> T write(Function<Handle, T> work) {
    if (!writer.running()) {
      throw new IllegalStateException("the store is closed");
    }
    Write<T> w = new Write<>(work);
    queue.add(w);
    try {
      return w.done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void run() {
    List<Write<?>> batch = new ArrayList<>();
    while (writer.running() || !queue.isEmpty()) {
      try {
        Write<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (RuntimeException | Error e) { // the writer must outlive anything a write throws
        log.error("group commit failed", e);
        batch.forEach(w -> w.failed(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    Write<?> left;
    while ((left = queue.poll()) != null) {
      left.failed(new IllegalStateException("the store is closed"));
    }
  }

  private void commit(List<Write<?>> batch) {
    try {
      long start = System.nanoTime();
      jdbi.useTransaction(h -> batch.forEach(w -> w.run(h)));
      stats.record(batch.size(), System.nanoTime() - start);
      batch.forEach(Write::committed);
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.getFirst().failed(e);
        return;
      }
      log.info("a batch of {} writes failed ({}); writing them one by one", batch.size(), e.toString());
      for (Write<?> w : batch) {
        try {
          jdbi.useTransaction(w::run);
          w.committed();
        } catch (RuntimeException single) {
          w.failed(single);
        }
      }
    }
  }

  public Stats stats() {
    return stats;
  }

  @Override
  public void close() {
    writer.close();
  }
}
