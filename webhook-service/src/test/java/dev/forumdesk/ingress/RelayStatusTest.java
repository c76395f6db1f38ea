package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.RelayTopics;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.TicketState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay mode: a customer's /status in their private chat is answered from the read model, not by a
 * query of the ticket's workflow (no gateway here: Temporal is as good as down), with the title, the
 * status in words and the assignee, and nothing the customer must not read.
 */
class RelayStatusTest {
  private static final ForumdeskConfig RELAY = ConfigLoader.fromYaml("""
      support: {chat-id: -1001, mode: relay}
      agents:
        - {id: 1001, name: Alice, username: alice}
      """);
  private static final Person BOB = new Person(2002, "Bob", "bob");

  @TempDir Path dir;

  @Test
  void statusIsTheReadModelsTicketInWordsAnUnprojectedOneIsQueuedAndAClosedOneIsNoOpenRequest() {
    try (Database db = Database.embedded(dir)) {
      statusFromTheReadModel(db);
    }
  }

  private static void statusFromTheReadModel(Database db) {
    Outbox outbox = new Outbox(db);
    RelayTopics topics = new RelayTopics(db);
    topics.save(new RelayTopics.Topic(-1001, 42, BOB.id(), "ticket--1001-42"), "u1");
    Map<String, TicketState> readModel = new ConcurrentHashMap<>();
    Relay relay = Relay.of(RELAY, topics, new NewTopics(outbox, NewTopics.RELAY_WAIT), null, outbox,
        new CustomerStatus(id -> Optional.ofNullable(readModel.get(id))));

    assertThat(relay.in(status(4))).as("answered here, not relayed").isFalse();
    assertThat(text(db, "relay-command:u4")).as("the topic is opened, its first projection to come")
        .isEqualTo("Your request is in the queue; an agent will answer you here.");

    readModel.put("ticket--1001-42", ticket("ON_HOLD", "Alice <A>"));
    assertThat(relay.in(status(5))).as("answered here, not relayed").isFalse();
    assertThat(text(db, "relay-command:u5")).isEqualTo(
        "<b>My parcel &amp; more</b>\nStatus: on hold\nAssignee: Alice &lt;A&gt;");

    readModel.put("ticket--1001-42", ticket("ESCALATED", null));
    relay.in(status(6));
    assertThat(text(db, "relay-command:u6")).isEqualTo(
        "<b>My parcel &amp; more</b>\nStatus: in progress\nAssignee: unassigned");

    readModel.put("ticket--1001-42", ticket("CLOSED", "Alice"));
    relay.in(status(7));
    assertThat(text(db, "relay-command:u7")).isEqualTo("You have no open request; just write your question here.");
  }

  private static Classified.RelayIn status(long update) {
    return new Classified.RelayIn(BOB, "u" + update, Instant.now(), update, "/status");
  }

  /** The read model's ticket, with the priority, level and queue the customer must not read. */
  private static TicketState ticket(String status, String assignee) {
    ObjectNode t = Json.mapper().valueToTree(TicketState.unopened(-1001, 42, RELAY.ticketPolicy(false)));
    t.put("opened", true).put("title", "Bob: My parcel & more").put("status", status).put("priority", "URGENT")
        .put("level", 2).put("queue", "billing");
    t.putObject("customer").put("id", BOB.id()).put("name", BOB.name()).put("username", BOB.username());
    if (assignee != null) {
      t.putObject("assignee").put("id", 1001).put("name", assignee).put("username", "alice");
    }
    return Json.read(t.toString(), TicketState.class);
  }

  private static String text(Database db, String key) {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox where idem_key = :key")
            .bind("key", key).mapTo(String.class).findOne())
        .map(p -> Json.read(p, JsonNode.class).path("text").asText()).orElse(null);
  }
}
