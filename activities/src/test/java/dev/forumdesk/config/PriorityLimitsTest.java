package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.TicketPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Raising a ticket's priority never gives it more time to its first response (audit 6, F17). */
class PriorityLimitsTest {
  @RegisterExtension final LogCapture logs = LogCapture.of(ConfigLoader.class);

  List<String> warnings() {
    return logs.warnings();
  }

  static TicketPolicy policy(String sla) {
    return ConfigLoader.fromYaml("support: {chat-id: -100}\nsla: " + sla).ticketPolicy(false);
  }

  @Test
  void aTighterFirstResponseTimeTightensTheDefaultsHigherPrioritiesQuietly() {
    TicketPolicy p = policy("{first-response: PT3M}");
    assertThat(p.firstResponseFor(Priority.LOW)).isEqualTo(Duration.ofMinutes(3));
    assertThat(p.firstResponseFor(Priority.NORMAL)).isEqualTo(Duration.ofMinutes(3));
    assertThat(p.firstResponseFor(Priority.HIGH)).as("not the defaults' PT10M").isEqualTo(Duration.ofMinutes(3));
    assertThat(p.firstResponseFor(Priority.URGENT)).as("not the defaults' PT5M").isEqualTo(Duration.ofMinutes(3));
    // PT7M: HIGH PT7M (the defaults' PT10M capped), URGENT keeps its PT5M
    TicketPolicy q = policy("{first-response: PT7M}");
    assertThat(q.firstResponseFor(Priority.HIGH)).isEqualTo(Duration.ofMinutes(7));
    assertThat(q.firstResponseFor(Priority.URGENT)).isEqualTo(Duration.ofMinutes(5));
    assertThat(warnings()).as("the file wrote nothing out of order").isEmpty();
  }

  @Test
  void theDefaultsAndAnOrderedFileAreKeptAsWritten() {
    TicketPolicy p = policy("{first-response: PT1H, priorities: {LOW: {first-response: PT4H}, high: {first-response: PT20M}}}");
    assertThat(p.firstResponseFor(Priority.LOW)).isEqualTo(Duration.ofHours(4));
    assertThat(p.firstResponseFor(Priority.NORMAL)).isEqualTo(Duration.ofHours(1));
    assertThat(p.firstResponseFor(Priority.HIGH)).isEqualTo(Duration.ofMinutes(20));
    assertThat(p.firstResponseFor(Priority.URGENT)).isEqualTo(Duration.ofMinutes(5));
    TicketPolicy defaults = policy("{}");
    assertThat(defaults.firstResponseFor(Priority.NORMAL)).isEqualTo(Duration.ofMinutes(30));
    assertThat(defaults.firstResponseFor(Priority.HIGH)).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.firstResponseFor(Priority.URGENT)).isEqualTo(Duration.ofMinutes(5));
    assertThat(warnings()).isEmpty();
  }

  @Test
  void aFileThatWritesAHigherPrioritySlowerIsWarnedNamingTheKeysAndCapped() {
    TicketPolicy p = policy("{first-response: PT15M, priorities: {HIGH: {first-response: PT20M}, URGENT: {first-response: PT30M}}}");
    assertThat(p.firstResponseFor(Priority.HIGH)).isEqualTo(Duration.ofMinutes(15));
    assertThat(p.firstResponseFor(Priority.URGENT)).isEqualTo(Duration.ofMinutes(15));
    assertThat(warnings()).containsExactly(
        "sla.priorities.HIGH.first-response PT20M is longer than sla.first-response PT15M of the lower priority NORMAL:"
            + " HIGH tickets get PT15M, a higher priority is never answered later",
        "sla.priorities.URGENT.first-response PT30M is longer than sla.first-response PT15M of the lower priority NORMAL:"
            + " URGENT tickets get PT15M, a higher priority is never answered later");
  }
}
