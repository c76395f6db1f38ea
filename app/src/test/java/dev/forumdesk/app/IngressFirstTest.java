package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.OperationsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngressFirstTest {
  private static final IngressFirst.CLibrary LIBC = com.sun.jna.Native.load("c", IngressFirst.CLibrary.class);

  @ParameterizedTest(name = "{0}: on the ack path {1}")
  @CsvSource({
    "ForkJoinPool-1-, true", // a carrier of virtual threads, cut to 15 characters by the OS
    "server-@default, true",
    "inbox-writer, true",
    "inbox-appends-w, true",
    "GC Thread#0, true",
    "ZWorkerYoung#0, true", // ZGC, should someone choose it: a late cycle stalls every allocation
    "VM Thread, true",
    "VirtualThread-u, true",
    "grpc-default-ex, false",
    "Workflow Execut, false",
    "workflow[ticket, false",
    "Local Activity , false",
    "inbox-delivery-, false",
    "inbox-dispatche, false",
    "outbox-sender, false",
    "C2 CompilerThre, false",
    "ForkJoinPool.co, false", // the common pool is not the virtual-thread scheduler
  })
  void sortsThreadsByTheirOsName(String name, boolean ackPath) {
    assertThat(IngressFirst.onTheAckPath(name)).isEqualTo(ackPath);
  }

  @Test
  void lowersBackgroundThreadsAndLeavesTheAckPathAlone() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/thread-self")), "Linux only");
    // an app an earlier test class started in this JVM lowered the threads it found, the test
    // runner's among them, and a new thread starts at its creator's nice: from 0 here
    restoreAll();
    CountDownLatch stop = new CountDownLatch(1);
    CompletableFuture<Integer> background = new CompletableFuture<>();
    CompletableFuture<Integer> writer = new CompletableFuture<>();
    Thread b = Thread.ofPlatform().name("background-test").start(() -> parkAndTell(background, stop));
    Thread w = Thread.ofPlatform().name("inbox-writer").start(() -> parkAndTell(writer, stop));
    int backgroundTid = background.get();
    int writerTid = writer.get();
    try (IngressFirst sweeper = IngressFirst.start(7).orElseThrow()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (IngressFirst.niceOf(backgroundTid) != 7 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(IngressFirst.niceOf(backgroundTid)).as("a thread off the ack path").isEqualTo(7);
      assertThat(IngressFirst.niceOf(writerTid)).as("the inbox writer").isZero();
      assertThat(sweeper.counts()[0]).isPositive();
    } finally {
      stop.countDown();
      b.join();
      w.join();
      IngressFirstTest.restoreAll(); // the sweep lowered this test JVM's other threads too
    }
  }

  @Test
  void theConfigKeyIsValidatedAndZeroTurnsItOff() {
    assertThat(OperationsConfig.defaults().backgroundNice()).isEqualTo(15);
    assertThat(OperationsConfig.read(yaml("ingress: {background-nice: 0}")).backgroundNice()).isZero();
    assertThat(IngressFirst.start(0)).isEmpty();
    assertThatThrownBy(() -> OperationsConfig.read(yaml("ingress: {background-nice: 20}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingress.background-nice must be 0-19");
  }

  private static io.helidon.config.Config yaml(String yaml) {
    return io.helidon.config.Config.builder()
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .addSource(io.helidon.config.ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML))
        .build();
  }

  private static void parkAndTell(CompletableFuture<Integer> tid, CountDownLatch stop) {
    try {
      String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "<pid>/task/<tid>"
      tid.complete(Integer.parseInt(self.substring(self.lastIndexOf('/') + 1)));
      stop.await();
    } catch (Exception e) {
      tid.completeExceptionally(e);
    }
  }

  /** Puts every thread of this JVM back to nice 0 where allowed (as root; otherwise all stay equal). */
  static void restoreAll() throws java.io.IOException {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        int tid = Integer.parseInt(t.getFileName().toString());
        if (IngressFirst.niceOf(tid) > 0) {
          LIBC.setpriority(0, tid, 0);
        }
      }
    }
  }
}
