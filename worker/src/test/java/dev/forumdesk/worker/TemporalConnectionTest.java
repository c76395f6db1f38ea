package dev.forumdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a cluster's namespace lacks of the search attributes tickets set. */
class TemporalConnectionTest {
  @Test
  void aServerThatCannotListSearchAttributesSaysSoRatherThanFailing() {
    // Temporal's Java test server (a second Forumdesk's embedded one, say) has no operator service
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
        TemporalConnection temporal = new TemporalConnection(server.target(), "default")) {
      assertThat(temporal.missingSearchAttributes(List.of("TicketStatus", "TicketQueue"))).isEmpty();
    }
  }

  @Test
  void aFrontendThatDoesNotAnswerIsAnError() {
    try (TemporalConnection temporal = new TemporalConnection("127.0.0.1:1", "default")) {
      assertThatThrownBy(() -> temporal.missingSearchAttributes(List.of("TicketStatus")))
          .isInstanceOf(RuntimeException.class);
    }
  }
}
