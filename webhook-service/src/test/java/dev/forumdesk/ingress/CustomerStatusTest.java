package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which ticket a customer's /status reads: the projection, or the opening waiting in the inbox; a
 * CLOSED projection gives way to the follow-up its topic's waiting message opens (the review's M3:
 * the customer wrote in the closed topic, asked, and read "closed").
 */
class CustomerStatusTest {
  @Test
  void aClosedProjectionGivesWayToTheFollowUpWaitingToOpen() {
    Optional<TicketState> closed = Optional.of(ticket(Status.CLOSED, "Old title"));
    Optional<TicketState> followUp = Optional.of(ticket(Status.NEW, "Old title"));
    Optional<TicketState> open = Optional.of(ticket(Status.IN_PROGRESS, "Old title"));

    assertThat(CustomerStatus.followUpOrStored(closed, () -> followUp)).isEqualTo(followUp);
    assertThat(CustomerStatus.followUpOrStored(closed, Optional::empty)).as("nothing waits: it is closed").isEqualTo(closed);
    assertThat(CustomerStatus.followUpOrStored(open, () -> followUp)).as("an open projection is the ticket").isEqualTo(open);
    assertThat(CustomerStatus.followUpOrStored(Optional.empty(), () -> followUp)).as("not projected yet").isEqualTo(followUp);
    assertThat(CustomerStatus.card(CustomerStatus.followUpOrStored(closed, () -> followUp).orElseThrow()))
        .isEqualTo("<b>Old title</b>\nStatus: waiting for an agent\nAssignee: unassigned");
  }

  private static TicketState ticket(Status status, String title) {
    ObjectNode t = Json.mapper().valueToTree(TicketState.unopened(-1001, 42,
        ConfigLoader.fromYaml("support: {chat-id: -1001}").ticketPolicy(false)));
    t.put("opened", true).put("title", title).put("status", status.name());
    return Json.read(t.toString(), TicketState.class);
  }
}
