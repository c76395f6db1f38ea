package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ticket waiting in the line when a reload (README "Reloading") changes who could take it: it keeps
 * the requirements its routing decided, and each is judged against the agents in force when the line
 * is served, by the rule routing applies to a new ticket. A language nobody speaks any more asks for
 * the agents of the default language; a skill nobody has any more is ignored. It never waits for an
 * agent who is gone.
 */
class WaitingLineReloadEndToEndTest {
  /** Alice speaks English (the default language), Boris only Russian, Greta, the one German speaker, takes one. */
  static final String GRETA = """
      support:
        chat-id: -1001234567890
        level2-chat-id: -1009876543210
        supervisors: [900001]
      agents:
        - {id: 1001, name: Alice, username: alice, team: general, languages: [en], max-open: 4}
        - {id: 1002, name: Boris, username: boris, team: general, languages: [ru], max-open: 4}
        - {id: 1003, name: Greta, username: greta, team: general, languages: [de], max-open: 1}
      routing:
        sticky-agent: false
      """;

  /** Alice alone handles billing, one ticket at a time; Boris handles technical. */
  static final String BILLING = """
      support:
        chat-id: -1001234567890
        level2-chat-id: -1009876543210
        supervisors: [900001]
      agents:
        - {id: 1001, name: Alice, username: alice, team: general, languages: [en], skills: [billing], max-open: 1}
        - {id: 1002, name: Boris, username: boris, team: general, languages: [en], skills: [technical], max-open: 4}
      routing:
        sticky-agent: false
        categories:
          billing: ['refund|invoice|charged']
          technical: ['crash|error']
      """;

  @RegisterExtension final AppFixture f = AppFixture.perTest(GRETA);

  /**
   * The only German speaker leaves while a German ticket waits for her and Boris, who speaks only
   * Russian, has room: the ticket goes to Alice, an agent of the default language, as a German
   * ticket routed after the reload would, with the reason in /why and the audit; not to Boris.
   */
  @Test
  void aTicketWaitingForTheOnlySpeakerOfItsLanguageGoesToAnAgentOfTheDefaultLanguageWhenSheLeaves() throws Exception {
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 100, 101, customer(6001, "en"), "Sync error",
        "The app shows a sync error when I open it", now));
    assertThat(agentOf(100)).isEqualTo("Alice");
    f.postUpdate(UpdateJson.textInTopic(2, CHAT, 110, 111, customer(6002, "de"), "Passwort",
        "Ich habe mein Passwort vergessen und kann mich nicht mehr anmelden", now + 1));
    assertThat(agentOf(110)).isEqualTo("Greta");
    f.postUpdate(UpdateJson.textInTopic(3, CHAT, 120, 121, customer(6003, "de"), "Zahlung",
        "Meine Zahlung ist fehlgeschlagen, bitte helfen Sie mir schnell weiter", now + 2));
    JsonNode waiting = waiting(120);
    assertThat(waiting.path("language").asText()).isEqualTo("de");
    assertThat(waiting.path("routing").path("reasons").toString()).contains("waiting: language de: Greta is at cap (1/1)");

    reload(GRETA.lines().filter(l -> !l.contains("Greta")).reduce("", (a, l) -> a + l + "\n"));

    JsonNode served = served(120);
    assertThat(served.path("assignee").path("name").asText()).as("an agent of en, the default language")
        .isEqualTo("Alice");
    assertThat(served.path("language").asText()).as("the ticket keeps its language").isEqualTo("de");
    List<String> reasons = toList(served.path("routing").path("reasons"));
    assertThat(reasons).as("/why").contains("language de: no agent speaks it, agents of en (the default) instead")
        .anyMatch(r -> r.startsWith("from the waiting line after ") && r.endsWith("(capacity freed: configuration reloaded)"))
        .noneMatch(r -> r.contains("no agent with language de"));
    assertThat(served.path("audit")).anySatisfy(e -> {
      assertThat(e.path("event").asText()).isEqualTo("ASSIGNED");
      assertThat(e.path("reason").asText()).contains("language de: no agent speaks it, agents of en (the default) instead")
          .contains("lowest load").contains("Alice");
      assertThat(e.path("reason").asText().split("no agent speaks it", -1)).as("said once").hasSize(2);
    });
  }

  /**
   * The reverse: a German ticket that came while nobody spoke German waits for the agents of the
   * default language (Alice, at cap), and keeps its own language in the line. When a reload brings
   * a German speaker, the line asks for German again and she takes it, though Alice is still busy;
   * the redirect is judged at each look, not stored with the ticket.
   */
  @Test
  void aTicketRedirectedToTheDefaultLanguageGoesToASpeakerOfItsOwnWhenAReloadAddsOne() throws Exception {
    String noGerman = GRETA.lines().filter(l -> !l.contains("Greta")).reduce("", (a, l) -> a + l + "\n")
        .replace("languages: [en], max-open: 4", "languages: [en], max-open: 1");
    reload(noGerman);
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 300, 301, customer(6201, "en"), "Sync error",
        "The app shows a sync error when I open it", now));
    assertThat(f.awaitTicket(id(300), x -> x.path("assignee").hasNonNull("name")).path("assignee").path("name").asText())
        .isEqualTo("Alice");
    f.postUpdate(UpdateJson.textInTopic(2, CHAT, 310, 311, customer(6202, "de"), "Zahlung",
        "Meine Zahlung ist fehlgeschlagen, bitte helfen Sie mir schnell weiter", now + 1));
    JsonNode waiting = f.awaitTicket(id(310), x -> x.path("routing").path("reasons").toString().contains("waiting"));
    assertThat(waiting.path("language").asText()).isEqualTo("de");
    assertThat(toList(waiting.path("routing").path("reasons")))
        .contains("language de: no agent speaks it, agents of en (the default) instead")
        .anyMatch(r -> r.startsWith("waiting: language en: Alice is at cap (1/1)"));

    reload(GRETA.replace("languages: [en], max-open: 4", "languages: [en], max-open: 1")); // Greta joins

    JsonNode served = f.awaitTicket(id(310), x -> x.path("assignee").hasNonNull("name"));
    assertThat(served.path("assignee").path("name").asText()).as("the German speaker, Alice still busy")
        .isEqualTo("Greta");
    assertThat(served.path("language").asText()).isEqualTo("de");
    assertThat(served.path("audit")).anySatisfy(e -> {
      assertThat(e.path("event").asText()).isEqualTo("ASSIGNED");
      assertThat(e.path("reason").asText()).contains("Greta").doesNotContain("no agent speaks it");
    });
  }

  /**
   * A reload that changes the rules does not route a waiting ticket again: it keeps the queue its
   * routing chose and waits for its agents. Once no agent has that queue's skill (billing renamed
   * payments, on the agents too) the skill is ignored, as for a new ticket, and the next free agent
   * takes it, saying so in /why.
   */
  @Test
  void aWaitingTicketKeepsItsQueueThroughARulesReloadAndIsServedWhenNoAgentHasItsSkillAnyMore() throws Exception {
    reload(BILLING);
    long now = UpdateJson.now();
    f.postUpdate(UpdateJson.textInTopic(1, CHAT, 200, 201, customer(6101, "en"), "Charged twice",
        "I was charged twice for my order", now));
    assertThat(agentOf(200)).isEqualTo("Alice");
    f.postUpdate(UpdateJson.textInTopic(2, CHAT, 210, 211, customer(6102, "en"), "Refund",
        "Where is my refund for the cancelled order?", now + 1));
    JsonNode waiting = waiting(210);
    assertThat(waiting.path("queue").asText()).isEqualTo("billing");
    assertThat(waiting.path("routing").path("reasons").toString()).contains("waiting: skill billing: Alice is at cap (1/1)");

    // new keywords: "refund" would now be technical, yet the waiting ticket stays billing and waits for Alice
    reload(BILLING.replace("billing: ['refund|invoice|charged']", "billing: ['invoice|charged']")
        .replace("technical: ['crash|error']", "technical: ['crash|error|refund']"));
    Thread.sleep(3_000); // the line was served at the reload: a move would have been made by now
    JsonNode kept = f.json("/api/tickets/" + id(210));
    assertThat(kept.path("assignee").isNull()).as("still waiting for Alice; Boris is free").isTrue();
    assertThat(kept.path("queue").asText()).isEqualTo("billing");

    // billing renamed payments, in the rules and on Alice: nobody has billing any more
    reload(BILLING.replace("billing", "payments"));
    JsonNode served = served(210);
    assertThat(served.path("assignee").path("name").asText()).isEqualTo("Boris");
    assertThat(served.path("queue").asText()).as("the queue its routing chose").isEqualTo("billing");
    assertThat(toList(served.path("routing").path("reasons"))).as("/why")
        .contains("no agent with skill billing: ignored")
        .anyMatch(r -> r.endsWith("(capacity freed: configuration reloaded)"));
  }

  private static UpdateJson.Sender customer(long id, String languageCode) {
    return new UpdateJson.Sender(id, "Customer" + id, null, languageCode);
  }

  /** The ticket of topic {@code thread} once an agent has it. */
  private JsonNode served(long thread) {
    return f.awaitTicket(id(thread), x -> x.path("assignee").hasNonNull("name"));
  }

  /** The name of the agent who has the ticket of topic {@code thread}, once one has it. */
  private String agentOf(long thread) {
    return served(thread).path("assignee").path("name").asText();
  }

  /** The ticket of topic {@code thread} once routing put it in the waiting line. */
  private JsonNode waiting(long thread) {
    return f.awaitTicket(id(thread), x -> x.path("routing").path("reasons").toString().contains("waiting"));
  }

  private static String id(long thread) {
    return "ticket-" + CHAT + "-" + thread;
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** FORUMDESK_CONFIG rewritten to {@code yaml}, and read again. */
  private void reload(String yaml) throws Exception {
    f.rewriteConfig(yaml, Instant.now().plusSeconds(5 + reloads++ * 5L));
  }

  private int reloads;
}
