package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A command request as Temporal stores it: requests recorded before {@code answerIn} read as before. */
class CommandRequestJsonTest {
  private final DataConverter converter = DefaultDataConverter.newDefaultInstance();

  private CommandRequest read(String json) {
    Payload p = converter.toPayload("").orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    return converter.fromPayload(p, CommandRequest.class, CommandRequest.class);
  }

  private String write(CommandRequest r) {
    return converter.toPayload(r).orElseThrow().getData().toStringUtf8();
  }

  @Test
  void aRequestRecordedBeforeAnswerInIsAnsweredInTheTicketsTopic() {
    CommandRequest old = read("""
        {"eventId":"u7","at":"2026-01-01T10:00:00Z","from":{"id":1001,"name":"Alice","username":"alice"},
         "role":"AGENT","name":"hold","args":"x","source":"telegram"}""");
    assertThat(old.name()).isEqualTo("hold");
    assertThat(old.answerIn()).isNull();
  }

  @Test
  void answerInIsLeftOutWhenNullAndKeptWhenSet() {
    Person alice = new Person(1001, "Alice", "alice");
    CommandRequest inTopic = new CommandRequest("u8", Instant.parse("2026-01-01T10:00:00Z"), alice, Role.AGENT, "status", "",
        "telegram");
    assertThat(write(inTopic)).doesNotContain("answerIn");
    CommandRequest inLevel2 = new CommandRequest("u9", Instant.parse("2026-01-01T10:00:00Z"), alice, Role.AGENT, "status", "",
        "telegram", new ForumTopic(-1009876543210L, 77));
    assertThat(read(write(inLevel2))).isEqualTo(inLevel2);
  }
}
