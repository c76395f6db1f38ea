package dev.forumdesk.ticket;

import java.util.Locale;

/**
 * What a customer's bot command is told, the same in group mode (CommandRules, in the topic) and in
 * relay mode (the Relay, in their private chat with the bot).
 */
public final class CustomerCommands {
  /** A customer's command that is none of the bot's (/help): guidance, not a rebuke. */
  public static final String HELP = "Just write your question here; an agent will answer.";

  private CustomerCommands() {}

  /** Whether {@code name} ("resolve", without the slash) is one of the staff's commands. */
  public static boolean staffOnly(String name) {
    return CommandRules.KNOWN.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A staff command from someone not on staff: "Only agents and supervisors can use /resolve." */
  public static String refusal(String name) {
    return "Only agents and supervisors can use /" + name.toLowerCase(Locale.ROOT) + ".";
  }
}
