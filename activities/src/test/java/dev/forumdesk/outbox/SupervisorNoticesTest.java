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

  /**
   * Audit 19b, F2: a notice listing tickets was logged whole, one WARN of hundreds of lines. It is
   * logged as one line now: its first line and how many follow; the outbox keeps the whole text.
   */
  @Test
  void aLongNoticeIsLoggedAsOneLineAndQueuedWhole() {
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      StringBuilder html = new StringBuilder("👋 Carmen is no longer in <code>agents</code>; their 40 open tickets: 40 moved (Boris 40).");
      for (int i = 0; i < 40; i++) {
        html.append("\n• Ticket ").append(i).append(" 👤 Reassigned to next best Boris.");
      }
      new SupervisorNotices(outbox, -1009876543210L, List.of(SAM)).notice("left-the-team:1003:1", html.toString());

      assertThat(log.warnings()).containsExactly("supervisor notice left-the-team:1003:1: 👋 Carmen is no longer in"
          + " <code>agents</code>; their 40 open tickets: 40 moved (Boris 40). (+40 more lines)");
      assertThat(QueuedRows.text(outbox.queue(10).getFirst())).isEqualTo("@sam: " + html);
    }
  }
}
