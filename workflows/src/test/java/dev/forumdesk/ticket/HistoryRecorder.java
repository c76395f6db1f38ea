package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories {@link ReplayTest} replays. Run on purpose only, when the workflow
 * changed incompatibly before any ticket ran on it:
 * {@code ./forumdesk test -pl workflows -Dforumdesk.recordHistories=true -Dtest=HistoryRecorder}.
 */
@EnabledIfSystemProperty(named = "forumdesk.recordHistories", matches = "true")
class HistoryRecorder {
  @Test
  void recordBasicTicket() throws Exception {
    try (TicketHarness t = new TicketHarness()) {
      t.send(42, new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order 7"));
      t.send(42, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, 43, "charged twice"));
      t.send(42, new TicketEvent.MessagePosted("u2", t.now(), CUSTOMER, Role.CUSTOMER, 43, "charged twice"));
      t.send(42, new TicketEvent.MessagePosted("u3", t.now(), AGENT, Role.AGENT, 44, "on it"));
      // phase 2 too: enrichment, routing, assignment and the title lock are in the history
      t.await(42, s -> s.seenEvents().contains("u3") && s.assignee() != null && !t.routing.locks.isEmpty());
      t.await(42, s -> t.activities.projected.getLast().assignee() != null);
      save(t, 42, "basic-ticket.json");
    }
  }

  static void save(TicketHarness t, long threadId, String name) throws Exception {
    String json = t.client.fetchHistory(TicketWorkflow.id(TicketHarness.CHAT, threadId)).toJson(true);
    Path dir = Path.of("src/test/resources/histories");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), json);
  }
}
