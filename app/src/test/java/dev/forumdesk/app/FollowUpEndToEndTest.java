package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer writes in the topic of a CLOSED ticket whose agent has gone away, through the real
 * webhook, Temporal, database and fake Telegram: the follow-up run is routed to another agent
 * with an audit entry, acknowledged, title-locked for the new agent, and counted on its own.
 */
class FollowUpEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String TICKET = "ticket--1001234567890-90";
  static final String YAML = AppFixture.CONFIG + """
      sla:
        auto-close-resolved: PT3S   # so that the test sees the ticket CLOSED
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;


  private static List<String> eventsOfLastRun(JsonNode ticket) {
    List<String> events = new ArrayList<>(ticket.path("audit").findValuesAsText("event"));
    return events.subList(events.lastIndexOf("OPENED"), events.size());
  }

  private int openTicketsOf(String name) throws Exception {
    for (JsonNode a : f.json("/api/agents")) {
      if (a.path("name").asText().equals(name)) {
        return a.path("openTickets").asInt();
      }
    }
    throw new AssertionError("no agent " + name);
  }

  @Test
  void aFollowUpWhosePreviousAgentIsAwayGoesToAnotherAgentIsAcknowledgedAndTitleLocked() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 90, BOB, "A question", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 90, 91, BOB, "Hello, I have a question about my account", now()));
    f.awaitTicket(TICKET, x -> x.path("assignee").path("id").asLong() == 1001);
    f.postUpdate(UpdateJson.text(update++, CHAT, 90, 92, ALICE, "/away", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 90, 93, ALICE, "/resolve", now()));
    f.awaitTicket(TICKET, x -> x.path("status").asText().equals("CLOSED"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> openTicketsOf("Alice") == 0);

    f.postUpdate(UpdateJson.text(update++, CHAT, 90, 94, BOB, "One more thing about my account", now()));
    JsonNode follow = f.awaitTicket(TICKET, x -> !x.path("followUpOf").isNull() && !x.path("assignee").isNull()
        && !x.path("assignee").isMissingNode());
    assertThat(follow.path("assignee").path("name").asText()).isEqualTo("Boris");
    assertThat(eventsOfLastRun(follow)).containsSubsequence("OPENED", "ROUTED", "ASSIGNED");
    assertThat(follow.path("routing").path("reasons").toString()).contains("not sticky: Alice is away");
    assertThat(openTicketsOf("Alice")).isZero();
    assertThat(openTicketsOf("Boris")).isEqualTo(1);

    Awaitility.await("the follow-up's acknowledgement").atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsIn(90).stream().filter(x -> x.startsWith("Thanks, we got your request")).count() == 2);
    assertThat(f.telegram.textsIn(90).stream().filter(x -> x.startsWith("Thanks, we got your request")))
        .as("the customer reads the topic's number, not the internal id").allMatch(x -> x.contains("Ticket #90 "))
        .noneMatch(x -> x.contains("ticket-"));

    // the run it follows: its Temporal run id for machines, when it closed and what happened in words for people
    JsonNode closed = null;
    for (JsonNode a : follow.path("audit")) {
      closed = a.path("event").asText().equals("CLOSED") ? a : closed;
    }
    assertThat(follow.path("followUpOf").asText()).isNotBlank();
    assertThat(follow.path("followUpOfClosedAt").asText()).isEqualTo(closed.path("at").asText());
    JsonNode opened = null;
    for (JsonNode a : follow.path("audit")) {
      opened = a.path("event").asText().equals("OPENED") ? a : opened;
    }
    assertThat(opened.path("reason").asText())
        .startsWith("follow-up #1: Bob wrote in the topic after the ticket closed on ")
        .doesNotContain(follow.path("followUpOf").asText());
    Awaitility.await("the title lock names Boris").atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.calls("editForumTopic").stream()
            .anyMatch(c -> c.params().path("name").asText().equals("[Boris] A question")));

    JsonNode report = f.json("/api/reports/sla?date=" + LocalDate.now(ZoneOffset.UTC));
    assertThat(report.path("total").path("tickets").asInt()).isEqualTo(2);
    assertThat(report.path("byAssignee").path("Boris").path("tickets").asInt()).isEqualTo(1);
    assertThat(report.path("total").path("escalated").asInt()).isZero();
  }

  /**
   * Audit 17, F3 and F7: another member writes in the CLOSED topic (a follow-up, still Bob's: the
   * customer filter finds it by Bob, not by Carol); later Alice reopens the closed topic (audited as a
   * reopening, nobody thanked for a request not made yet), and Bob's message is acknowledged.
   */
  @Test
  void aFollowUpOpenedByAnotherMemberStaysTheCustomersAndAReopeningByStaffThanksNobody() throws Exception {
    UpdateJson.Sender carol = new UpdateJson.Sender(5999, "Carol", "carol", "en");
    String ticket = "ticket--1001234567890-95";
    f.postUpdate(UpdateJson.topicCreated(update++, CHAT, 95, BOB, "Payment question", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 96, BOB, "My payment did not go through", now()));
    f.awaitTicket(ticket, x -> x.path("assignee").path("id").asLong() == 1001);
    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 97, ALICE, "We are checking it", now()));
    f.awaitTicket(ticket, x -> !x.path("firstResponseAt").isNull());
    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 98, ALICE, "/resolve", now()));
    f.awaitTicket(ticket, x -> x.path("status").asText().equals("CLOSED"));

    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 99, carol, "Same problem here", now()));
    JsonNode follow = f.awaitTicket(ticket, x -> !x.path("followUpOf").isNull() && x.path("status").asText().equals("NEW"));
    assertThat(follow.path("customer").path("id").asLong()).isEqualTo(5001);
    JsonNode opened = lastOpened(follow);
    assertThat(opened.path("actor").asText()).isEqualTo("customer:5999");
    assertThat(opened.path("reason").asText()).startsWith("follow-up #1: Carol wrote in the topic after the ticket closed on ")
        .endsWith("; the customer is still Bob");
    assertThat(f.json("/api/tickets?customer=5001")).extracting(t -> t.path("id").asText()).contains(ticket);
    assertThat(f.json("/api/tickets?customer=5999")).isEmpty();

    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 100, ALICE, "/resolve", now()));
    f.awaitTicket(ticket, x -> x.path("status").asText().equals("CLOSED"));
    Awaitility.await("Carol's follow-up acknowledged").atMost(Duration.ofSeconds(15)).until(() -> thanks(95) == 2);
    long thanked = thanks(95);
    f.postUpdate(UpdateJson.topicReopened(update++, CHAT, 95, 101, ALICE, now()));
    JsonNode reopened = f.awaitTicket(ticket, x -> x.path("status").asText().equals("NEW")
        && lastOpened(x).path("reason").asText().startsWith("follow-up #2"));
    assertThat(lastOpened(reopened).path("reason").asText()).startsWith("follow-up #2: Alice reopened the topic after the ticket closed on ");
    assertThat(lastOpened(reopened).path("actor").asText()).isEqualTo("agent:1001");
    assertThat(reopened.path("sla").path("firstResponseDue").isNull()).as("no request yet").isTrue();
    Awaitility.await("nobody thanked for the reopening").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> thanks(95) == thanked);
    f.postUpdate(UpdateJson.text(update++, CHAT, 95, 102, BOB, "It failed again today", now()));
    f.awaitTicket(ticket, x -> !x.path("sla").path("firstResponseDue").isNull());
    Awaitility.await("Bob's request acknowledged").atMost(Duration.ofSeconds(15)).until(() -> thanks(95) == thanked + 1);
  }

  private long thanks(long thread) {
    return f.telegram.textsIn(thread).stream().filter(x -> x.startsWith("Thanks, we got your request")).count();
  }

  private static JsonNode lastOpened(JsonNode ticket) {
    JsonNode opened = null;
    for (JsonNode a : ticket.path("audit")) {
      opened = a.path("event").asText().equals("OPENED") ? a : opened;
    }
    return opened;
  }
}
