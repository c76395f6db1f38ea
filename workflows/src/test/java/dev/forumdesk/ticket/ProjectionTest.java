package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProjectionTest {
  static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
  static final TicketState BASE = TicketState.unopened(-100, 7, TicketPolicy.defaults());

  /** The ticket after {@code events} events: one audit entry and one seen id each. */
  static TicketState after(int events) {
    List<AuditEntry> audit = IntStream.range(0, events)
        .mapToObj(i -> new AuditEntry(T.plusSeconds(i), "MESSAGE", "message " + i, "customer:1")).toList();
    List<String> seen = IntStream.range(0, events).mapToObj(i -> "u" + i).toList();
    List<String> kept = seen.size() > Ticket.SEEN_EVENTS_KEPT ? seen.subList(seen.size() - Ticket.SEEN_EVENTS_KEPT, seen.size()) : seen;
    return withVersion(BASE.withHistory(audit, kept, BASE.policy()), events);
  }

  static TicketState withVersion(TicketState s, long version) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), s.audit(), s.seenEvents(), version, s.policy(), s.lifecycle(), s.clocks());
  }

  @Test
  void theFirstProjectionOfARunIsTheWholeSnapshot() {
    Projection p = Projection.after(null, after(3));
    assertThat(p.full()).isTrue();
    assertThat(p.head()).isEqualTo(after(3));
    assertThat(p.onto(null)).contains(after(3));
  }

  @Test
  void laterProjectionsCarryOnlyWhatChangedAndMergeToTheWholeSnapshot() {
    TicketState stored = after(5);
    Projection p = Projection.after(Projection.Mark.of(stored), after(8));
    assertThat(p.full()).isFalse();
    assertThat(p.head().audit()).extracting(AuditEntry::reason).containsExactly("message 5", "message 6", "message 7");
    assertThat(p.head().seenEvents()).containsExactly("u5", "u6", "u7");
    assertThat(p.head().policy()).as("fixed for the run, stored already").isNull();
    assertThat(p.onto(stored)).contains(after(8));
  }

  @Test
  void aLongConversationStaysSmallPerProjectionAndKeepsTheLast2000SeenIds() {
    TicketState stored = after(2_500);
    Projection p = Projection.after(Projection.Mark.of(stored), after(2_501));
    assertThat(p.head().audit()).hasSize(1);
    assertThat(p.head().seenEvents()).containsExactly("u2500");
    TicketState merged = p.onto(stored).orElseThrow();
    assertThat(merged).isEqualTo(after(2_501));
    assertThat(merged.seenEvents()).hasSize(Ticket.SEEN_EVENTS_KEPT).startsWith("u501").endsWith("u2500");
  }

  @Test
  void aDeltaThatDoesNotFollowTheStoredSnapshotIsAGap() {
    Projection p = Projection.after(Projection.Mark.of(after(5)), after(8));
    assertThatThrownBy(() -> p.onto(null)).isInstanceOf(Projection.Gap.class).hasMessageContaining("no stored snapshot");
    assertThatThrownBy(() -> p.onto(after(4))).isInstanceOf(Projection.Gap.class).hasMessageContaining("follows 5");
  }

  @Test
  void aRetriedOrOlderProjectionChangesNothing() {
    Projection p = Projection.after(Projection.Mark.of(after(5)), after(8));
    assertThat(p.onto(after(8))).isEmpty();
    assertThat(Projection.full(after(3)).onto(after(8))).isEmpty();
  }

  /**
   * A workflow task's first attempt projected CLOSED and was discarded (a signal came while it
   * ran); run again with the signal, it reopened the ticket under the same version. The read model
   * takes the second: it is the one in the workflow's history.
   */
  @Test
  void aProjectionOfTheSameVersionThatDiffersReplacesTheStoredOne() {
    TicketState before = after(5);
    TicketState discarded = withStatus(after(6), Status.CLOSED);
    TicketState rerun = withVersion(withStatus(after(7), Status.IN_PROGRESS), 6);
    Projection delta = Projection.after(Projection.Mark.of(before), rerun);

    assertThatThrownBy(() -> delta.onto(discarded)).as("it does not follow the discarded attempt")
        .isInstanceOf(Projection.Gap.class);
    assertThat(Projection.full(rerun).onto(discarded)).contains(rerun);
    assertThat(Projection.full(rerun).onto(rerun)).as("retried").isEmpty();
    assertThat(delta.onto(delta.onto(before).orElseThrow())).as("a retried delta").isEmpty();
  }

  static TicketState withStatus(TicketState s, Status status) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        status, s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), s.audit(), s.seenEvents(), s.version(), s.policy(), s.lifecycle(), s.clocks());
  }

  @Test
  void aMarkWhoseLastIdWasTrimmedAwayFallsBackToTheWholeSnapshot() {
    List<String> seen = new ArrayList<>(after(1).seenEvents());
    Projection.Mark gone = new Projection.Mark(1, "u-trimmed");
    assertThat(seen).doesNotContain("u-trimmed");
    assertThat(Projection.after(gone, after(3)).full()).isTrue();
  }
}
