package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's notices in group mode without a staff forum, where customers read the support forum's
 * General topic (audit 9, F2): to each supervisor privately, as they read it, once per key.
 */
class SupervisorNoticesTest {
  static final Person SAM = new Person(900001, "Sam", "sam");
  static final Person SUE = new Person(900002, "Sue", "sue_lead");
  static final String ALERT = "🚨 Forumdesk: 4 tickets are waiting for an agent, the oldest for 1 min 13 s;"
      + " all 8 slots of the agents on shift are taken.";

  @TempDir Path dir;
  @RegisterExtension final LogCapture log = LogCapture.of(SupervisorNotices.class);

  @Test
  void privatelyEachSupervisorGetsTheNoticeWithoutTheMentionsOncePerKey() {
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      List<String> sentAtOnce = new ArrayList<>();
      SupervisorNotices notices = SupervisorNotices.privately(outbox, List.of(SAM, SUE)).sentAtOnceBy(sentAtOnce::add);
      notices.notice("alert:waiting-line:1", ALERT);
      notices.notice("alert:waiting-line:1", ALERT); // the same incident again

      List<OutboxRow> rows = outbox.queue(10);
      assertThat(rows).extracting(OutboxRow::chatId).containsExactlyInAnyOrder(900001L, 900002L);
      assertThat(rows).allSatisfy(r -> {
        assertThat(r.threadId()).as("a private chat").isNull();
        assertThat(r.priority()).isEqualTo(OutboundMessage.URGENT);
        assertThat(QueuedRows.text(r)).isEqualTo(ALERT);
      });
      assertThat(sentAtOnce).containsExactly("alert:waiting-line:1:dm:900001", "alert:waiting-line:1:dm:900002");
      assertThat(log.warnings()).singleElement().satisfies(w -> assertThat(w).contains("alert:waiting-line:1"));
    }
  }

  @Test
  void privatelyWithNoSupervisorsNothingIsQueuedAndAWarningSaysWhatToConfigure() {
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      SupervisorNotices.privately(outbox, List.of()).notice("alert:waiting-line:1", ALERT);
      assertThat(outbox.queue(10)).isEmpty();
      assertThat(log.warnings()).singleElement().satisfies(w -> assertThat(w)
          .contains("nobody to go to", "support.supervisors", "support.level2-chat-id", "4 tickets are waiting"));
    }
  }
}
