package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Status;
import org.junit.jupiter.api.Test;

/** The customer's three lines of /status, from the workflow's card (group mode) or from a ticket's fields (relay). */
class StatusCardTest {
  private static OutboundMessage reply(String html) {
    return new OutboundMessage("ticket--1001-42:reply:u7", -1001, 42L, html, OutboundMessage.NORMAL);
  }

  @Test
  void theWorkflowsCardAndTheFieldsGiveTheSameLinesEscapedOnce() {
    String card = "<b>Refund &lt;now&gt; &amp; more</b>\nStatus: ON_HOLD (SLA paused)\nAssignee: Alice &amp; co\n"
        + "Priority: URGENT · Level 2 · Queue billing\nFirst response: 55 s left (paused)\n"
        + "Next response due: —\nResolution: 2 min 25 s left (paused)";
    String fromFields = StatusCard.forCustomer("Refund <now> & more", Status.ON_HOLD, "Alice & co");
    assertThat(fromFields).isEqualTo("<b>Refund &lt;now&gt; &amp; more</b>\nStatus: on hold\nAssignee: Alice &amp; co");
    assertThat(StatusCard.forCustomer(reply(card))).contains(fromFields);
  }

  @Test
  void unassignedReadsTheSameBothWays() {
    String card = "<b>Login</b>\nStatus: NEW\nAssignee: unassigned\nPriority: NORMAL · Level 1 · Queue general\n"
        + "First response due: 4 Dec 09:43 UTC\nNext response due: —\nResolution due: 5 Dec 09:43 UTC";
    String fromFields = StatusCard.forCustomer("Login", Status.NEW, null);
    assertThat(fromFields).isEqualTo("<b>Login</b>\nStatus: waiting for an agent\nAssignee: unassigned");
    assertThat(StatusCard.forCustomer(reply(card))).contains(fromFields);
    assertThat(StatusCard.forCustomer(reply(card.replace("unassigned", "Carmen"))))
        .contains("<b>Login</b>\nStatus: waiting for the agent's reply\nAssignee: Carmen");
  }

  @Test
  void anotherReplyIsNoCard() {
    assertThat(StatusCard.forCustomer(reply("Done."))).isEmpty();
    assertThat(StatusCard.forCustomer(new OutboundMessage("ticket--1001-42:notice:x", -1001, 42L,
        "<b>Login</b>\nStatus: NEW\nAssignee: unassigned\nFirst response due: —", OutboundMessage.NORMAL))).isEmpty();
  }
}
