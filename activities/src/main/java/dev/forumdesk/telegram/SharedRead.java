package dev.forumdesk.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One slow read (a call to Telegram) shared by everyone who looks: an answer serves each look that
 * accepts its age, one read runs at a time and every look that needs a newer answer joins it, and a
 * look waits a bounded time for it (the read goes on, for the next looks). Telegram's getWebhookInfo
 * is read this way by health, the monitors and the tickets' late deadlines ({@link WebhookInfo}).
 *
 * @param <T> the answer; the read should not throw (a failure is an answer too, kept as long)
 */
public final class SharedRead<T> {
  /** One answer of the read: when it was read (the clock's time) and how long the read took. */
  public record Reading<T>(T value, Instant at, Duration took) {
    public <U> Reading<U> map(Function<T, U> f) {
      return new Reading<>(f.apply(value), at, took);
    }
  }

  /**
   * What a look got: a reading young enough, or, when the read in flight did not answer within the
   * look's wait ({@code late}), the last reading there is, if any.
   */
  public record Answer<T>(Optional<Reading<T>> reading, boolean late) {
    public <U> Answer<U> map(Function<T, U> f) {
      return new Answer<>(reading.map(r -> r.map(f)), late);
    }
  }

  private final Supplier<T> read;
  private final Clock clock;
  private final String threadName;
  private Reading<T> last;
  /** Whether {@link #last} is no good whatever its age ({@link #expire()}). */
  private boolean expired;
  private CompletableFuture<Reading<T>> reading;

  public SharedRead(Supplier<T> read, Clock clock, String threadName) {
    this.read = read;
    this.clock = clock;
    this.threadName = threadName;
  }

  /** The next look reads again, also after a read in flight now: what it reads has changed. */
  public synchronized void expire() {
    expired = true;
  }

  /** The last answer if it is younger than {@code freshFor}; else a read's, waited for {@code waitAtMost}. */
  public Answer<T> get(Duration freshFor, Duration waitAtMost) {
    CompletableFuture<Reading<T>> r;
    Reading<T> known;
    synchronized (this) {
      known = last;
      if (reading == null && last != null && !expired
          && Duration.between(last.at(), clock.instant()).compareTo(freshFor) < 0) {
        return new Answer<>(Optional.of(last), false);
      }
      r = reading;
      if (r == null) {
        expired = false;
        r = CompletableFuture.supplyAsync(this::readNow, task -> Thread.ofVirtual().name(threadName).start(task));
        reading = r;
        // may run at once, here (the lock is this thread's): then it is no longer reading
        r.whenComplete((answer, failed) -> keep(answer));
      }
    }
    try {
      return new Answer<>(Optional.of(r.get(waitAtMost.toNanos(), TimeUnit.NANOSECONDS)), false);
    } catch (TimeoutException e) {
      return new Answer<>(Optional.ofNullable(known), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer<>(Optional.ofNullable(known), true);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the shared read failed", e.getCause());
    }
  }

  private Reading<T> readNow() {
    long start = System.nanoTime();
    T value = read.get();
    return new Reading<>(value, clock.instant(), Duration.ofNanos(System.nanoTime() - start));
  }

  private synchronized void keep(Reading<T> answer) {
    if (answer != null) {
      last = answer;
    }
    reading = null;
  }
}
