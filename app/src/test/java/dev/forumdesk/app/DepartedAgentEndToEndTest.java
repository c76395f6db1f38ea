package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SampleDesk;
import dev.forumdesk.telegram.UpdateJson;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent removed from {@code agents} by a hot reload (README "Reloading"): their open ticket goes
 * to the next best agent through the ticket's own /reassign, audited, and the supervisors get one
 * notice in the staff forum naming it.
 */
class DepartedAgentEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG);

  @Test
  void theOpenTicketsOfAnAgentAReloadRemovedGoToTheNextBestAndTheSupervisorsAreToldOnce() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-77";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 77, 78, BOB, "Sync error", "The app shows a sync error", now));
    JsonNode assigned = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("id"));
    long leaver = assigned.path("assignee").path("id").asLong();
    String leaverName = assigned.path("assignee").path("name").asText();

    reload(Arrays.stream(AppFixture.CONFIG.split("\n", -1)).filter(line -> !line.contains("{id: " + leaver + ","))
        .collect(Collectors.joining("\n")));

    JsonNode moved = f.awaitTicket(id, x -> x.path("assignee").path("id").asLong() != leaver);
    assertThat(moved.path("assignee").path("id").asLong()).as("the other configured agent").isIn(1001L, 1002L);
    List<String> reasons = moved.path("audit").findValuesAsText("reason");
    assertThat(moved.path("audit").findValuesAsText("event")).contains("REASSIGNED");
    assertThat(reasons).anyMatch(r -> r.startsWith("the assignee is no longer on the team;")
        && r.endsWith("reassigned to next best " + moved.path("assignee").path("name").asText() + " (by Forumdesk)"));

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.telegram.sent().stream().anyMatch(c ->
        c.params().path("chat_id").asLong() == SampleDesk.LEVEL2_CHAT
            && c.params().path("text").asText().contains(leaverName + " is no longer in <code>agents</code>")));
    List<String> notices = f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == SampleDesk.LEVEL2_CHAT)
        .map(c -> c.params().path("text").asText())
        .filter(t -> t.contains("is no longer in <code>agents</code>"))
        .toList();
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0)).contains("Sync error").contains("Reassigned to next best");
  }

  /**
   * A lead lists what an agent left after a reload removed them, by the username they last had: a
   * reload that renamed them first is what the desk keeps.
   */
  @Test
  void aLeadListsByUsernameWhatAnAgentARemovedLeft() throws Exception {
    long now = UpdateJson.now();
    String id = "ticket--1001234567890-79";
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 79, 80, BOB, "Refund", "Where is my refund?", now));
    long leaver = f.awaitTicket(id, x -> x.path("assignee").hasNonNull("id")).path("assignee").path("id").asLong();
    assertThat(f.post("/api/tickets/" + id + "/actions", "{\"action\":\"resolve\",\"actor\":" + leaver + "}")
        .statusCode()).isEqualTo(200);
    f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"));

    String renamed = reload(AppFixture.CONFIG.replace("username: " + (leaver == 1001 ? "alice" : "boris"),
        "username: Leaver_" + leaver));
    reload(Arrays.stream(renamed.split("\n", -1)).filter(line -> !line.contains("{id: " + leaver + ","))
        .collect(Collectors.joining("\n")));
    assertThat(f.json("/api/agents").findValuesAsText("id")).doesNotContain(String.valueOf(leaver));

    HttpResponse<String> left = f.get("/api/tickets?assignee=@leaver_" + leaver);
    assertThat(left.statusCode()).as(left.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(left.body())).extracting(t -> t.path("id").asText()).containsExactly(id);
  }

  /**
   * Audit 15, F2: every agent at cap when one of them is removed. Their tickets are released into
   * the waiting line (no assignee, their load with it), counted by the waiting line's gauges, with
   * the reason in /why and the audit, and the customer's /status no longer names them; the next
   * freed slot goes to the one that waited longest.
   */
  @Test
  void theTicketsOfAnAgentARemovedWhileEveryoneIsAtCapWaitInTheLineAndGetTheNextFreeSlot() throws Exception {
    String yaml = """
        support:
          chat-id: -1001234567890
          level2-chat-id: -1009876543210
          supervisors: [900001]
        agents:
          - {id: 1001, name: Alice, username: alice, team: technical, languages: [en], skills: [technical], level: 1, max-open: 1}
          - {id: 1002, name: Boris, username: boris, team: technical, languages: [en], skills: [technical], level: 1, max-open: 2}
          - {id: 1003, name: Carmen, username: carmen, team: technical, languages: [en], skills: [technical], level: 1, max-open: 1}
        routing:
          sticky-agent: false
        """;
    reload(yaml);
    long now = UpdateJson.now();
    java.util.Map<String, String> assignee = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      long thread = 400 + i * 10L;
      var customer = new UpdateJson.Sender(6400 + i, "Customer" + i, null, "en");
      f.postUpdate(UpdateJson.textInTopic(10 + i, CHAT, thread, thread + 1, customer, "Crash " + i,
          "The app crashes when I log in, error " + i, now + i)); // opened in this order
      assignee.put(id(thread), f.awaitTicket(id(thread), x -> x.path("assignee").hasNonNull("name"))
          .path("assignee").path("name").asText());
    }
    List<String> boris = assignee.entrySet().stream().filter(e -> e.getValue().equals("Boris"))
        .map(java.util.Map.Entry::getKey).toList();
    assertThat(assignee.values()).as("everyone at cap").containsExactlyInAnyOrder("Alice", "Boris", "Boris", "Carmen");

    reload(Arrays.stream(yaml.split("\n", -1)).filter(line -> !line.contains("{id: 1002,"))
        .collect(Collectors.joining("\n")));

    for (String id : boris) {
      JsonNode released = f.awaitTicket(id, x -> x.path("assignee").isNull());
      assertThat(released.path("routing").path("reasons").toString())
          .contains("previous agent @boris is no longer on the team");
      assertThat(released.path("audit")).anySatisfy(e -> {
        assertThat(e.path("reason").asText()).contains("previous agent @boris is no longer on the team")
            .endsWith("(by Forumdesk)");
        assertThat(e.path("at").asText()).isNotBlank();
      });
    }
    assertThat(f.json("/api/agents").findValuesAsText("name")).containsExactly("Alice", "Carmen");
    awaitMetrics("forumdesk_tickets_waiting 2.0", "forumdesk_tickets_unassigned 2.0",
        "forumdesk_agents{state=\"available\"} 0.0");

    for (String id : boris) { // the topic no longer reads "[Boris] Crash 1"
      long t = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.telegram.calls("editForumTopic").stream()
          .anyMatch(c -> c.params().path("message_thread_id").asLong() == t
              && c.params().path("name").asText().equals("Crash " + (t - 400) / 10)));
    }

    // group mode: the supervisor's /why in the first released ticket's topic says it waits, the full
    // detail (who left) goes to him privately; /status in the topic names nobody
    long thread = Long.parseLong(boris.get(0).substring(boris.get(0).lastIndexOf('-') + 1));
    var sam = new UpdateJson.Sender(900001, "Sam", "sam_lead", "en");
    f.postUpdate(UpdateJson.text(30, CHAT, thread, thread + 7, sam, "/why", now + 10));
    f.postUpdate(UpdateJson.text(31, CHAT, thread, thread + 8, sam, "/status", now + 10));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<String> texts = f.telegram.textsIn(thread);
      return texts.stream().anyMatch(x -> x.contains("Why this routing") && x.contains("waiting in the line for the next free agent"))
          && texts.stream().anyMatch(x -> x.contains("Status: waiting for an agent\nAssignee: unassigned"))
          && f.telegram.sent().stream().anyMatch(c -> c.params().path("chat_id").asLong() == 900001
              && c.params().path("text").asText().contains("previous agent @boris is no longer on the team: assignment released;"));
    });
    assertThat(f.telegram.textsIn(thread)).as("what the customer reads").noneMatch(x -> x.contains("Assignee: Boris"))
        .noneMatch(x -> x.contains("@boris") || x.contains("at cap"))
        .contains("👤 Waiting for the next free agent.");

    // Alice resolves hers: the slot goes to the released ticket that waited longest
    String alices = assignee.entrySet().stream().filter(e -> e.getValue().equals("Alice")).findFirst().orElseThrow().getKey();
    assertThat(f.post("/api/tickets/" + alices + "/actions", "{\"action\":\"resolve\",\"actor\":1001}").statusCode())
        .isEqualTo(200);
    JsonNode served = f.awaitTicket(boris.get(0), x -> x.path("assignee").path("name").asText().equals("Alice"));
    assertThat(served.path("audit").toString()).contains("from the waiting line");
    assertThat(f.json("/api/tickets/" + boris.get(1)).path("assignee").isNull()).as("still waiting").isTrue();
    awaitMetrics("forumdesk_tickets_waiting 1.0", "forumdesk_tickets_unassigned 1.0");
  }

  private static String id(long thread) {
    return "ticket-" + CHAT + "-" + thread;
  }

  private void awaitMetrics(String... lines) {
    String[] last = {""};
    try {
      Awaitility.await("metrics").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
        last[0] = f.get("/observe/metrics").body();
        return Arrays.stream(lines).allMatch(last[0]::contains);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      assertThat(last[0]).contains(lines); // says which line is missing
    }
  }

  /** FORUMDESK_CONFIG rewritten to {@code yaml}, and read again. */
  private String reload(String yaml) throws Exception {
    f.rewriteConfig(yaml, Instant.now().plusSeconds(5));
    return yaml;
  }
}
