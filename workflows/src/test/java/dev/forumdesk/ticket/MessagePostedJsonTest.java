package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A message event as Temporal stores it: messages recorded before {@code topicName} read and write as before. */
class MessagePostedJsonTest {
  private final DataConverter converter = DefaultDataConverter.newDefaultInstance();
  private final Person bob = new Person(5001, "Bob", "bob");

  private TicketEvent read(String json) {
    Payload p = converter.toPayload("").orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    return converter.fromPayload(p, TicketEvent.class, TicketEvent.class);
  }

  private String write(TicketEvent e) {
    return converter.toPayload(e).orElseThrow().getData().toStringUtf8();
  }

  @Test
  void aMessageRecordedBeforeTopicNameNamesNoTopic() {
    TicketEvent old = read("""
        {"type":"messagePosted","eventId":"u7","at":"2026-01-01T10:00:00Z",
         "from":{"id":5001,"name":"Bob","username":"bob"},"role":"CUSTOMER","messageId":311,"text":"hi"}""");
    assertThat(old).isEqualTo(new TicketEvent.MessagePosted("u7", Instant.parse("2026-01-01T10:00:00Z"), bob,
        Role.CUSTOMER, 311, "hi"));
    assertThat(((TicketEvent.MessagePosted) old).topicName()).isNull();
  }

  @Test
  void topicNameIsLeftOutWhenNullAndKeptWhenSet() {
    Instant at = Instant.parse("2026-01-01T10:00:00Z");
    assertThat(write(new TicketEvent.MessagePosted("u8", at, bob, Role.CUSTOMER, 312, "hi"))).doesNotContain("topicName");
    TicketEvent named = new TicketEvent.MessagePosted("u9", at, bob, Role.CUSTOMER, 313, "hi", "Login fails");
    assertThat(read(write(named))).isEqualTo(named);
  }
}
