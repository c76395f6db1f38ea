package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Lifecycle;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daily report over a day's runs. A follow-up run starts with its predecessor's whole audit
 * trail: only its own entries, from its OPENED on, say what happened to it.
 */
class SlaReportTest {
  static final Person ALICE = new Person(1001, "Alice", "alice");
  static final Instant T = Instant.parse("2026-12-03T09:00:00Z");

  static AuditEntry entry(int minute, String event, String reason) {
    return new AuditEntry(T.plusSeconds(60L * minute), event, reason, "system");
  }

  static TicketState run(String runId, long thread, Status status, Instant created, Instant firstResponse,
      List<AuditEntry> audit) {
    TicketState s = TicketState.unopened(-100, thread, TicketPolicy.defaults());
    return new TicketState(s.id(), s.chatId(), s.threadId(), true, "t", null, null, status, s.priority(),
        s.level(), "billing", null, ALICE, null, null, null, created, firstResponse, null, null, 0, null,
        s.sla(), s.routing(), audit, List.of(), 1, s.policy(), new Lifecycle(null, null, null, List.of(), runId, false),
        s.clocks());
  }

  @Test
  void aFollowUpRunIsEscalatedOnlyByEscalationsOfItsOwn() {
    List<AuditEntry> first = List.of(
        entry(0, "OPENED", "topic created: Refund"),
        entry(30, "ESCALATED", "first response over PT30M"),
        entry(31, "FIRST_RESPONSE", "first agent reply"),
        entry(40, "RESOLVED", "resolved by Alice"),
        entry(50, "CLOSED", "resolved for PT10M without a customer message"));
    TicketState run1 = run("r1", 42, Status.CLOSED, T, T.plusSeconds(31 * 60), first);
    List<AuditEntry> second = new ArrayList<>(first);
    second.addAll(List.of(
        entry(60, "OPENED", "follow-up of closed run r1"),
        entry(60, "ROUTED", "queue billing, category billing, priority NORMAL"),
        entry(60, "ASSIGNED", "sticky: customer's last agent Alice"),
        entry(62, "FIRST_RESPONSE", "first agent reply"),
        entry(70, "RESOLVED", "resolved by Alice")));
    TicketState run2 = run("r2", 42, Status.RESOLVED, T.plusSeconds(3_600), T.plusSeconds(62 * 60), second);
    List<AuditEntry> third = new ArrayList<>(second);
    third.addAll(List.of(entry(80, "OPENED", "follow-up of closed run r2"), entry(85, "ESCALATED", "Level 2: needs DB access")));
    TicketState run3 = run("r3", 42, Status.ESCALATED, T.plusSeconds(80 * 60), null, third);

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(run1, run2, run3));

    assertThat(report.byAssignee().get("Alice").tickets()).isEqualTo(3);
    assertThat(report.byAssignee().get("Alice").escalated()).as("runs 1 and 3, not run 2").isEqualTo(2);
    assertThat(report.total().medianFirstResponseSeconds()).isEqualTo(120);
    assertThat(report.total().firstResponded()).isEqualTo(2);
  }

  @Test
  void aRecurringCustomersRoutingToTheSeniorGroupIsNotAnEscalationOfTheTicket() {
    TicketState recurring = run("r1", 43, Status.NEW, T, null, List.of(
        entry(0, "OPENED", "topic created: Again"),
        entry(0, "ESCALATED", "recurring customer: 6 tickets within P7D → senior")));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(recurring));

    assertThat(report.total().escalated()).isZero();
  }
}
