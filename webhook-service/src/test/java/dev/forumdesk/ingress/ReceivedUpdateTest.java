package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The text rule of {@link ReceivedUpdate} where the update is a Java string already (long polling). */
class ReceivedUpdateTest {
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @Test
  void aLoneSurrogateCharacterIsReplacedAndAPairKept() {
    // long polling hands over the update as getUpdates' JSON node wrote it: a lone surrogate as a char
    String body = UpdateJson.topicCreated(1, -100, 42, BOB, "a \uD800 b \uD83D\uDE00 c \uDC00", UpdateJson.now());
    assertThat(ReceivedUpdate.mayHoldLoneSurrogate(body)).isTrue();
    String stored = ReceivedUpdate.normalised(Json.read(body, Update.class), body, Instant.now());
    assertThat(Json.read(stored, Update.class).message().forumTopicCreated().name())
        .isEqualTo("a \uFFFD b \uD83D\uDE00 c \uFFFD");
  }

  @Test
  void soundTextIsStoredAsSent() {
    String body = UpdateJson.topicCreated(2, -100, 42, BOB, "emoji \uD83D\uDE00, \\ud800 as text", UpdateJson.now());
    assertThat(ReceivedUpdate.mayHoldLoneSurrogate(body)).isFalse();
    assertThat(ReceivedUpdate.normalised(Json.read(body, Update.class), body, Instant.now())).isSameAs(body);
    assertThat(ReceivedUpdate.mayHoldLoneSurrogate("{\"a\":\"\\ud83d\\ude00\"}")).isFalse();
    assertThat(ReceivedUpdate.mayHoldLoneSurrogate("{\"a\":\"\\ud83d\\u0041\"}")).isTrue();
    assertThat(ReceivedUpdate.mayHoldLoneSurrogate("{\"a\":\"\\ud83d")).isTrue();
    assertThat(ReceivedUpdate.valid("x\uD83Dy")).isEqualTo("x\uFFFDy");
  }
}
