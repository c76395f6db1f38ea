package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A history written by a newer release, with fields this one does not know, still reads. */
class HistoryJsonTest {
  private static Optional<Payloads> newerCommand() {
    Optional<Payloads> written = HistoryJson.converter().toPayloads(new CommandRequest(
        "u1", Instant.parse("2026-12-03T10:00:00Z"), new Person(1001, "Alice", "alice"), Role.AGENT, "hold",
        "vendor", "telegram"));
    String json = written.orElseThrow().getPayloads(0).getData().toStringUtf8();
    String newer = json.substring(0, json.length() - 1) + ",\"quoteOf\":{\"messageId\":7}}";
    return Optional.of(Payloads.newBuilder().addPayloads(written.get().getPayloads(0).toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(newer))).build());
  }

  @Test
  void aFieldFromANewerReleaseIsSkipped() {
    CommandRequest read = HistoryJson.converter()
        .fromPayloads(0, newerCommand(), CommandRequest.class, CommandRequest.class);
    assertThat(read.name()).isEqualTo("hold");
    assertThat(read.args()).isEqualTo("vendor");
    assertThat(read.from().username()).isEqualTo("alice");
  }

  @Test
  void temporalsOwnDefaultWouldRefuseIt() {
    assertThatThrownBy(() -> DefaultDataConverter.newDefaultInstance()
        .fromPayloads(0, newerCommand(), CommandRequest.class, CommandRequest.class))
        .isInstanceOf(DataConverterException.class).hasMessageContaining("quoteOf");
  }
}
