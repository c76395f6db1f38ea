package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Audit 21a, F2: a ticket opened at a date no Temporal timer reaches (ingress now stores such a date
 * as the time of receipt; a ticket stored before, or a sender ingress did not check, still has one)
 * waits for its far deadline in bounded steps: its workflow never fails on "Duration is not valid".
 */
class FarOffDateTest {
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aTicketOpenedFarInTheFutureWaitsInBoundedStepsAndStillTakesItsEvents() {
    Instant far = Instant.ofEpochSecond(1_000_000_000_000_000L); // +31690708-07-05
    t.send(42, new TicketEvent.TopicOpened("u1", far, CUSTOMER, Role.CUSTOMER, "From the far future"));
    TicketState opened = t.await(42, TicketState::opened);
    assertThat(opened.createdAt()).isEqualTo(far);
    assertThat(opened.sla().firstResponseDue()).isAfter(far);

    t.skip(Duration.ofDays(800)); // the bounded wait wakes, finds nothing due, and waits again
    t.agentSays(42, "Hello, how can I help?");
    TicketState answered = t.await(42, s -> s.firstResponseAt() != null);
    assertThat(answered.status()).isNotEqualTo(Status.CLOSED);
    assertThat(answered.sla().breaches()).isEmpty();
  }
}
