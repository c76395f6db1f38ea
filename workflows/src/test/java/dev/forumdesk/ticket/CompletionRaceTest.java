package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.forumdesk.log.LogCapture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signal that reaches a ticket while the workflow task that closes it runs. Temporal refuses to
 * complete a workflow with a signal it has not seen ({@code UnhandledCommand}); the worker runs the
 * task again with the signal in it. No workflow code can see a signal that arrives after its task
 * started, so the refusal cannot be avoided, only not shouted about (the app's logback.xml).
 */
class CompletionRaceTest {
  /** The SDK's logger that reports the refused completion (temporal-sdk 1.38: a WARN with the stack). */
  static final String SDK_LOGGER = "io.temporal.internal.worker.WorkflowWorker";

  private final TicketHarness t = new TicketHarness();
  // as in the app: at DEBUG the SDK logs a DEBUG line instead
  @RegisterExtension final LogCapture sdkLog = LogCapture.of(SDK_LOGGER).atLevel(Level.INFO);

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aCapacityFreedSignalDuringTheClosingTaskIsRefusedOnceThenTheRunCloses() throws Exception {
    duringTheClosingTask(1, () -> t.capacityFreed(1));
    t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, 1)).getResult(Void.class);

    assertThat(t.activities.projected.getLast().status()).isEqualTo(Status.CLOSED);
    assertThat(sdkLog.events()).as("the SDK reports the refused completion; the task ran again")
        .anySatisfy(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.WARN);
          assertThat(e.getThrowableProxy().getMessage()).startsWith("INVALID_ARGUMENT: UnhandledCommand");
        });
  }

  /**
   * The customer writes while auto-close's task runs. That task projected CLOSED before Temporal
   * refused its completion; run again with the message, it reopens the ticket instead, and its
   * projection has the version the discarded CLOSED one had. The read model kept CLOSED until the
   * next change, while the ticket was open and the customer waited for an answer.
   */
  @Test
  void aCustomerMessageDuringTheClosingTaskReopensTheTicketAndTheReadModelSaysSo() throws Exception {
    duringTheClosingTask(2, () -> t.customerSays(2, "still broken"));

    TicketState reopened = t.await(2, s -> s.status() == Status.IN_PROGRESS);
    assertThat(reopened.audit()).extracting(AuditEntry::event).doesNotContain("CLOSED").endsWith("REOPENED");
    t.await(2, s -> t.activities.projected.getLast().version() >= s.version()); // projected since
    assertThat(t.activities.projected.getLast())
        .as("the read model after the discarded close: the ticket as the workflow has it")
        .satisfies(last -> {
          assertThat(last.status()).isEqualTo(Status.IN_PROGRESS);
          assertThat(last.audit()).extracting(AuditEntry::event).doesNotContain("CLOSED");
        });
  }

  /**
   * The topic reopened in Telegram during auto-close's task: the reopen is one audit entry, and so
   * is the close (lifecycle rules 3), so the re-run's projection is not older than the discarded one.
   */
  @Test
  void theTopicReopenedDuringTheClosingTaskReopensTheTicketAndTheReadModelSaysSo() throws Exception {
    duringTheClosingTask(3, () -> t.send(3, new TicketEvent.TopicReopened(t.nextEventId(), t.now(), AGENT, Role.AGENT)));

    t.await(3, s -> s.status() == Status.IN_PROGRESS);
    t.await(3, s -> t.activities.projected.getLast().version() >= s.version());
    assertThat(t.activities.projected.getLast().status()).isEqualTo(Status.IN_PROGRESS);
  }

  /**
   * Opens a ticket that auto-closes a second after it is resolved, resolves it, and runs {@code
   * during} while the closing task's projection of CLOSED is held. In real time: skipping time
   * while the task is held would time it out, and that is another refusal.
   */
  private void duringTheClosingTask(long thread, Runnable during) throws InterruptedException {
    Duration hour = Duration.ofHours(1);
    t.open(thread, "Closing", TicketPolicy.defaults().withDurations(hour, hour, hour, hour, Duration.ofSeconds(1)));
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    AtomicBoolean held = new AtomicBoolean();
    t.activities.onProjection = p -> {
      if (p.head().status() == Status.CLOSED && held.compareAndSet(false, true)) {
        closing.countDown(); // the closing task is running: its local activity is here
        await(released);
      }
    };
    t.agentSays(thread, "fixed, please check");
    t.command(thread, AGENT, Role.AGENT, "resolve", "");
    assertThat(closing.await(20, TimeUnit.SECONDS)).as("auto-close projected CLOSED").isTrue();
    during.run();
    released.countDown();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
