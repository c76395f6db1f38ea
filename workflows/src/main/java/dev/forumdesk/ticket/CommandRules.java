package dev.forumdesk.ticket;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use which command in which status. Pure: the update validator asks here, and a refusal
 * reason goes back to the topic in one line, with its kind for the API; nothing changes.
 */
final class CommandRules {
  static final Set<String> KNOWN = Set.of("hold", "resume", "resolve", "reopen", "escalate", "priority", "status", "why",
      "reassign", "assign", "away", "back");
  /** As the roster words it (Reassignment.assign), capitalised like the answers in the topic. */
  static final String ONLY_SUPERVISORS_ASSIGN = "Only a supervisor can /assign; the assignee can /reassign.";
  /** A customer's command that is none of the bot's, in the topic they read. */
  static final String FOR_CUSTOMERS = CustomerCommands.HELP;
  /** The command that asks for the list of commands: answered with it, never refused as unknown. */
  static final String HELP = "help";
  private static final Set<Status> ACTIVE = Set.of(Status.NEW, Status.IN_PROGRESS, Status.ESCALATED, Status.STALE);

  private CommandRules() {}

  /** A command turned down: the one line for the topic and what it is about, for the API's status. */
  record Refusal(RefusalKind kind, String reason) {}

  static Optional<Refusal> refusal(TicketState t, CommandRequest c) {
    String name = c.name().toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(name)) {
      // a customer's /help or /start: not the staff's command list, and nothing wrong with asking;
      // staff's /help is answered with the list, not as a mistake (audit 15, F6)
      return invalid(c.role() == Role.CUSTOMER ? FOR_CUSTOMERS
          : HELP.equals(name) ? Notices.HELP : "Unknown command /" + name + ". " + Notices.HELP);
    }
    if (!c.role().isStaff() && c.role() != Role.SYSTEM) { // SYSTEM: a change pulled back from the help desk
      return forbidden(CustomerCommands.refusal(name));
    }
    if (!t.opened()) {
      return conflict("This topic is not a ticket yet.");
    }
    Status s = t.status();
    return switch (name) {
      case "hold" -> {
        if (!ACTIVE.contains(s)) {
          yield conflict("Cannot hold a ticket that is " + s + ".");
        }
        if (t.assignee() != null && t.assignee().id() != c.from().id() && c.role() != Role.SUPERVISOR
            && c.role() != Role.SYSTEM) { // SYSTEM: a hold made in the help desk
          yield forbidden("Only the assignee (" + t.assignee().name() + ") or a supervisor can put this ticket on hold.");
        }
        yield Optional.empty();
      }
      case "resume" -> s == Status.ON_HOLD ? Optional.empty() : conflict("The ticket is not on hold (it is " + s + ").");
      case "resolve" -> s.finished()
          ? conflict("The ticket is already " + s + ".") : Optional.empty();
      case "reopen" -> s == Status.RESOLVED ? Optional.empty() : conflict("Only a RESOLVED ticket can be reopened (it is " + s + ").");
      case "escalate" -> {
        if (s.finished()) {
          yield conflict("Cannot escalate a ticket that is " + s + ".");
        }
        yield t.level() >= 2 ? conflict("The ticket is already at Level " + t.level() + ".") : Optional.empty();
      }
      case "priority" -> c.args() == null || c.args().isBlank()
          ? invalid("Which priority? Usage: /priority low|normal|high|urgent.")
          : Priority.unknown(c.args()).flatMap(CommandRules::invalid);
      case "assign" -> {
        // who asked first: "already assigned" would tell an agent they could have assigned it otherwise
        // (the roster refuses the same in the handler; SYSTEM, a help desk's change, is left to it)
        if (c.role() != Role.SUPERVISOR && c.role() != Role.SYSTEM) {
          yield forbidden(ONLY_SUPERVISORS_ASSIGN);
        }
        yield t.assignee() != null && namesAssignee(t.assignee(), c.args())
            ? conflict("The ticket is already assigned to " + t.assignee().name() + ".") : Optional.empty();
      }
      default -> Optional.empty(); // status, why: anyone on staff, any time
    };
  }

  private static Optional<Refusal> forbidden(String reason) {
    return Optional.of(new Refusal(RefusalKind.FORBIDDEN, reason));
  }

  private static Optional<Refusal> invalid(String reason) {
    return Optional.of(new Refusal(RefusalKind.INVALID, reason));
  }

  private static Optional<Refusal> conflict(String reason) {
    return Optional.of(new Refusal(RefusalKind.CONFLICT, reason));
  }

  /** {@code /assign @carmen} naming the agent who has the ticket already (a repeated click, say). */
  private static boolean namesAssignee(Person assignee, String args) {
    return args != null && !args.isBlank() && Person.isUsername(assignee.username(), args.strip().split("\\s+")[0]);
  }
}
