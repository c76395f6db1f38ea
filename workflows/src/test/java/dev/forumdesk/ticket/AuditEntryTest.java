package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEntryTest {
  static final Instant T = Instant.parse("2026-12-03T12:10:22Z");

  @Test
  void aReplyDatedBeforeRoutingButProcessedAfterItIsListedBeforeRouted() {
    List<AuditEntry> recorded = List.of(
        new AuditEntry(T, "OPENED", "topic created", "customer:5001"),
        new AuditEntry(T.plusMillis(32_676), "ROUTED", "queue billing", "system"),
        new AuditEntry(T.plusMillis(33_650), "ASSIGNED", "lowest load", "system"),
        new AuditEntry(T.plusSeconds(25), "FIRST_RESPONSE", "agent replied", "agent:1001"));

    assertThat(AuditEntry.oldestFirst(recorded)).extracting(AuditEntry::event)
        .containsExactly("OPENED", "FIRST_RESPONSE", "ROUTED", "ASSIGNED");
  }

  /** The agent an entry names goes through Temporal's payloads; an entry naming none keeps its four fields. */
  @Test
  void theAgentAnEntryNamesSurvivesThePayloadAndIsLeftOutWhenThereIsNone() {
    var converter = HistoryJson.converter();
    AuditEntry assigned = new AuditEntry(T, "ASSIGNED", "lowest load", "system", new Person(1004, "Sven", "sven"));
    AuditEntry plain = new AuditEntry(T, "OPENED", "topic created", "customer:5001");
    var payload = converter.toPayload(plain).orElseThrow();
    assertThat(payload.getData().toStringUtf8()).doesNotContain("agent");
    assertThat(converter.fromPayload(payload, AuditEntry.class, AuditEntry.class)).isEqualTo(plain);
    assertThat(converter.fromPayload(converter.toPayload(assigned).orElseThrow(), AuditEntry.class, AuditEntry.class))
        .isEqualTo(assigned);
  }

  /**
   * Audit 14, F3: an API hold 6 ms into a second, then the assignee's /resume in that second, which
   * Telegram dates in whole seconds. Listed by instant, the trail read RESUMED before ON_HOLD.
   */
  @Test
  void anApiActionAndATelegramCommandOfTheSameSecondAreListedInTheOrderTheyWereApplied() {
    List<AuditEntry> recorded = List.of(
        new AuditEntry(T, "OPENED", "topic created", "customer:5001"),
        new AuditEntry(T.plusSeconds(34).plusMillis(6), "ON_HOLD", "api hold", "api"),
        new AuditEntry(T.plusSeconds(34), "RESUMED", "resumed by Alice", "agent:1001"),
        new AuditEntry(T.plusSeconds(35), "PRIORITY", "HIGH", "api"));

    assertThat(AuditEntry.oldestFirst(recorded)).extracting(AuditEntry::event)
        .containsExactly("OPENED", "ON_HOLD", "RESUMED", "PRIORITY");
  }

  @Test
  void entriesOfTheSameInstantKeepTheOrderTheyWereRecordedIn() {
    List<AuditEntry> recorded = List.of(
        new AuditEntry(T, "OPENED", "", "system"),
        new AuditEntry(T, "PRIORITY", "", "system"),
        new AuditEntry(T, "ESCALATED", "", "system"));

    assertThat(AuditEntry.oldestFirst(recorded)).extracting(AuditEntry::event)
        .containsExactly("OPENED", "PRIORITY", "ESCALATED");
  }
}
