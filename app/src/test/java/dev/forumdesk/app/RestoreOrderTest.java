package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.JournalEntry;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import java.time.Instant;
import java.util.List;
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

  private static Restore.Came action(String id, Instant at) {
    return new Restore.Came(at, JournalEntry.of(new CommandRequest(id, at, SAM, Role.SUPERVISOR, "hold", "", "api")));
  }

  private static Restore.Came update(String id, Instant at) {
    return new Restore.Came(at, JournalEntry.of(new TicketEvent.MessagePosted(id, at, ALICE, Role.AGENT, 1, "hi")));
  }
}
