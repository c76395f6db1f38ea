package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import org.junit.jupiter.api.Test;

/**
 * A command's reply as Temporal stores it (an update's result in the history): replies recorded
 * before {@code assignee} and {@code released} read as before, and a reply without them is written
 * as before.
 */
class CommandReplyJsonTest {
  private final DataConverter converter = HistoryJson.converter();

  private CommandReply read(String json) {
    Payload p = converter.toPayload("").orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    return converter.fromPayload(p, CommandReply.class, CommandReply.class);
  }

  private String write(CommandReply r) {
    return converter.toPayload(r).orElseThrow().getData().toStringUtf8();
  }

  @Test
  void aReplyRecordedBeforeTheAssigneeFieldReadsWithNoneAndNotReleased() {
    CommandReply old = read("""
        {"message":"👤 Reassigned to next best Alice.","status":"IN_PROGRESS","refused":false}""");
    assertThat(old).isEqualTo(new CommandReply("👤 Reassigned to next best Alice.", Status.IN_PROGRESS));
    assertThat(old.assignee()).isNull();
    assertThat(old.released()).isFalse();
  }

  @Test
  void theNewFieldsAreLeftOutWhenUnsetAndKeptWhenSet() {
    assertThat(write(new CommandReply("Done.", Status.RESOLVED)))
        .isEqualTo("{\"message\":\"Done.\",\"status\":\"RESOLVED\",\"refused\":false}");
    CommandReply moved = CommandReply.moved("👤 Reassigned to next best Alice B.", Status.IN_PROGRESS,
        new Person(1001, "Alice B.", "alice"));
    assertThat(read(write(moved))).isEqualTo(moved);
    CommandReply released = CommandReply.released("👤 Waiting for the next free agent.", Status.IN_PROGRESS);
    assertThat(write(released)).contains("\"released\":true").doesNotContain("assignee");
    assertThat(read(write(released))).isEqualTo(released);
  }
}
