package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * support.mode: relay through the real webhook, Temporal and the fake Bot API: a customer writes
 * to the bot privately, Forumdesk opens a topic per ticket in the agents' forum, and the agents'
 * replies there reach the customer privately.
 */
class RelayEndToEndTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final String YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n");

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML).withoutPerChatLimit();
  long update = 100;



  @Test
  void aPrivateMessageOpensATopicTicketAndTheAgentsReplyReachesTheCustomerPrivately() throws Exception {
    assertThat(YAML).contains("mode: relay");
    f.postUpdate(UpdateJson.privateText(update++, 11, BOB, "I was charged twice for order 7", now()));
    f.postUpdate(UpdateJson.privateText(update, 11, BOB, "I was charged twice for order 7", now())); // a redelivery too
    update++;

    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.calls("createForumTopic").size() == 1);
    FakeTelegram.Call created = f.telegram.calls("createForumTopic").getFirst();
    assertThat(created.params().path("chat_id").asLong()).isEqualTo(CHAT);
    assertThat(created.params().path("name").asText()).isEqualTo("Bob: I was charged twice for order 7");
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    JsonNode t = f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("I was charged twice for order 7"));
    assertThat(t.path("customer").path("id").asLong()).isEqualTo(BOB.id());
    assertThat(t.path("title").asText()).isEqualTo("Bob: I was charged twice for order 7");

    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: I was charged twice for order 7")
            && f.telegram.textsTo(BOB.id(), null).stream().anyMatch(x -> x.startsWith("Thanks, we got your message")));

    // the agent answers in the topic; the customer reads it privately, and the ticket sees a first response
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 500, ALICE, "We refunded the second charge.", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(BOB.id(), null).contains("<b>Alice</b>: We refunded the second charge."));
    f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull());

    // the customer's next message goes to the same topic and ticket
    f.postUpdate(UpdateJson.privateText(update++, 12, BOB, "Thank you!", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: Thank you!"));
    assertThat(f.telegram.calls("createForumTopic")).hasSize(1);
    assertThat(f.telegram.textsTo(BOB.id(), null).stream().filter(x -> x.contains("Alice")).count()).as("sent once").isEqualTo(1);
    JsonNode audit = f.json("/api/tickets/" + id + "/audit");
    assertThat(audit.findValuesAsText("event")).contains("OPENED", "FIRST_RESPONSE");
  }

  @Test
  void theCustomerReadsPrivatelyThatTheirTicketIsResolvedAndTheTopicHoldsNothingAddressedToThem() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 31, BOB, "My parcel is lost", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("My parcel is lost"));

    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 600, ALICE, "/resolve", now()));
    f.awaitTicket(id, x -> x.path("status").asText().equals("RESOLVED"));
    // the request in Bob's own words, not the agents' topic name "Bob: My parcel is lost"
    String resolved = "✅ Your request <b>My parcel is lost</b> is resolved. If you need anything else, just write"
        + " here and it reopens.";
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(BOB.id(), null).contains(resolved));
    Thread.sleep(500);
    assertThat(f.telegram.textsTo(BOB.id(), null)).filteredOn(x -> x.startsWith("✅")).containsExactly(resolved);
    // the agents' topic: the command's answer (paced at the forum's 1 a second, where the topic's
    // creation counts too: it may follow the customer's private message), and no acknowledgement
    // addressed to a customer who cannot see it
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, thread)
        .contains("✅ Resolved. The customer has been told; if they write again, the ticket reopens."));
    assertThat(f.telegram.textsTo(CHAT, thread))
        .noneMatch(x -> x.contains("Write here if you need anything else"))
        .noneMatch(x -> x.startsWith("Thanks, we got your request"));
  }

  @Test
  void theCustomersMessageThatEndsAHoldIsNoticedInTheAgentsTopicAndNotSentBackToThem() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 41, BOB, "Where is my parcel?", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("Where is my parcel?"));
    var sam = new UpdateJson.Sender(900001, "Sam", null, "en"); // a supervisor, whoever has the ticket
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 700, sam, "/hold asked the courier", now()));
    f.awaitTicket(id, x -> x.path("status").asText().equals("ON_HOLD"));

    f.postUpdate(UpdateJson.privateText(update++, 42, BOB, "Any news?", now()));
    String notice = "▶️ Resumed: the customer wrote; status NEW, SLA clocks running again.";
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, thread).contains(notice));
    assertThat(f.awaitTicket(id, x -> !x.path("status").asText().equals("ON_HOLD")).path("sla").path("paused").asBoolean())
        .isFalse();
    Thread.sleep(500);
    assertThat(f.telegram.textsTo(BOB.id(), null)).noneMatch(x -> x.contains("Resumed"));
  }

  private List<JsonNode> copiesTo(long chat) {
    return f.telegram.copied().stream().map(FakeTelegram.Call::params)
        .filter(p -> p.path("chat_id").asLong() == chat).toList();
  }

  @Test
  void aCustomersPhotoStickerAndDocumentAreCopiedIntoTheTopicAndAnAgentsPhotoToTheCustomer() throws Exception {
    // a bare photo opens the ticket: the agents get the photo itself, the ticket "[photo]"
    f.postUpdate(UpdateJson.privateMedia(update++, 21, BOB, "photo", null, now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    JsonNode t = f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("[photo]"));
    assertThat(t.path("title").asText()).isEqualTo("Bob: [photo]");
    assertThat(f.telegram.calls("createForumTopic").getFirst().params().path("name").asText()).isEqualTo("Bob: [photo]");

    f.postUpdate(UpdateJson.privateMedia(update++, 22, BOB, "document", "my invoice", now()));
    f.postUpdate(UpdateJson.privateMedia(update, 23, BOB, "sticker", null, now()));
    f.postUpdate(UpdateJson.privateMedia(update++, 23, BOB, "sticker", null, now())); // a redelivery: one copy
    f.postUpdate(UpdateJson.privateMedia(update++, 24, BOB, "voice", null, now()));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> copiesTo(CHAT).size() == 4);
    assertThat(copiesTo(CHAT)).allSatisfy(p -> {
      assertThat(p.path("message_thread_id").asLong()).isEqualTo(thread);
      assertThat(p.path("from_chat_id").asLong()).isEqualTo(BOB.id());
    }).extracting(p -> p.path("message_id").asLong()).containsExactly(21L, 22L, 23L, 24L);
    assertThat(f.telegram.textsTo(CHAT, thread)).as("media is copied, not described").noneMatch(x -> x.contains("[photo]"));

    // an agent's photo in the topic: a first response, and the customer gets the photo
    f.postUpdate(UpdateJson.topicMedia(update++, CHAT, thread, 600, ALICE, "photo", null, now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> copiesTo(BOB.id()).size() == 1);
    JsonNode toBob = copiesTo(BOB.id()).getFirst();
    assertThat(toBob.path("from_chat_id").asLong()).isEqualTo(CHAT);
    assertThat(toBob.path("message_id").asLong()).isEqualTo(600);
    assertThat(toBob.has("message_thread_id")).isFalse();
    assertThat(toBob.path("caption").asText()).as("signed like a text").isEqualTo("<b>Alice</b>");
    assertThat(toBob.path("parse_mode").asText()).isEqualTo("HTML");
    f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull());
    // the media's own caption is kept, after the agent's name; a sticker takes no caption
    f.postUpdate(UpdateJson.topicMedia(update++, CHAT, thread, 601, ALICE, "document", "your <receipt>", now()));
    f.postUpdate(UpdateJson.topicMedia(update++, CHAT, thread, 602, ALICE, "sticker", null, now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> copiesTo(BOB.id()).size() == 3);
    assertThat(copiesTo(BOB.id()).get(1).path("caption").asText()).isEqualTo("<b>Alice</b>: your &lt;receipt&gt;");
    assertThat(copiesTo(BOB.id()).get(2).has("caption")).isFalse();
    assertThat(f.telegram.calls("copyMessage")).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
  }

  @Test
  void aCustomersEditIsPostedInTheTopicAndCountsAsTheCustomerWriting() throws Exception {
    assertThat(f.telegram.calls("setWebhook").getFirst().params().path("allowed_updates").toString())
        .as("Telegram sends edits only when asked").contains("\"edited_message\"");
    long sent = now() - 120;
    f.postUpdate(UpdateJson.privateText(update++, 31, BOB, "Refund for order 7 please", sent));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("Refund for order 7 please"));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 500, ALICE, "Looking into it.", now() - 60));
    f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull());

    long editedAt = now();
    String edit = UpdateJson.privateEdited(update++, 31, BOB, "Refund for order 8 please", sent, editedAt);
    f.postUpdate(edit);
    f.postUpdate(edit); // a redelivery: posted once
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).contains("✏️ edited: Refund for order 8 please"));
    JsonNode t = f.awaitTicket(id, x -> x.path("lastActivityAt").asText().equals(
        java.time.Instant.ofEpochSecond(editedAt).toString()));
    assertThat(t.path("firstMessage").asText()).as("the opening stays as it was").isEqualTo("Refund for order 7 please");
    assertThat(f.telegram.calls("createForumTopic")).as("an edit opens nothing").hasSize(1);
    Thread.sleep(500);
    assertThat(f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("✏️ edited")).count()).isEqualTo(1);
  }

  @Test
  void startGetsAGreetingAndNoTicketAndAgentsWritingPrivatelyAreNotCustomers() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 1, BOB, "/start", now()));
    f.postUpdate(UpdateJson.privateText(update++, 2, ALICE, "hi bot", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(BOB.id(), null).stream().anyMatch(x -> x.startsWith("Hello! Write your question here")));
    Thread.sleep(500);
    assertThat(f.telegram.calls("createForumTopic")).isEmpty();
    assertThat(f.json("/api/tickets")).isEmpty();
  }

  /** F1: a reply Telegram refuses for good (the customer blocked the bot) is no answer, and the agents hear of it. */
  @Test
  void anAgentsReplyToACustomerWhoBlockedTheBotIsReportedInTheTopicAuditedAndIsNoFirstResponse() throws Exception {
    f.postUpdate(UpdateJson.privateText(update++, 51, BOB, "My card was declined", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    String id = "ticket-" + CHAT + "-" + thread;
    f.awaitTicket(id, x -> x.path("firstMessage").asText().equals("My card was declined"));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(BOB.id(), null).stream().anyMatch(x -> x.startsWith("Thanks, we got your message")));
    f.telegram.blockedBy(BOB.id());

    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 800, ALICE, "Bob, are you there?", now()));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 801, ALICE, "Please try another card.", now()));
    String warning = "⚠️ <b>Bob</b> did not get your message: they have blocked the bot."
        + " Nothing reaches them until they write to the bot again.";
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.textsTo(CHAT, thread).contains(warning));
    JsonNode t = f.awaitTicket(id, x -> x.path("audit").findValuesAsText("event").stream()
        .filter("NOT_DELIVERED"::equals).count() == 2);
    assertThat(t.path("firstResponseAt").isNull()).as("an undelivered reply is no first response").isTrue();
    assertThat(t.path("status").asText()).isEqualTo("NEW");
    assertThat(t.path("audit").findValuesAsText("reason")).anyMatch(r -> r.startsWith("Bob did not get an agent's reply:")
        && r.contains("bot was blocked by the user") && r.endsWith("; it is no first response"));
    Thread.sleep(500);
    assertThat(f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("⚠️")).count()).as("once").isEqualTo(1);

    // Bob unblocks and writes: the next reply reaches him and is the first response
    f.telegram.unblockedBy(BOB.id());
    f.postUpdate(UpdateJson.privateText(update++, 52, BOB, "Sorry, I blocked you by mistake", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).contains("💬 <b>Bob</b>: Sorry, I blocked you by mistake"));
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 802, ALICE, "No problem: try another card.", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(BOB.id(), null).contains("<b>Alice</b>: No problem: try another card."));
    assertThat(f.awaitTicket(id, x -> !x.path("firstResponseAt").isNull()).path("status").asText()).isEqualTo("IN_PROGRESS");

    // blocked again: the agents are told again
    f.telegram.blockedBy(BOB.id());
    f.postUpdate(UpdateJson.text(update++, CHAT, thread, 803, ALICE, "Did it work?", now()));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).stream().filter(warning::equals).count() == 2);
    assertThat(f.awaitTicket(id, x -> true).path("firstResponseAt").isNull()).as("the delivered one stays").isFalse();
  }

  /** F12: a burst Telegram delivers over several connections, out of order, is relayed in the order written. */
  @Test
  void aBurstOfACustomersMessagesArrivingOutOfOrderIsRelayedInOrder() throws Exception {
    long first = update;
    update += 3;
    for (long u = first + 2; u >= first; u--) { // the last one first, as parallel connections may
      f.postUpdate(UpdateJson.privateText(u, 70 + u - first, BOB, "burst message " + (u - first + 1), now()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.telegram.calls("createForumTopic").size() == 1);
    assertThat(f.telegram.calls("createForumTopic").getFirst().params().path("name").asText())
        .isEqualTo("Bob: burst message 1");
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬")).count() == 3);
    assertThat(f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬")).toList()).containsExactly(
        "💬 <b>Bob</b>: burst message 1", "💬 <b>Bob</b>: burst message 2", "💬 <b>Bob</b>: burst message 3");
  }

  /** A topic Telegram refuses (the bot may not manage topics yet) is asked for again: nothing the customer wrote is lost. */
  @Test
  void aRefusedTopicIsAskedForAgainAndTheCustomersMessagesAreRelayedOnceInOrder() throws Exception {
    f.telegram.failNext("createForumTopic", 1, 400);
    f.postUpdate(UpdateJson.privateText(update++, 61, BOB, "Is anyone there?", now()));
    f.postUpdate(UpdateJson.privateText(update++, 62, BOB, "Hello?", now()));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> f.json("/api/tickets").size() == 1);
    long thread = f.json("/api/tickets").get(0).path("threadId").asLong();
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
        f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬")).count() == 2);
    Thread.sleep(500);
    assertThat(f.telegram.calls("createForumTopic")).extracting(FakeTelegram.Call::status).containsExactly(400, 200);
    assertThat(f.telegram.textsTo(CHAT, thread).stream().filter(x -> x.startsWith("💬")).toList())
        .containsExactly("💬 <b>Bob</b>: Is anyone there?", "💬 <b>Bob</b>: Hello?");
  }
}
