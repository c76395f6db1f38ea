package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validator's rules and the kind of each refusal: who asked, what was asked, or the ticket's state. */
class CommandRulesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Person BORIS = new Person(1002, "Boris", "boris");

  /** An open ticket of Alice's in {@code status}. */
  private static TicketState alices(Status status) {
    Ticket t = new Ticket(TicketState.unopened(CHAT, 1, TicketPolicy.defaults()));
    Transitions.apply(t, new TicketEvent.TopicOpened("u1", T0, CUSTOMER, Role.CUSTOMER, "Refund"));
    t.assignee = AGENT;
    t.status = status;
    return t.snapshot();
  }

  private static Optional<CommandRules.Refusal> ask(TicketState t, Person from, Role role, String name, String args) {
    return CommandRules.refusal(t, new CommandRequest("c1", T0, from, role, name, args, "api"));
  }

  @Test
  void whoAskedIsForbidden() {
    TicketState t = alices(Status.IN_PROGRESS);
    assertThat(ask(t, CUSTOMER, Role.CUSTOMER, "resolve", "")).contains(
        new CommandRules.Refusal(RefusalKind.FORBIDDEN, "Only agents and supervisors can use /resolve."));
    assertThat(ask(t, BORIS, Role.AGENT, "hold", "x")).contains(new CommandRules.Refusal(RefusalKind.FORBIDDEN,
        "Only the assignee (Alice) or a supervisor can put this ticket on hold."));
    assertThat(ask(t, AGENT, Role.AGENT, "hold", "x")).isEmpty();
    assertThat(ask(t, SUPERVISOR, Role.SUPERVISOR, "hold", "x")).isEmpty();
  }

  /** Audit 6 F1: an agent's /assign of the ticket's own assignee is not "already assigned" (409). */
  @Test
  void anAssignByANonSupervisorIsForbiddenBeforeTheTicketsStateIsAsked() {
    TicketState t = alices(Status.IN_PROGRESS);
    CommandRules.Refusal forbidden = new CommandRules.Refusal(RefusalKind.FORBIDDEN,
        "Only a supervisor can /assign; the assignee can /reassign.");
    assertThat(ask(t, AGENT, Role.AGENT, "assign", "@alice")).contains(forbidden);
    assertThat(ask(t, BORIS, Role.AGENT, "assign", "@boris")).contains(forbidden);
    assertThat(ask(t, SUPERVISOR, Role.SUPERVISOR, "assign", "@boris")).isEmpty();
  }

  @Test
  void whatWasAskedIsInvalid() {
    TicketState t = alices(Status.IN_PROGRESS);
    assertThat(ask(t, AGENT, Role.AGENT, "dance", "")).hasValueSatisfying(r -> {
      assertThat(r.kind()).isEqualTo(RefusalKind.INVALID);
      assertThat(r.reason()).startsWith("Unknown command /dance.");
    });
    // staff's /help is answered with the list of commands, not as an unknown command (audit 15, F6)
    assertThat(ask(t, AGENT, Role.AGENT, "help", "")).contains(new CommandRules.Refusal(RefusalKind.INVALID, Notices.HELP));
    assertThat(ask(t, SUPERVISOR, Role.SUPERVISOR, "HELP", "")).contains(new CommandRules.Refusal(RefusalKind.INVALID, Notices.HELP));
    // a customer's /help or /start is no staff command to list for them (audit 8 F14)
    for (String name : java.util.List.of("help", "start", "dance")) {
      assertThat(ask(t, CUSTOMER, Role.CUSTOMER, name, "")).contains(
          new CommandRules.Refusal(RefusalKind.INVALID, "Just write your question here; an agent will answer."));
    }
    assertThat(ask(t, AGENT, Role.AGENT, "priority", "banana")).contains(new CommandRules.Refusal(RefusalKind.INVALID,
        "Unknown priority 'banana'. Use one of: low, normal, high, urgent."));
    // no argument: say it is missing and how to write it, not "Unknown priority ''"
    assertThat(ask(t, AGENT, Role.AGENT, "priority", "  ")).contains(new CommandRules.Refusal(RefusalKind.INVALID,
        "Which priority? Usage: /priority low|normal|high|urgent."));
  }

  @Test
  void theTicketsStateIsAConflictEvenForTheWrongActor() {
    assertThat(ask(alices(Status.IN_PROGRESS), AGENT, Role.AGENT, "resume", "")).contains(
        new CommandRules.Refusal(RefusalKind.CONFLICT, "The ticket is not on hold (it is IN_PROGRESS)."));
    assertThat(ask(alices(Status.RESOLVED), AGENT, Role.AGENT, "resolve", ""))
        .contains(new CommandRules.Refusal(RefusalKind.CONFLICT, "The ticket is already RESOLVED."));
    assertThat(ask(alices(Status.IN_PROGRESS), SUPERVISOR, Role.SUPERVISOR, "assign", "@alice"))
        .contains(new CommandRules.Refusal(RefusalKind.CONFLICT, "The ticket is already assigned to Alice."));
    // no hold on a resolved ticket, whoever asks: the state is checked first
    assertThat(ask(alices(Status.RESOLVED), BORIS, Role.AGENT, "hold", "x")).map(CommandRules.Refusal::kind)
        .contains(RefusalKind.CONFLICT);
  }

  @Test
  void eachKindCrossesTheUpdateAsItsOwnFailureTypeAndAPlainOneIsAConflict() {
    for (RefusalKind kind : RefusalKind.values()) {
      assertThat(RefusalKind.ofFailureType(kind.exception("x").getClass().getName())).contains(kind);
    }
    assertThat(RefusalKind.ofFailureType(IllegalArgumentException.class.getName())).contains(RefusalKind.CONFLICT);
    assertThat(RefusalKind.ofFailureType(IllegalStateException.class.getName())).isEmpty();
  }
}
