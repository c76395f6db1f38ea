package dev.forumdesk.ingress;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a command may carry after its name, the same for the API's action and the bot command: a
 * reason, a priority or a username goes into the topic (a message, Telegram's 4,096 at the most) and
 * the audit. A bot command of 4,096 characters reaches the bot (audit 16, F1: a /hold's reason of
 * 4,000 was stored, and its notice was refused by Telegram as too long).
 */
public final class CommandArgs {
  /** A reason, priority or username at the most. */
  public static final int MAX = 1_000;

  /** The bot commands whose words after the name are kept: the others' are ignored, as ever. */
  private static final Set<String> WITH_ARGS = Set.of("hold", "escalate", "priority", "assign", "reassign");

  private CommandArgs() {}

  /** {@link #tooLong} for a bot command, as a sentence for the topic ("The reason is … audit)."). */
  public static Optional<String> commandTooLong(String name, String args) {
    return WITH_ARGS.contains(name.toLowerCase(Locale.ROOT))
        ? tooLong(name, args).map(why -> Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".")
        : Optional.empty();
  }

  /**
   * Why {@code args} are refused: "the reason is 5011 characters; at most 1000 (it goes into the
   * topic and the audit)"; empty when they fit.
   *
   * @param command the action or the command's name ("hold", "escalate", "priority", "assign")
   */
  public static Optional<String> tooLong(String command, String args) {
    if (args == null || args.length() <= MAX) {
      return Optional.empty();
    }
    String what = command.equalsIgnoreCase("priority") ? "priority"
        : command.equalsIgnoreCase("assign") || command.equalsIgnoreCase("reassign") ? "username" : "reason";
    return Optional.of("the " + what + " is " + args.length() + " characters; at most " + MAX
        + " (it goes into the topic and the audit)");
  }
}
