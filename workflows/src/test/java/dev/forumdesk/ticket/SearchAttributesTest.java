package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.SearchAttributes;
import org.junit.jupiter.api.Test;

/**
 * The Ticket* search attributes follow the ticket (the Web UI finds tickets by them) and are
 * upserted only when one of them changed: each upsert is a history event and a visibility write,
 * and most messages change none of them.
 */
class SearchAttributesTest {
  @Test
  void messagesThatChangeNoAttributeAddNoUpsertAndAChangeIsUpsertedAtOnce() {
    try (TicketHarness t = new TicketHarness()) {
      t.registerSearchAttributes();
      t.open(80, "Cannot log in", TicketPolicy.defaults().withSearchAttributes(true));
      t.customerSays(80, "it says my password is wrong");
      t.await(80, s -> s.seenEvents().size() == 2);
      int projectionsBefore = t.activities.projected.size();
      long upsertsBefore = upserts(t);
      assertThat(upsertsBefore).as("the opening's attributes").isPositive();

      for (int i = 0; i < 5; i++) {
        t.customerSays(80, "still the same error, try " + i);
      }
      t.await(80, s -> s.seenEvents().size() == 7);
      t.await(80, s -> t.activities.projected.size() >= projectionsBefore + 1);
      assertThat(upserts(t)).as("five messages, no attribute changed").isEqualTo(upsertsBefore);

      t.command(80, TicketHarness.AGENT, Role.AGENT, "priority", "high");
      t.await(80, s -> s.priority() == Priority.HIGH);
      t.await(80, s -> attributes(t).get(dev.forumdesk.ticket.SearchAttributes.PRIORITY).equals("HIGH"));
      assertThat(upserts(t)).as("the priority changed").isEqualTo(upsertsBefore + 1);
      TicketState s = t.state(80);
      assertThat(attributes(t).get(dev.forumdesk.ticket.SearchAttributes.STATUS)).isEqualTo(s.status().name());
    }
  }

  private static long upserts(TicketHarness t) {
    return t.client.fetchHistory(TicketWorkflow.id(TicketHarness.CHAT, 80)).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .count();
  }

  private static SearchAttributes attributes(TicketHarness t) {
    return t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, 80)).describe().getTypedSearchAttributes();
  }
}
