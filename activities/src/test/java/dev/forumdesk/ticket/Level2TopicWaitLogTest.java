package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.log.LogCapture;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Level 2 topic that waits its turn in the forum's budget is no failure in the log: each try that
 * ends while the topic waits said so as the SDK's WARN with a stack trace, a dozen of them a minute
 * in a burst of escalations. It logs one line of ours instead.
 */
class Level2TopicWaitLogTest {
  static final long STAFF_FORUM = -1009876543210L;

  @RegisterExtension final LogCapture sdk = LogCapture.of("io.temporal.internal.activity.ActivityTaskExecutors");
  @RegisterExtension final LogCapture ours = LogCapture.of(TicketActivitiesImpl.class);
  @TempDir Path dir;

  @Test
  void aTryThatEndsWhileTheTopicWaitsLogsOneLineAndNoWarning() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db); // no sender: the topic waits for the forum's budget
      ForumdeskConfig config = ConfigLoader.fromYaml(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM); // STAFF_FORUM
      env.registerActivitiesImplementations(new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new NewTopics(outbox, Duration.ofMillis(300)), new SimpleMeterRegistry(), CapacityFreed.NOBODY,
          new PrivateNotes(outbox, new StaffPlaces(() -> config))));
      TicketActivities activity = env.newActivityStub(TicketActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build());

      assertThatThrownBy(() -> activity.openLevel2Topic("ticket--100-200", STAFF_FORUM, "L2", "summary", null))
          .isInstanceOf(ActivityFailure.class)
          .cause().isInstanceOf(ApplicationFailure.class)
          .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo("Waiting"));

      assertThat(sdk.warnings()).as("the SDK's WARN of a failed try").isEmpty();
      assertThat(ours.at(Level.INFO)).containsExactly(
          "ticket--100-200: the Level 2 topic waits in the outbox (PENDING) for the forum's message budget;"
              + " asked again in 1 s");
    } finally {
      env.close();
    }
  }

  /**
   * Audit 12, F5: under a busy outbox the SDK logged "Failure during reporting of activity result …
   * ActivityType = OpenLevel2Topic … NOT_FOUND: invalid activityID or activity already timed out":
   * a try waited its 12 s for the topic counted from after its reads and enqueue, and left what
   * followed (saving the topic, queuing its summary, the report) 3 s of the 15 s start-to-close. A
   * try now ends its wait by its own start-to-close, less the room those steps need, however long
   * the wait it was given.
   */
  @Test
  void aTryEndsItsWaitWellBeforeItsStartToCloseTimeout() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db); // no sender: the topic waits for the forum's budget
      ForumdeskConfig config = ConfigLoader.fromYaml(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      env.registerActivitiesImplementations(new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new NewTopics(outbox, Duration.ofSeconds(20)), new SimpleMeterRegistry(), CapacityFreed.NOBODY,
          new PrivateNotes(outbox, new StaffPlaces(() -> config))));
      Duration startToClose = Duration.ofSeconds(8);
      TicketActivities activity = env.newActivityStub(TicketActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(startToClose)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build());

      long started = System.nanoTime();
      assertThatThrownBy(() -> activity.openLevel2Topic("ticket--100-201", STAFF_FORUM, "L2", "summary", null))
          .isInstanceOf(ActivityFailure.class)
          .cause().isInstanceOf(ApplicationFailure.class)
          .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo("Waiting"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took).as("ended with room for the steps after the wait and the report")
          .isLessThanOrEqualTo(startToClose.minus(TicketActivitiesImpl.AFTER_THE_WAIT).plusSeconds(2));
    } finally {
      env.close();
    }
  }
}
