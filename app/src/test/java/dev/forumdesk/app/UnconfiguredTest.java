package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnconfiguredTest {
  @Test
  void theDefaultsAloneWarnOfThePlaceholderChatAndOfNoAgents() {
    assertThat(Unconfigured.warnings(ConfigLoader.load(Optional.empty()))).containsExactly(
        "support.chat-id is -1001234567890, the placeholder of forumdesk-defaults.yaml: the bot ignores every other"
            + " chat's updates (set support.chat-id in FORUMDESK_CONFIG to the support forum's id)",
        "no agents configured: every message counts as the customer's (list them under agents in FORUMDESK_CONFIG)");
  }

  @Test
  void aConfiguredDeskGetsNoWarning() {
    assertThat(Unconfigured.warnings(ConfigLoader.fromYaml("""
        support: {chat-id: -1002000000001, level2-chat-id: -1002000000002, supervisors: [900001]}
        agents: [{id: 1001, name: Alice, username: alice}]
        """))).isEmpty();
  }

  /** Audit 8, F1: without a staff forum, group mode's Level 2 topics open where customers read. */
  @Test
  void aGroupDeskWhoseLevel2ForumIsTheCustomersOwnIsWarnedOfIt() {
    String desk = """
        support: {mode: %s, chat-id: -1002000000001, supervisors: [900001]}
        agents: [{id: 1001, name: Alice, username: alice}]
        """;
    assertThat(Unconfigured.warnings(ConfigLoader.fromYaml(desk.formatted("group")))).singleElement().asString()
        .startsWith("support.level2-chat-id is the support forum itself: in group mode the customers are its members");
    assertThat(Unconfigured.warnings(ConfigLoader.fromYaml(desk.formatted("relay")))).as("the agents' own forum").isEmpty();
  }

  @Test
  void aDeskWithoutAgentsIsWarnedOfThatAlone() {
    assertThat(Unconfigured.warnings(ConfigLoader.fromYaml(
        "support: {chat-id: -1002000000001, level2-chat-id: -1002000000002}\n")))
        .singleElement().asString().startsWith("no agents configured");
  }
}
