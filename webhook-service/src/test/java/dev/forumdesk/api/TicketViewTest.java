package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ticket JSON's {@code sla}: CONTRACT.md's keys as they were, and beside them what a hold left (audit 16, F4). */
class TicketViewTest {
  static final Person BOB = new Person(5001, "Bob", "bob");

  private static JsonNode sla(TicketState s) throws Exception {
    return Json.mapper().readTree(Json.write(TicketView.full(s))).path("sla");
  }

  @Test
  void onHoldEachPausedClockSaysWhatItHasLeftAsAnIsoDuration() throws Exception {
    TicketState held = TestTickets.of("ticket--1001234567890-42", BOB, Status.ON_HOLD).withClocks(new SlaClocks.Snapshot(
        Map.of(Clock.AUTO_CLOSE, Instant.parse("2026-12-01T10:00:00Z")),
        Map.of(Clock.FIRST_RESPONSE, Duration.ofMillis(49_500), Clock.FIRST_RESPONSE_WARNING, Duration.ZERO,
            Clock.RESOLUTION, Duration.ofHours(23).plusMinutes(10), Clock.STALE, Duration.ofHours(20)),
        true));
    JsonNode sla = sla(held);
    assertThat(sla.path("firstResponseRemaining").asText()).isEqualTo("PT49.5S");
    assertThat(sla.path("resolutionRemaining").asText()).isEqualTo("PT23H10M");
    assertThat(sla.has("nextResponseRemaining")).isTrue();
    assertThat(sla.path("nextResponseRemaining").isNull()).as("not running").isTrue();
    assertThat(sla.path("firstResponseDue").isNull()).as("the dues keep their meaning: none while paused").isTrue();
    assertThat(List.copyOf(iterable(sla.fieldNames()))).as("CONTRACT.md's keys first, then the new ones")
        .containsExactly("firstResponseDue", "nextResponseDue", "resolutionDue", "paused", "breaches",
            "firstResponseRemaining", "nextResponseRemaining", "resolutionRemaining");
  }

  @Test
  void whileTheSlaRunsNothingIsRemainingOnlyDue() throws Exception {
    TicketState running = TestTickets.of("ticket--1001234567890-43", BOB, Status.NEW).withClocks(new SlaClocks.Snapshot(
        Map.of(Clock.FIRST_RESPONSE, Instant.parse("2026-11-25T10:30:00Z")), Map.of(), false));
    JsonNode sla = sla(running);
    assertThat(sla.path("firstResponseRemaining").isNull()).isTrue();
    assertThat(sla.path("resolutionRemaining").isNull()).isTrue();
    assertThat(sla.path("paused").asBoolean()).isFalse();
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
