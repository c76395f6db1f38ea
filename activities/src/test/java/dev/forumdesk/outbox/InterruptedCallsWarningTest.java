package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Audit 13, F10: the start-up warning after a kill during createForumTopic read "1 bot messages were
 * mid-call …, not repeated, except 1 Level 2 topics, asked for again …", leaving the reader to work
 * out that no message was cut off at all. Each kind is counted on its own, in the right number, and
 * a kind with none is not mentioned.
 */
class InterruptedCallsWarningTest {
  static final String TOKEN = "42:interrupted-test-token";
  static final long GROUP = -1001234567890L;

  @TempDir Path dir;

  @Test
  void onlyALevel2TopicWasCutOff() {
    assertThat(OutboxSender.interruptedWarning(0, 1)).isEqualTo("When the process stopped, 1 Level 2 topic was being"
        + " opened (asked for again by its ticket; an empty topic of the same name may be left)");
  }

  @Test
  void onlyAMessageWasCutOff() {
    assertThat(OutboxSender.interruptedWarning(1, 0))
        .isEqualTo("When the process stopped, 1 bot message was mid-call (status UNKNOWN, not repeated)");
  }

  @Test
  void messagesAndTopicsAreCountedApart() {
    assertThat(OutboxSender.interruptedWarning(2, 3)).isEqualTo("When the process stopped, 2 bot messages were"
        + " mid-call (status UNKNOWN, not repeated) and 3 Level 2 topics were being opened (asked for again by their"
        + " tickets; an empty topic of the same name may be left for each)");
  }

  /** The warning the sender logs at start for the rows a kill left SENDING: one topic, no message. */
  @Test
  void theSenderWarnsOfATopicCutOffWithoutCountingItAsAMessage() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OutboxSender.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    FakeTelegram telegram = new FakeTelegram(TOKEN);
    Database db = Database.embedded(dir);
    OutboxSender sender = null;
    try {
      Outbox outbox = new Outbox(db);
      outbox.enqueue(MessageKind.OTHER, "ticket-" + GROUP + "-900:l2-topic", GROUP, null, "createForumTopic",
          "{\"chat_id\":" + GROUP + ",\"name\":\"L2: Topic kill\"}", OutboundMessage.NORMAL);
      List<OutboxRow> waiting = outbox.queue(10);
      outbox.attempting(waiting); // the call goes out, and the process dies
      sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), TOKEN, Duration.ofSeconds(10)),
          RateLimits.telegram(), new SimpleMeterRegistry(),
          new SupervisorNotices(outbox, GROUP, List.of(new Person(900001L, "Sam", null))));
      sender.start();

      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo(OutboxSender.interruptedWarning(0, 1))
              .doesNotContain("except", "bot message"));
    } finally {
      logger.detachAppender(log);
      if (sender != null) {
        sender.close();
      }
      db.close();
      telegram.close();
    }
  }
}
