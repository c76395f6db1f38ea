package dev.forumdesk.ticket;

import java.util.Locale;
import java.util.Optional;

/**
 * The refusals of a bot command that depend on who sent it alone, not on the ticket: a customer's
 * staff command, an agent's /assign. The ticket's rules ({@link CommandRules}) refuse them with the
 * same words ({@link RefusalKind#FORBIDDEN}); the dispatcher asks here before it refuses an over-long
 * command for its length, so that who may comes first there too.
 */
public final class WhoMay {
  private WhoMay() {}

  /**
   * Why {@code role} may not use command {@code name} ("assign", without the slash) on any ticket:
   * "Only agents and supervisors can use /hold." for a customer, "Only a supervisor can /assign; the
   * assignee can /reassign." for an agent; empty when the ticket's rules decide (and for SYSTEM, a
   * help desk's change, which the ticket's rules leave to the handler).
   */
  public static Optional<String> notAllowed(Role role, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (!CommandRules.KNOWN.contains(n) || role == Role.SYSTEM) {
      return Optional.empty();
    }
    if (!role.isStaff()) {
      return Optional.of(CustomerCommands.refusal(n));
    }
    return n.equals("assign") && role != Role.SUPERVISOR ? Optional.of(CommandRules.ONLY_SUPERVISORS_ASSIGN) : Optional.empty();
  }
}
