package dev.forumdesk.app;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a desk started on forumdesk-defaults.yaml alone lacks, said once at start: its support chat
 * id is a placeholder, so a real bot ignores every update of the team's forum, and without agents
 * every message is the customer's; in group mode, a Level 2 forum that is the customers' own gets
 * no escalation's topic, only the supervisors hear of it. Not a failure: demo and dev modes run on defaults on purpose,
 * and the app warns only where a bot token makes the desk real.
 */
final class Unconfigured {
  private Unconfigured() {}

  static List<String> warnings(ForumdeskConfig config) {
    List<String> warnings = new ArrayList<>();
    long placeholder = ConfigLoader.load(Optional.empty()).support().chatId();
    if (config.support().chatId() == placeholder) {
      warnings.add("support.chat-id is " + placeholder + ", the placeholder of forumdesk-defaults.yaml: the bot"
          + " ignores every other chat's updates (set support.chat-id in FORUMDESK_CONFIG to the support forum's id)");
    }
    if (!config.relay() && config.support().level2ChatId() == config.support().chatId()
        && config.support().chatId() != placeholder) {
      warnings.add("support.level2-chat-id is the support forum itself: in group mode the customers are its members,"
          + " so an escalation opens no Level 2 topic there and its summary goes to the supervisors by DM; give"
          + " staff a forum of their own and set support.level2-chat-id to it");
    }
    if (config.agents().isEmpty()) {
      warnings.add("no agents configured: every message counts as the customer's (list them under agents in"
          + " FORUMDESK_CONFIG)");
    }
    return warnings;
  }
}
