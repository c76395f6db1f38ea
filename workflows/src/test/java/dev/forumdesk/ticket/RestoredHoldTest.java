package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.sla.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A ticket on hold when the embedded server went down comes back from its snapshot with its SLA still
 * paused at what it had left when it was put on hold: the outage is not counted (its deadlines do not
 * pass while it is down, nothing breaches at the restore), and /resume gives each clock exactly what
 * was left, from the resume.
 */
class RestoredHoldTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults()
      .withDurations(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofDays(2),
          Duration.ofDays(3));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aRestoredHeldTicketKeepsWhatItsClocksHadLeftAndResumesWithIt() {
    t.open(1, "Refund", POLICY);
    Instant opened = t.state(1).createdAt();
    t.skip(Duration.ofSeconds(10));
    t.command(1, AGENT, Role.AGENT, "hold", "waiting for the bank");
    TicketState held = t.await(1, s -> s.status() == Status.ON_HOLD);
    Duration usedBeforeHold = Duration.between(opened, held.audit().getLast().at());
    t.lose(1);
    t.skip(Duration.ofMinutes(30)); // down far longer than any of its deadlines

    t.restore(1, held, List.of());
    TicketState restored = t.await(1, s -> s.version() >= held.version());
    assertThat(restored.status()).isEqualTo(Status.ON_HOLD);
    assertThat(restored.sla().paused()).isTrue();
    assertThat(restored.sla().breaches()).as("its deadlines did not pass while paused").isEmpty();
    Duration firstLeft = held.clocks().remaining().get(Clock.FIRST_RESPONSE);
    Duration resolutionLeft = held.clocks().remaining().get(Clock.RESOLUTION);
    assertThat(restored.clocks().remaining()).isEqualTo(held.clocks().remaining());
    assertThat(firstLeft).isEqualTo(Duration.ofMinutes(1).minus(usedBeforeHold));

    t.command(1, AGENT, Role.AGENT, "resume", "");
    TicketState resumed = t.await(1, s -> s.status() != Status.ON_HOLD);
    Instant resumedAt = resumed.audit().stream().filter(a -> a.event().equals("RESUMED")).findFirst().orElseThrow().at();
    assertThat(resumed.sla().firstResponseDue()).isEqualTo(resumedAt.plus(firstLeft));
    assertThat(resumed.sla().resolutionDue()).isEqualTo(resumedAt.plus(resolutionLeft));
    assertThat(resumed.audit()).extracting(AuditEntry::event).doesNotContain("ESCALATED", "SLA_BREACH");
  }
}
