package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import org.junit.jupiter.api.Test;

/** The 400s of POST /api/tickets/{id}/actions say what is missing or wrong, and what would do. */
class TicketActionsTest {
  private static java.util.Optional<String> check(String json) throws Exception {
    return TicketActions.actionAndActor(Json.mapper().readTree(json));
  }

  @Test
  void anUnknownOrMissingActionListsTheActionsInTheContractsOrder() throws Exception {
    assertThat(check("{\"action\":\"frobnicate\",\"actor\":1001}")).contains(
        "unknown action \"frobnicate\"; it must be one of hold, resume, resolve, reopen, escalate, assign, priority");
    assertThat(check("{\"actor\":1001}")).hasValueSatisfying(m -> assertThat(m).startsWith("\"action\" is required; it must be one of hold, resume,"));
  }

  @Test
  void anActorThatIsNoNumberIsNotCalledMissing() throws Exception {
    assertThat(check("{\"action\":\"hold\",\"actor\":\"alice\"}")).contains(
        "\"actor\" must be a Telegram user id (a whole number) of an agent or supervisor, not \"alice\"");
    assertThat(check("{\"action\":\"hold\",\"actor\":1001.7}")).as("not agent 1001").contains(
        "\"actor\" must be a Telegram user id (a whole number) of an agent or supervisor, not 1001.7");
    assertThat(check("{\"action\":\"hold\",\"actor\":1e400}")).isPresent();
    assertThat(check("{\"action\":\"hold\",\"actor\":1001.0}")).as("a whole number written so").isEmpty();
    assertThat(check("{\"action\":\"hold\"}")).contains(
        "\"actor\" is required: the Telegram user id of an agent or supervisor, e.g. 1001");
    assertThat(check("{\"action\":\"hold\",\"actor\":1001}")).isEmpty();
  }

  @Test
  void aMissingPriorityIsSaidToBeMissing() {
    assertThat(TicketActions.malformed("priority", "")).contains("priority needs \"priority\": one of low, normal, high, urgent");
    assertThat(TicketActions.malformed("priority", "banana")).contains("Unknown priority 'banana'. Use one of: low, normal, high, urgent.");
    assertThat(TicketActions.malformed("priority", "high")).isEmpty();
  }
}
