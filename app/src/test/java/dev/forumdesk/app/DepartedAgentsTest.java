package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What {@link DepartedAgents} does with the open tickets of an agent no longer in {@code agents},
 * without Temporal: the moves it asks for and the notice the supervisors get.
 */
class DepartedAgentsTest {
  static final Person BORIS = new Person(1002, "Boris", "boris");

  static final String WITH_BORIS = """
      support: {chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}
      agents:
        - {id: 1001, name: Alice, username: alice}
        - {id: 1002, name: Boris, username: boris}
      """;
  static final String WITHOUT_BORIS = WITH_BORIS.replace("  - {id: 1002, name: Boris, username: boris}\n", "");

  final List<String> commanded = new ArrayList<>();
  final Map<String, String> notices = new java.util.LinkedHashMap<>();

  static TicketState ticket(long thread, String title, Person assignee) {
    return new TicketState("ticket--1001234567890-" + thread, -1001234567890L, thread, true, title,
        new Person(5000 + thread, "Customer", null), "text", Status.IN_PROGRESS, Priority.NORMAL, 1, "technical",
        null, assignee, "en", null, null, Instant.parse("2026-12-05T20:00:00Z"), null, null, null, 0, null, null,
        null, List.of(), List.of(), 1, null, null, null);
  }

  DepartedAgents departed(Supplier<ForumdeskConfig> config, List<TicketState> open) {
    return new DepartedAgents(config, agents -> open.stream().filter(t -> !agents.contains(t.assignee().id())).toList(),
        (id, request, timeout) -> {
          commanded.add(id);
          return new TicketGateway.CommandOutcome.Accepted(
              new CommandReply("👤 Reassigned to next best Alice.", Status.IN_PROGRESS));
        },
        notices::put, Duration.ofSeconds(5), () -> true);
  }

  /**
   * Audit 19b, F1: a departure decided under a configuration that a later one replaced, where the
   * agent is back (a file emptied for seconds, then restored), is not carried out: no move, no notice.
   */
  @Test
  void aDepartureDecidedUnderAConfigurationSinceReplacedWhereTheAgentIsBackIsNotCarriedOut() {
    ForumdeskConfig without = ConfigLoader.fromYaml(WITHOUT_BORIS);
    ForumdeskConfig with = ConfigLoader.fromYaml(WITH_BORIS);
    int[] reads = {0};
    // the listing reads the file without Boris; by the time each ticket is acted on he is back
    Supplier<ForumdeskConfig> config = () -> reads[0]++ == 0 ? without : with;

    List<String> moved = departed(config, List.of(ticket(77, "Sync error", BORIS), ticket(78, "Crash", BORIS)))
        .handOver(true);

    assertThat(moved).isEmpty();
    assertThat(commanded).isEmpty();
    assertThat(notices).isEmpty();
  }

  @Test
  void theTicketsOfAnAgentStillGoneAreMovedAndTheSupervisorsTold() {
    ForumdeskConfig without = ConfigLoader.fromYaml(WITHOUT_BORIS);

    List<String> moved = departed(() -> without, List.of(ticket(77, "Sync error", BORIS))).handOver(true);

    assertThat(moved).containsExactly("ticket--1001234567890-77");
    assertThat(commanded).containsExactly("ticket--1001234567890-77");
    assertThat(notices.values()).singleElement().asString()
        .startsWith("👋 Boris is no longer in <code>agents</code>")
        .contains("Sync error").contains("👤 Reassigned to next best Alice.");
  }
}
