package dev.forumdesk.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A component's loop ends when it is closed, parked or not; one that does not is said so, not waited for. */
class LoopThreadTest {
  @RegisterExtension final LogCapture logs = LogCapture.of(LoopThread.class);

  @Test
  void closeEndsAParkedLoopAtOnceAndWakeEndsItsPark() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    LoopThread[] loop = new LoopThread[1];
    CountDownLatch stopped = new CountDownLatch(1);
    loop[0] = new LoopThread("test-loop", () -> {
      while (loop[0].running()) {
        passes.incrementAndGet();
        LockSupport.parkNanos(Duration.ofMinutes(1).toNanos());
      }
      stopped.countDown();
    });
    loop[0].start();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
    loop[0].wake();
    Awaitility.await("woken").atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 2);

    long started = System.nanoTime();
    loop[0].close();
    assertThat(stopped.await(0, TimeUnit.SECONDS)).as("ended by the close").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    assertThat(logs.warnings()).isEmpty();
  }

  @Test
  void aLoopThatDoesNotStopIsLeftAfterTheWaitWithAWarning() {
    CountDownLatch release = new CountDownLatch(1);
    LoopThread stuck = new LoopThread("stuck-loop", () -> {
      try {
        release.await(); // a call that does not return
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).start();
    long started = System.nanoTime();
    stuck.close();
    release.countDown();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(LoopThread.STOP_WITHIN);
    assertThat(logs.warnings()).containsExactly("stuck-loop did not stop within 5 s; left to end with the process");
  }
}
