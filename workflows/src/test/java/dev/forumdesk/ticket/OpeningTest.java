package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ticket the API shows while its opening update waits in the inbox. */
class OpeningTest {
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void thePreviewIsTheWorkflowsFirstProjection() {
    var opened = new TicketEvent.TopicOpened("u1", t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order 7");
    TicketState preview = Opening.preview(TicketState.unopened(TicketHarness.CHAT, 42, TicketPolicy.defaults()), opened);

    t.send(42, opened);
    t.await(42, x -> !t.activities.projected.isEmpty());
    TicketState first = t.activities.projected.getFirst();

    assertThat(preview).usingRecursiveComparison().ignoringFields("lifecycle.runId") // known only to the run
        .isEqualTo(first);
    assertThat(preview.status()).isEqualTo(Status.NEW);
    assertThat(preview.queue()).isEqualTo("general");
    assertThat(preview.sla().firstResponseDue()).isEqualTo(opened.at().plus(TicketPolicy.defaults().firstResponse()));
    assertThat(preview.audit()).extracting(AuditEntry::event).containsExactly("OPENED");
  }

  @Test
  void aTopicsFirstMessageOpensItsPreviewWithTheMessage() {
    var message = new TicketEvent.MessagePosted("u7", t.now(), CUSTOMER, Role.CUSTOMER, 99, "My card was charged twice");

    TicketState preview = Opening.preview(TicketState.unopened(TicketHarness.CHAT, 43, TicketPolicy.defaults()), message);

    assertThat(preview.opened()).isTrue();
    assertThat(preview.title()).isEqualTo("My card was charged twice");
    assertThat(preview.firstMessage()).isEqualTo("My card was charged twice");
    assertThat(preview.customer()).isEqualTo(CUSTOMER);
    assertThat(preview.seenEvents()).containsExactly("u7");
  }
}
