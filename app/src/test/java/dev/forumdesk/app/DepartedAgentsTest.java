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
  static final Person ALICE = new Person(1001, "Alice", "alice");
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
              CommandReply.moved("👤 Reassigned to next best Alice.", Status.IN_PROGRESS, ALICE));
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

  /**
   * Audit 19b, F2: Carmen left with 123 open tickets; the notice was 6,963 characters, cut by the
   * outbox at Telegram's 4,096 mid-line, without a word of the 48 tickets left out. Now it fits: a
   * summary of where they all went, the lines that fit, whole, and how many more there are.
   */
  @Test
  void aNoticeAboutManyTicketsSummarisesWhereTheyWentListsWhatFitsAndCountsTheRest() {
    Person carmen = new Person(1003, "Carmen", "carmen");
    List<TicketState> open = new ArrayList<>();
    for (int i = 0; i < 123; i++) {
      open.add(ticket(1000 + i, "Login fails on the mobile app after the update, ticket " + i, carmen));
    }
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    DepartedAgents departed = new DepartedAgents(() -> ConfigLoader.fromYaml(WITH_BORIS), agents -> open,
        (id, request, timeout) -> {
          int k = n.getAndIncrement();
          CommandReply reply = k < 57 ? CommandReply.moved("👤 Reassigned to next best Boris.", Status.IN_PROGRESS, BORIS)
              : k < 113 ? CommandReply.moved("👤 Reassigned to next best Eve.", Status.IN_PROGRESS,
                  new Person(1005, "Eve", "eve"))
              : CommandReply.released("👤 Waiting for the next free agent.", Status.IN_PROGRESS);
          return new TicketGateway.CommandOutcome.Accepted(reply);
        },
        notices::put, Duration.ofSeconds(5), () -> true);

    assertThat(departed.handOver(true)).hasSize(123);

    assertThat(notices).hasSize(1);
    String notice = notices.values().iterator().next();
    assertThat(notice.split("\n")[0]).isEqualTo("👋 Carmen is no longer in <code>agents</code>; their 123 open"
        + " tickets: 113 moved (Boris 57, Eve 56), 10 waiting in the line.");
    assertThat(dev.forumdesk.text.TelegramHtml.length(notice)).isLessThanOrEqualTo(DepartedAgents.NOTICE_MAX);
    List<String> bullets = java.util.Arrays.stream(notice.split("\n")).filter(l -> l.startsWith("• ")).toList();
    assertThat(bullets).isNotEmpty().allSatisfy(b -> assertThat(b).endsWith("."));
    assertThat(bullets.getLast()).contains("ticket " + (bullets.size() - 1) + "<");
    assertThat(notice).endsWith("\n… and " + (123 - bullets.size())
        + " more (the dashboard lists each; its audit says where it went)");
  }

  /**
   * The summary names who took the tickets as the /reassign's reply gives them, a field: the
   * sentence for the topic, "… next best Alice B." for an agent named "Alice B." (a sentence that
   * ends in a full stop gets no second one), read as its last words less a full stop, said "Alice B
   * 2", a name nobody has.
   */
  @Test
  void theSummaryNamesAnAgentWhoseNameEndsInAFullStopAsTheyAreNamed() {
    Person carmen = new Person(1003, "Carmen", "carmen");
    DepartedAgents departed = new DepartedAgents(() -> ConfigLoader.fromYaml(WITHOUT_BORIS.replace("name: Alice",
        "name: Alice B.")), agents -> List.of(ticket(90, "Refund", carmen), ticket(91, "Crash", carmen)),
        (id, request, timeout) -> new TicketGateway.CommandOutcome.Accepted(
            CommandReply.moved("👤 The assignee is no longer on the team; reassigned to next best Alice B.",
                Status.IN_PROGRESS, new Person(1001, "Alice B.", "alice"))),
        notices::put, Duration.ofSeconds(5), () -> true);

    departed.handOver(true);

    assertThat(notices.values()).singleElement().asString().startsWith("👋 Carmen is no longer in <code>agents</code>;"
        + " their 2 open tickets: 2 moved (Alice B. 2).\n");
  }

  @Test
  void aNoticeThatFitsListsEveryTicketAndNoRest() {
    List<DepartedAgents.Moved> two = List.of(
        new DepartedAgents.Moved("• A 👤 Reassigned to next best Alice.",
            DepartedAgents.Outcome.accepted(
                CommandReply.moved("👤 Reassigned to next best Alice.", Status.IN_PROGRESS, ALICE))),
        new DepartedAgents.Moved("• B stays: nobody is free.",
            new DepartedAgents.Outcome(DepartedAgents.Kind.STAYS, "stays: nobody is free.", null)));

    assertThat(DepartedAgents.notice(BORIS, two)).isEqualTo("👋 Boris is no longer in <code>agents</code>; their 2 open"
        + " tickets: 1 moved (Alice 1), 1 staying with them for now (tried again shortly).\n"
        + "• A 👤 Reassigned to next best Alice.\n• B stays: nobody is free.");
  }

  /**
   * Where the ticket went is the reply's field, whatever its sentence says: a reply in another
   * language (or reworded) names nobody the English "next best" pattern finds, and a ticket released
   * into the line is one whose reply says so, not one whose sentence mentions "the next free agent".
   */
  @Test
  void whereEachTicketWentComesFromTheReplysFieldsNotItsWording() {
    Person carmen = new Person(1003, "Carmen", "carmen");
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    DepartedAgents departed = new DepartedAgents(() -> ConfigLoader.fromYaml(WITHOUT_BORIS),
        agents -> List.of(ticket(92, "Refund", carmen), ticket(93, "Crash", carmen), ticket(94, "Login", carmen)),
        (id, request, timeout) -> new TicketGateway.CommandOutcome.Accepted(n.getAndIncrement() < 2
            ? CommandReply.moved("👤 Neu zugewiesen: Alice übernimmt das Ticket.", Status.IN_PROGRESS, ALICE)
            : CommandReply.released("👤 Wartet auf die nächste freie Person.", Status.IN_PROGRESS)),
        notices::put, Duration.ofSeconds(5), () -> true);

    assertThat(departed.handOver(true)).hasSize(3);

    assertThat(notices.values()).singleElement().asString().startsWith("👋 Carmen is no longer in <code>agents</code>;"
        + " their 3 open tickets: 2 moved (Alice 2), 1 waiting in the line.\n")
        .contains("👤 Neu zugewiesen: Alice übernimmt das Ticket.", "👤 Wartet auf die nächste freie Person.");
  }
}
