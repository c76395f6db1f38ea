package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.BotIdentity;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateClassifierTest {
  static final long CHAT = -1001234567890L;
  static final long L2 = -1009876543210L;
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  static final UpdateJson.Sender ALICE = new UpdateJson.Sender(1001, "Alice", "alice", "en");
  static final UpdateJson.Sender SAM = new UpdateJson.Sender(900001, "Sam", null, "en");

  private final ForumdeskConfig config = ConfigLoader.fromYaml("""
      support: {chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}
      agents:
        - {id: 1001, name: Alice, username: alice}
      """);
  private final UpdateClassifier classifier = new UpdateClassifier(config,
      (chat, thread) -> chat == L2 && thread == 77 ? Optional.of("ticket--1001234567890-42") : Optional.empty());

  private Classified classify(String json) {
    return classifier.classify(Json.read(json, Update.class));
  }

  @Test
  void topicCreationOpensTheTicketOfThatThread() {
    var c = (Classified.ForTicket) classify(UpdateJson.topicCreated(1, CHAT, 42, BOB, "Refund", 1));
    assertThat(c.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(c.startsTicket()).isTrue();
    assertThat(c.event()).isInstanceOfSatisfying(TicketEvent.TopicOpened.class, e -> {
      assertThat(e.title()).isEqualTo("Refund");
      assertThat(e.role()).isEqualTo(Role.CUSTOMER);
      assertThat(e.eventId()).isEqualTo("u1");
    });
  }

  @Test
  void aMessageOfAFormerAgentInSomeoneElsesTicketIsNotTheCustomersAndTheirOwnTicketStaysTheirs() {
    UpdateJson.Sender boris = new UpdateJson.Sender(1002, "Boris", "boris", "en");
    // Boris was an agent until a reload removed him; ticket 42 is Bob's, ticket 43 his own
    UpdateClassifier withFormer = classifier.withFormerAgents(
        (user, ticket) -> user == 1002 && !ticket.equals("ticket--1001234567890-43"));
    assertThat(withFormer.classify(Json.read(UpdateJson.textInTopic(3, CHAT, 42, 44, boris, "Sync", "Checking now", 1),
        Update.class))).isEqualTo(new Classified.Ignored(UpdateClassifier.FORMER_AGENT));
    assertThat(withFormer.classify(Json.read(UpdateJson.textInTopic(4, CHAT, 43, 45, boris, "Mine", "My own question", 1),
        Update.class))).isInstanceOf(Classified.ForTicket.class);
    assertThat(withFormer.classify(Json.read(UpdateJson.textInTopic(5, CHAT, 42, 46, BOB, "Sync", "Still broken", 1),
        Update.class))).as("the customer").isInstanceOf(Classified.ForTicket.class);
  }

  @Test
  void aMessageInATopicCarriesTheNameTheTopicWasCreatedWith() {
    // the bot joined after the topic was made: its first message is all Forumdesk sees of it
    var c = (Classified.ForTicket) classify(
        UpdateJson.textInTopic(2, CHAT, 310, 311, BOB, "Login fails", "Invoice question for March", 1));
    assertThat(c.startsTicket()).isTrue();
    assertThat(c.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, e -> {
      assertThat(e.text()).isEqualTo("Invoice question for March");
      assertThat(e.topicName()).isEqualTo("Login fails");
    });
  }

  @Test
  void aReplyToAnotherMessageOfTheTopicNamesNoTopic() {
    // reply_to_message is then the message replied to, not the topic's creation message
    var c = (Classified.ForTicket) classify(
        UpdateJson.replyInTopic(3, CHAT, 310, 313, BOB, 312, "Which invoice?", "The one from March", 1));
    assertThat(c.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, e -> {
      assertThat(e.text()).isEqualTo("The one from March");
      assertThat(e.topicName()).isNull();
    });
  }

  @Test
  void aPrivateMessageIsNoTicketInGroupModeAndTheCustomersNextMessageInRelayMode() {
    assertThat(classify(UpdateJson.privateText(3, 9, BOB, "help me", 1)))
        .isEqualTo(new Classified.Ignored("private-chat"));
    UpdateClassifier relay = new UpdateClassifier(ConfigLoader.fromYaml(
        "support: {mode: relay, chat-id: -1001234567890, supervisors: [900001]}\n"
            + "agents: [{id: 1001, name: Alice, username: alice}]\n"), (chat, thread) -> Optional.empty());
    Classified c = relay.classify(Json.read(UpdateJson.privateText(3, 9, BOB, "help me", 1), Update.class));
    assertThat(c).isInstanceOfSatisfying(Classified.RelayIn.class, r -> {
      assertThat(r.customer().id()).isEqualTo(5001);
      assertThat(r.text()).isEqualTo("help me");
      assertThat(r.eventId()).isEqualTo("u3");
    });
    assertThat(c.ticket()).as("the inbox orders a customer's private messages").hasValue("relay-5001");
    assertThat(relay.classify(Json.read(UpdateJson.privateText(4, 10, ALICE, "hi", 1), Update.class)))
        .isEqualTo(new Classified.Ignored("private-from-staff"));
  }

  private final UpdateClassifier relay = new UpdateClassifier(ConfigLoader.fromYaml(
      "support: {mode: relay, chat-id: -1001234567890, supervisors: [900001]}\n"
          + "agents: [{id: 1001, name: Alice, username: alice}]\n"), (chat, thread) -> Optional.empty());

  private Classified relayed(String json) {
    return relay.classify(Json.read(json, Update.class));
  }

  @Test
  void inRelayModeAPrivatePhotoOrStickerIsRelayedWithItsCaptionOrAPlaceholder() {
    assertThat(relayed(UpdateJson.privateMedia(5, 20, BOB, "photo", null, 1)))
        .isInstanceOfSatisfying(Classified.RelayIn.class, r -> {
          assertThat(r.media()).isEqualTo("photo");
          assertThat(r.text()).isEqualTo("[photo]");
          assertThat(r.messageId()).isEqualTo(20);
          assertThat(r.eventId()).isEqualTo("u5");
          assertThat(r.edited()).isFalse();
          assertThat(r.kind()).isEqualTo("relay-media");
        });
    assertThat(relayed(UpdateJson.privateMedia(6, 21, BOB, "document", "my invoice", 1)))
        .isInstanceOfSatisfying(Classified.RelayIn.class, r -> {
          assertThat(r.media()).isEqualTo("document");
          assertThat(r.text()).isEqualTo("my invoice");
        });
    assertThat(relayed(UpdateJson.privateMedia(7, 22, BOB, "sticker", null, 1)))
        .isInstanceOfSatisfying(Classified.RelayIn.class, r -> assertThat(r.text()).isEqualTo("[sticker]"));
    assertThat(relayed(UpdateJson.privateMedia(8, 23, BOB, "voice", null, 1)))
        .isInstanceOfSatisfying(Classified.RelayIn.class, r -> assertThat(r.text()).isEqualTo("[voice]"));
    assertThat(classify(UpdateJson.privateMedia(5, 20, BOB, "photo", null, 1)))
        .as("group mode").isEqualTo(new Classified.Ignored("private-chat"));
  }

  @Test
  void inRelayModeACustomersEditedPrivateMessageIsAnEditOfItsOwn() {
    assertThat(relayed(UpdateJson.privateEdited(9, 11, BOB, "order 8, not 7", 1_000, 1_060)))
        .isInstanceOfSatisfying(Classified.RelayIn.class, r -> {
          assertThat(r.edited()).isTrue();
          assertThat(r.text()).isEqualTo("order 8, not 7");
          assertThat(r.eventId()).as("never the original's u<update_id>").isEqualTo("e9");
          assertThat(r.at()).as("when it was edited").isEqualTo(java.time.Instant.ofEpochSecond(1_060));
          assertThat(r.kind()).isEqualTo("relay-edit");
          assertThat(r.ticket()).hasValue("relay-5001");
        });
    assertThat(relayed(UpdateJson.privateEdited(10, 12, ALICE, "hi", 1, 2)))
        .isEqualTo(new Classified.Ignored("private-from-staff"));
    assertThat(classify(UpdateJson.privateEdited(9, 11, BOB, "order 8", 1, 2))).as("group mode")
        .isEqualTo(new Classified.Ignored("edited"));
  }

  @Test
  void inRelayModeAnAgentsPhotoInATopicIsAReplyToCopyAndInGroupModeAReplyThatStays() {
    assertThat(relayed(UpdateJson.topicMedia(11, CHAT, 42, 600, ALICE, "photo", null, 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> {
          assertThat(t.media()).isEqualTo("photo");
          assertThat(t.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, m -> {
            assertThat(m.text()).isEqualTo("[photo]");
            assertThat(m.messageId()).isEqualTo(600);
            assertThat(m.role()).isEqualTo(Role.AGENT);
          });
        });
    assertThat(relayed(UpdateJson.text(12, CHAT, 42, 601, ALICE, "hello", 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> assertThat(t.media()).isNull());
    // group mode: a bare photo or voice note is the agent's reply (or the customer's message) all the
    // same, with nothing to copy anywhere
    assertThat(classify(UpdateJson.topicMedia(11, CHAT, 42, 600, ALICE, "photo", null, 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> {
          assertThat(t.media()).isNull();
          assertThat(t.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, m -> {
            assertThat(m.text()).isEqualTo("[photo]");
            assertThat(m.role()).isEqualTo(Role.AGENT);
          });
        });
    assertThat(classify(UpdateJson.topicMedia(14, CHAT, 42, 603, BOB, "voice", null, 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> assertThat(t.event())
            .isInstanceOfSatisfying(TicketEvent.MessagePosted.class, m -> {
              assertThat(m.text()).isEqualTo("[voice]");
              assertThat(m.role()).isEqualTo(Role.CUSTOMER);
            }));
    assertThat(classify(UpdateJson.topicMedia(13, CHAT, 42, 602, ALICE, "photo", "see", 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> assertThat(t.media()).isNull());
  }

  @Test
  void aRenamedTopicRenamesItsTicketAndANewIconChangesNothing() {
    assertThat(classify(UpdateJson.topicEdited(15, CHAT, 42, 604, ALICE, " [Billing] Refund for order 7 ", 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> {
          assertThat(t.kind()).isEqualTo("topic-renamed");
          assertThat(t.startsTicket()).as("a topic that is no ticket does not become one by a rename").isFalse();
          assertThat(t.event()).isEqualTo(new TicketEvent.TopicRenamed("u15", java.time.Instant.ofEpochSecond(1),
              new dev.forumdesk.ticket.Person(1001, "Alice", "alice"), Role.AGENT, "[Billing] Refund for order 7"));
        });
    assertThat(classify(UpdateJson.topicEdited(16, CHAT, 42, 605, ALICE, null, 1)))
        .isEqualTo(new Classified.Ignored("topic-icon-changed"));
  }

  @Test
  void closingATopicIsASignalThatNeverStartsATicketAndReopeningOneMay() {
    // the topic of a CLOSED ticket is closed by an agent after the bot closed the ticket: no follow-up
    assertThat(classify(UpdateJson.topicClosed(17, CHAT, 42, 606, ALICE, 1)))
        .isInstanceOfSatisfying(Classified.ForTicket.class, t -> {
          assertThat(t.kind()).isEqualTo("topic-closed");
          assertThat(t.startsTicket()).isFalse();
        });
  }

  @Test
  void rolesComeFromTheRoster() {
    var agent = (Classified.ForTicket) classify(UpdateJson.text(2, CHAT, 42, 43, ALICE, "hi", 1));
    assertThat(agent.event().role()).isEqualTo(Role.AGENT);
    var sup = (Classified.ForTicket) classify(UpdateJson.text(3, CHAT, 42, 44, SAM, "hi", 1));
    assertThat(sup.event().role()).isEqualTo(Role.SUPERVISOR);
  }

  @Test
  void commandsWithOrWithoutTheBotNameBecomeCommandRequests() {
    var hold = (Classified.Command) classify(UpdateJson.text(4, CHAT, 42, 45, ALICE, "/hold@ForumdeskBot waiting for logs", 1));
    assertThat(hold.request().name()).isEqualTo("hold");
    assertThat(hold.request().args()).isEqualTo("waiting for logs");
    assertThat(hold.request().role()).isEqualTo(Role.AGENT);
    assertThat(hold.request().eventId()).isEqualTo("u4");
    var status = (Classified.Command) classify(UpdateJson.text(5, CHAT, 42, 46, BOB, "/STATUS", 1));
    assertThat(status.request().name()).isEqualTo("status");
    assertThat(status.request().args()).isEmpty();
  }

  /** The resolved notice says that writing reopens the ticket: a customer's /reopen is such a message. */
  @Test
  void aCustomersReopenIsAMessageOfTheirsAndAnAgentsACommand() {
    var customer = (Classified.ForTicket) classify(UpdateJson.text(6, CHAT, 42, 47, BOB, "/reopen@ForumdeskBot", 1));
    assertThat(customer.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(customer.event()).isInstanceOfSatisfying(TicketEvent.MessagePosted.class, e -> {
      assertThat(e.role()).isEqualTo(Role.CUSTOMER);
      assertThat(e.text()).isEqualTo("/reopen@ForumdeskBot");
    });
    var agent = (Classified.Command) classify(UpdateJson.text(7, CHAT, 42, 48, ALICE, "/reopen", 1));
    assertThat(agent.request().name()).isEqualTo("reopen");
  }

  @Test
  void level2TopicRepliesGoToTheEscalatedTicketWithoutStartingOne() {
    var c = (Classified.ForTicket) classify(UpdateJson.text(6, L2, 77, 78, ALICE, "looking at it", 1));
    assertThat(c.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(c.startsTicket()).isFalse();
    assertThat(c.event()).isInstanceOf(TicketEvent.Level2Reply.class);
    assertThat(classify(UpdateJson.text(7, L2, 99, 100, ALICE, "other topic", 1))).isInstanceOf(Classified.Ignored.class);
  }

  /**
   * Audit 9, F3: a restart removed the staff forum (L2); the Level 2 topics open tickets have there
   * still lead to them: a reply is the ticket's, a command acts on it and is answered there. A topic
   * of that forum that is no ticket's, or another chat, is nothing of ours.
   */
  @Test
  void aLevel2TopicInTheForumARestartReplacedStillLeadsToItsTicket() {
    UpdateClassifier withoutStaffForum = new UpdateClassifier(ConfigLoader.fromYaml("""
        support: {chat-id: -1001234567890, supervisors: [900001]}
        agents:
          - {id: 1001, name: Alice, username: alice}
        """), (chat, thread) -> chat == L2 && thread == 77 ? Optional.of("ticket--1001234567890-42") : Optional.empty());
    var reply = (Classified.ForTicket) withoutStaffForum.classify(
        Json.read(UpdateJson.text(30, L2, 77, 78, ALICE, "the bank confirms", 1), Update.class));
    assertThat(reply.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(reply.startsTicket()).isFalse();
    assertThat(reply.event()).isInstanceOf(TicketEvent.Level2Reply.class);
    var status = (Classified.Command) withoutStaffForum.classify(
        Json.read(UpdateJson.text(31, L2, 77, 79, ALICE, "/status", 1), Update.class));
    assertThat(status.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(status.request().answerIn()).isEqualTo(new ForumTopic(L2, 77));
    assertThat(withoutStaffForum.classify(Json.read(UpdateJson.text(32, L2, 99, 100, ALICE, "/status", 1), Update.class)))
        .isEqualTo(new Classified.Ignored("other-chat"));
  }

  @Test
  void aCommandInALevel2TopicActsOnTheEscalatedTicketAndIsAnsweredThere() {
    var ours = new UpdateClassifier(config,
        (chat, thread) -> chat == L2 && thread == 77 ? Optional.of("ticket--1001234567890-42") : Optional.empty(),
        BotIdentity.known("ForumdeskBot"));
    for (String text : new String[] {"/hold waiting for vendor", "/hold@ForumdeskBot waiting for vendor"}) {
      var c = (Classified.Command) ours.classify(Json.read(UpdateJson.text(20, L2, 77, 80, ALICE, text, 1), Update.class));
      assertThat(c.ticketId()).as(text).isEqualTo("ticket--1001234567890-42");
      assertThat(c.ticket()).as("ordered with the ticket's own updates").hasValue("ticket--1001234567890-42");
      assertThat(c.chatId()).isEqualTo(L2);
      assertThat(c.threadId()).as("refusals are answered where it was typed").isEqualTo(77);
      assertThat(c.request().answerIn()).as("and so is the workflow's answer").isEqualTo(new ForumTopic(L2, 77));
      assertThat(c.request().name()).isEqualTo("hold");
      assertThat(c.request().args()).isEqualTo("waiting for vendor");
      assertThat(c.request().role()).isEqualTo(Role.AGENT);
      assertThat(c.request().eventId()).isEqualTo("u20");
    }
    var bob = (Classified.Command) ours.classify(Json.read(UpdateJson.text(21, L2, 77, 81, BOB, "/STATUS", 1), Update.class));
    assertThat(bob.request().role()).as("the workflow refuses as in the ticket's topic").isEqualTo(Role.CUSTOMER);
    assertThat(bob.request().name()).isEqualTo("status");
    assertThat(ours.classify(Json.read(UpdateJson.text(22, L2, 77, 82, ALICE, "/hold@OtherBot x", 1), Update.class)))
        .isEqualTo(new Classified.Ignored(UpdateClassifier.FOR_ANOTHER_BOT));
    var inTopic = (Classified.Command) ours.classify(Json.read(UpdateJson.text(23, CHAT, 42, 83, ALICE, "/status", 1), Update.class));
    assertThat(inTopic.request().answerIn()).as("a command in the ticket's topic is answered there, as before").isNull();
  }

  @Test
  void aStaffCommandInALevel2ForumTopicOfNoTicketIsAnsweredThere() {
    assertThat(classify(UpdateJson.text(24, L2, 99, 100, ALICE, "/status", 1)))
        .isEqualTo(new Classified.Answer(L2, 99L, "level2:u24", UpdateClassifier.NO_LEVEL2_TICKET));
    assertThat(classify(UpdateJson.text(25, L2, 99, 101, BOB, "/status", 1))).isEqualTo(new Classified.Ignored("other-chat"));
    assertThat(classify(UpdateJson.text(26, L2, 99, 102, ALICE, "just chatting", 1))).isEqualTo(new Classified.Ignored("other-chat"));
  }

  @Test
  void withOneForumForBothACommandInALevel2TopicStillActsOnTheEscalatedTicket() {
    var shared = new UpdateClassifier(ConfigLoader.fromYaml("""
        support: {chat-id: -1001234567890, supervisors: [900001]}
        agents: [{id: 1001, name: Alice, username: alice}]
        """), (chat, thread) -> chat == CHAT && thread == 77 ? Optional.of("ticket--1001234567890-42") : Optional.empty());
    var c = (Classified.Command) shared.classify(Json.read(UpdateJson.text(27, CHAT, 77, 84, ALICE, "/why", 1), Update.class));
    assertThat(c.ticketId()).isEqualTo("ticket--1001234567890-42");
    assertThat(c.request().answerIn()).isEqualTo(new ForumTopic(CHAT, 77));
  }

  @Test
  void generalTopicOtherChatsAndEditsAreIgnored() {
    assertThat(classify(UpdateJson.general(8, CHAT, 9, BOB, "/hold", 1)).kind()).isEqualTo("not-a-topic");
    assertThat(classify(UpdateJson.general(8, CHAT, 9, ALICE, "hello team", 1)).kind()).isEqualTo("not-a-topic");
    assertThat(classify(UpdateJson.text(9, -100555, 42, 43, BOB, "hi", 1)).kind()).isEqualTo("other-chat");
    String edited = UpdateJson.text(10, CHAT, 42, 43, ALICE, "/resolve", 1).replace("\"message\"", "\"edited_message\"");
    assertThat(classify(edited).kind()).isEqualTo("edited");
  }

  @Test
  void aStaffCommandInTheGeneralTopicIsAnsweredThereAndNothingElse() {
    assertThat(classify(UpdateJson.general(11, CHAT, 12, ALICE, "/status", 1)))
        .isEqualTo(new Classified.Answer(CHAT, "general:u11", UpdateClassifier.GENERAL_TOPIC));
    assertThat(classify(UpdateJson.general(11, CHAT, 12, ALICE, "/status", 1)).ticket()).as("queued for the dispatcher")
        .isPresent();
  }

  /**
   * An agent's own shift needs no ticket: /away and /back in the General topic or a private chat
   * with the bot change it there, so they need not be typed where a customer reads them.
   */
  @Test
  void awayAndBackWorkInTheGeneralTopicAndInAPrivateChat() {
    Person alice = new Person(1001, "Alice", "alice");
    assertThat(classify(UpdateJson.general(11, CHAT, 12, ALICE, "/away", 1)))
        .isEqualTo(new Classified.Shift(alice, false, CHAT, "general:u11"));
    assertThat(classify(UpdateJson.privateText(12, 13, ALICE, "/back@ForumdeskBot", 1)))
        .as("group mode too").isEqualTo(new Classified.Shift(alice, true, 1001, "private:u12"));
    assertThat(classify(UpdateJson.privateText(12, 13, ALICE, "/back", 1)).ticket()).hasValue("shift-1001");
    assertThat(relay.classify(Json.read(UpdateJson.privateText(13, 14, ALICE, "/away", 1), Update.class)))
        .as("relay mode").isEqualTo(new Classified.Shift(alice, false, 1001, "private:u13"));
    assertThat(classify(UpdateJson.privateText(14, 15, BOB, "/away", 1))).as("a customer has no shift")
        .isEqualTo(new Classified.Ignored("private-chat"));
    assertThat(classify(UpdateJson.privateText(15, 16, ALICE, "/status", 1))).isEqualTo(new Classified.Ignored("private-chat"));
    var ours = new UpdateClassifier(config, (chat, thread) -> Optional.empty(), BotIdentity.known("ForumdeskBot"));
    assertThat(ours.classify(Json.read(UpdateJson.general(16, CHAT, 17, ALICE, "/away@OtherBot", 1), Update.class)))
        .isEqualTo(new Classified.Ignored("not-a-topic"));
  }

  @Test
  void aCommandForAnotherBotIsIgnoredOnceOurNameIsKnown() {
    var ours = new UpdateClassifier(config, (chat, thread) -> Optional.empty(), BotIdentity.known("ForumdeskBot"));
    for (String text : new String[] {"/hold@otherbot", "/hold@OtherBot waiting for logs", "/resume@SomeOtherBot"}) {
      Classified c = ours.classify(Json.read(UpdateJson.text(11, CHAT, 42, 47, ALICE, text, 1), Update.class));
      // not a command, and not a message in the ticket either: it was addressed to another bot
      assertThat(c).as(text).isEqualTo(new Classified.Ignored("command-for-another-bot"));
      assertThat(c.ticket()).as(text).isEmpty();
    }
  }

  @Test
  void ourOwnNameInAnyCaseOrNoNameIsStillACommand() {
    var ours = new UpdateClassifier(config, (chat, thread) -> Optional.empty(), BotIdentity.known("ForumdeskBot"));
    for (String text : new String[] {"/hold@ForumdeskBot waiting", "/hold@forumdeskbot waiting", "/HOLD@FORUMDESKBOT waiting", "/hold waiting"}) {
      var c = (Classified.Command) ours.classify(Json.read(UpdateJson.text(12, CHAT, 42, 48, ALICE, text, 1), Update.class));
      assertThat(c.request().name()).as(text).isEqualTo("hold");
      assertThat(c.request().args()).as(text).isEqualTo("waiting");
    }
  }

  @Test
  void anySuffixIsOursUntilTheNameIsLearnedThenTheSameClassifierIgnoresOtherBots() {
    BotIdentity bot = BotIdentity.unknown();
    var shared = new UpdateClassifier(config, (chat, thread) -> Optional.empty(), bot);
    Update update = Json.read(UpdateJson.text(13, CHAT, 42, 49, ALICE, "/hold@anything", 1), Update.class);
    // at ingress, before getMe answered: today's behaviour
    assertThat(shared.classify(update)).isInstanceOfSatisfying(Classified.Command.class,
        c -> assertThat(c.request().name()).isEqualTo("hold"));
    bot.learn("ForumdeskBot");
    // at dispatch, classified again by the same instance: now known to be another bot's
    assertThat(shared.classify(update).kind()).isEqualTo("command-for-another-bot");
  }
}
