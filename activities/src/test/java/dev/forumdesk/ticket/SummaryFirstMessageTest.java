package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Level 2 summary's first message comes from when the workflow wrote the summary before the
 * customer's message reached the ticket (audit 12, F1: 9 of 20 in a burst): the read model, waited
 * for while the message is on its way, and not beyond.
 */
class SummaryFirstMessageTest {
  static final String ID = "ticket--1001234567890-921";
  static final String WITHOUT = Level2Summary.of("Burst 921", "https://t.me/c/1234567890/921", "both forums",
      new Person(5921, "Cust5921", null), null);
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private static FirstMessageFromReadModel at(Database db, Instant now) {
    return new FirstMessageFromReadModel(new TicketStore(db), new Inbox(db), () -> WAIT, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aMessageStillInTheInboxIsWaitedForAndThenAdded() throws Exception {
    try (Database db = Database.embedded(dir)) {
      TestTickets.project(db, ID, Status.ESCALATED, "Burst 921", null);
      new Inbox(db).append(921_000, Optional.of(ID), "message", "{}");
      assertThat(at(db, Instant.now()).whenItCame(ID, WITHOUT)).as("PENDING in the inbox").isEmpty();
      assertThat(at(db, Instant.now()).now(ID, WITHOUT)).as("without waiting").isEqualTo(WITHOUT);

      new Inbox(db).delivered(921_000);
      assertThat(at(db, Instant.now()).whenItCame(ID, WITHOUT)).as("DELIVERED, not projected yet").isEmpty();

      TestTickets.project(db, ID, Status.ESCALATED, "Burst 921", "Hello, question number 921 <b>");
      String with = WITHOUT + "First message: Hello, question number 921 &lt;b&gt;";
      assertThat(at(db, Instant.now()).whenItCame(ID, WITHOUT)).contains(with);
      assertThat(at(db, Instant.now()).now(ID, WITHOUT)).isEqualTo(with);
      assertThat(at(db, Instant.now()).whenItCame(ID, with)).as("once").contains(with);
    }
  }

  /** An update that does not reach the read model in time is taken for stuck: the summary goes as written. */
  @Test
  void aStuckUpdateIsNotWaitedForBeyondItsBound() throws Exception {
    try (Database db = Database.embedded(dir)) {
      TestTickets.project(db, ID, Status.ESCALATED, "Burst 921", null);
      Inbox inbox = new Inbox(db);
      inbox.append(921_000, Optional.of(ID), "message", "{}");
      Instant later = Instant.now().plus(FirstMessageFromReadModel.PENDING_AT_MOST).plusSeconds(1);
      assertThat(at(db, later).whenItCame(ID, WITHOUT)).contains(WITHOUT);
      inbox.delivered(921_000);
      assertThat(at(db, Instant.now().plus(FirstMessageFromReadModel.DELIVERED_AT_MOST).plusSeconds(1)).whenItCame(ID, WITHOUT))
          .contains(WITHOUT);
    }
  }

  /** A topic opened without text: its customer's message is waited for as phase 2 waits for it, no longer. */
  @Test
  void aTopicWithoutTextIsGivenRoutingsFirstMessageWait() throws Exception {
    try (Database db = Database.embedded(dir)) {
      TestTickets.project(db, ID, Status.ESCALATED, "Burst 921", null);
      assertThat(at(db, TestTickets.CREATED.plusSeconds(3)).whenItCame(ID, WITHOUT)).isEmpty();
      assertThat(at(db, TestTickets.CREATED.plus(WAIT).plusSeconds(1)).whenItCame(ID, WITHOUT)).contains(WITHOUT);
      assertThat(at(db, Instant.now()).whenItCame("ticket--1001234567890-1", WITHOUT)).as("no such ticket")
          .contains(WITHOUT);
      assertThat(SummaryFirstMessage.AS_WRITTEN.whenItCame(ID, WITHOUT)).contains(WITHOUT);
    }
  }
}
