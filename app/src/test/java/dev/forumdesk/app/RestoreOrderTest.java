package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.JournalEntry;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restored ticket's journal: its API actions and its inbox's updates, in the order they came. */
class RestoreOrderTest {
  private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");
  private static final Person SAM = new Person(900001, "Sam", null);
  private static final Person ALICE = new Person(1001, "Alice", "alice");

  @Test
  void apiActionsAndUpdatesAreMergedByWhenTheyCameEachKeepingItsOwnOrder() {
    List<Restore.Came> actions = List.of(action("api:a", T.plusMillis(10)), action("api:b", T.plusMillis(30)));
    // the inbox's order is the updates' (update ids); one stored late keeps its place among them
    List<Restore.Came> updates = List.of(update("u1", T), update("u2", T.plusMillis(20)), update("u3", T.plusMillis(15)),
        update("u4", T.plusMillis(30)), update("u5", T.plusMillis(40)));

    assertThat(Restore.inOrder(actions, updates)).extracting(JournalEntry::eventId)
        .as("at the same instant the update first")
        .containsExactly("u1", "api:a", "u2", "u3", "u4", "api:b", "u5");
    assertThat(Restore.inOrder(actions, updates)).extracting(JournalEntry::acceptedAt)
        .as("each keeps when it came: the deadlines due before it fire before it")
        .containsExactly(T, T.plusMillis(10), T.plusMillis(20), T.plusMillis(15), T.plusMillis(30), T.plusMillis(30),
            T.plusMillis(40));
    assertThat(Restore.inOrder(actions, List.of())).extracting(JournalEntry::eventId).containsExactly("api:a", "api:b");
    assertThat(Restore.inOrder(List.of(), updates.subList(0, 2))).extracting(JournalEntry::eventId)
        .containsExactly("u1", "u2");
  }

  /**
   * Audit 15, F1: an auto-close that fell due while the process was down (or falls due in the hold)
   * waits for the hold after the restore, so that the updates Telegram held meanwhile reach the ticket
   * still resolved. Not when the journal shows the process ran past it, nor for a ticket not resolved.
   */
  @Test
  void anOverdueAutoCloseOfAResolvedTicketIsHeldAfterTheRestore() {
    Instant now = T.plusSeconds(3600);
    Duration hold = Duration.ofMinutes(2);
    TicketState overdue = withAutoClose(Status.RESOLVED, T.plusSeconds(60));
    TicketState held = Restore.held(overdue, List.of(), now, hold).orElseThrow();
    assertThat(held.clocks().due()).containsEntry(Clock.AUTO_CLOSE, now.plus(hold)).hasSize(1);
    assertThat(held.status()).isEqualTo(Status.RESOLVED);
    assertThat(held.withClocks(overdue.clocks())).as("nothing else changed").isEqualTo(overdue);

    assertThat(Restore.held(withAutoClose(Status.RESOLVED, now.plusSeconds(30)), List.of(), now, hold))
        .as("due within the hold: held as well").get()
        .extracting(t -> t.clocks().due().get(Clock.AUTO_CLOSE)).isEqualTo(now.plus(hold));
    assertThat(Restore.held(withAutoClose(Status.RESOLVED, now.plus(hold)), List.of(), now, hold))
        .as("due after the hold: as it is").isEmpty();
    assertThat(Restore.held(withAutoClose(Status.IN_PROGRESS, null), List.of(), now, hold)).isEmpty();

    // the customer's message came before the auto-close and waits in the inbox: held, the journal reopens it
    List<JournalEntry> before = Restore.inOrder(List.of(), List.of(update("u1", T.plusSeconds(59))));
    assertThat(Restore.held(overdue, before, now, hold)).isPresent();
    // one came at or after it: the process ran past it, the journal closes it before that one, as then
    List<JournalEntry> after = Restore.inOrder(List.of(), List.of(update("u1", T.plusSeconds(59)),
        update("u2", T.plusSeconds(60))));
    assertThat(Restore.held(overdue, after, now, hold)).isEmpty();
  }

  private static TicketState withAutoClose(Status status, Instant due) {
    TicketState s = TicketState.unopened(-1001234567890L, 42, TicketPolicy.defaults());
    s = new TicketState(s.id(), s.chatId(), s.threadId(), true, "Refund", ALICE, "Where is it?", status,
        s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(), s.tier(), T,
        null, status == Status.RESOLVED ? T : null, T, 0, null, s.sla(), s.routing(), s.audit(), s.seenEvents(), 3,
        s.policy(), s.lifecycle(), s.clocks());
    Map<Clock, Instant> dues = due == null ? Map.of(Clock.RESOLUTION, T.plusSeconds(86_400)) : Map.of(Clock.AUTO_CLOSE, due);
    return s.withClocks(new SlaClocks.Snapshot(dues, Map.of(), false));
  }

  private static Restore.Came action(String id, Instant at) {
    return new Restore.Came(at, JournalEntry.of(new CommandRequest(id, at, SAM, Role.SUPERVISOR, "hold", "", "api")));
  }

  private static Restore.Came update(String id, Instant at) {
    return new Restore.Came(at, JournalEntry.of(new TicketEvent.MessagePosted(id, at, ALICE, Role.AGENT, 1, "hi")));
  }
}
