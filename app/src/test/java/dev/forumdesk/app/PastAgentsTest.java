package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who the classifier treats as a past agent: a row in agents, not configured, not the ticket's customer. */
class PastAgentsTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = Database.embedded(dir);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRemovedAgentWritesInOthersTicketsButNotInTheirOwnNorAnAgentOrACustomer() {
    db.jdbi().useHandle(h -> {
      h.execute("insert into agents (id, on_shift) values (1001, true), (1002, true)"); // Boris was an agent
      for (String[] t : new String[][] {{"ticket--100-42", "5001"}, {"ticket--100-43", "1002"}}) {
        h.createUpdate("insert into tickets (id, chat_id, thread_id, status, priority, level, queue, customer_id,"
                + " updated_at, version, state) values (:id, -100, 42, 'NEW', 'NORMAL', 1, 'general', :c, :now, 1, '{}')")
            .bind("id", t[0]).bind("c", Long.parseLong(t[1])).bind("now", Instant.now()).execute();
      }
    });
    PastAgents past = new PastAgents(db, LiveConfig.fixed(ConfigLoader.fromYaml("""
        support: {chat-id: -100, supervisors: [900001]}
        agents:
          - {id: 1001, name: Alice, username: alice}
        """)));
    assertThat(past.writesInOthersTicket(1002, "ticket--100-42")).as("Boris in Bob's ticket").isTrue();
    assertThat(past.writesInOthersTicket(1002, "ticket--100-43")).as("Boris in his own ticket").isFalse();
    assertThat(past.writesInOthersTicket(1002, "ticket--100-44")).as("a ticket not projected yet").isFalse();
    assertThat(past.writesInOthersTicket(1001, "ticket--100-42")).as("an agent").isFalse();
    assertThat(past.writesInOthersTicket(5001, "ticket--100-42")).as("the customer").isFalse();
  }
}
