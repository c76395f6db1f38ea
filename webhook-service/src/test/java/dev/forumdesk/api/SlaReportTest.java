package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Lifecycle;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
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
    return run(runId, thread, status, created, null, firstResponse, audit);
  }

  /** @param clockFrom when the first-response clock started, if not at {@code created} */
  static TicketState run(String runId, long thread, Status status, Instant created, Instant clockFrom,
      Instant firstResponse, List<AuditEntry> audit) {
    TicketState s = TicketState.unopened(-100, thread, TicketPolicy.defaults());
    return new TicketState(s.id(), s.chatId(), s.threadId(), true, "t", null, null, status, s.priority(),
        s.level(), "billing", null, ALICE, null, null, null, created, firstResponse, null, null, 0, null,
        s.sla(), s.routing(), audit, List.of(), 1, s.policy(),
        new Lifecycle(null, null, null, List.of(), runId, false, clockFrom), s.clocks());
  }

  /** {@code s} with this SLA's breaches, as the ticket recorded them. */
  static TicketState withBreaches(TicketState s, dev.forumdesk.ticket.Breach... breaches) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), new dev.forumdesk.ticket.SlaState(null, null, null, false, List.of(breaches)), s.routing(),
        s.audit(), s.seenEvents(), s.version(), s.policy(), s.lifecycle(), s.clocks());
  }

  /**
   * Audit 6, F15: resolving a ticket nobody answered is no met first response. The report counts it
   * apart and as a miss, breached or not (and once, if breached); a topic staff opened that the
   * customer never wrote in owed no answer.
   */
  @Test
  void aTicketResolvedWithoutAnyReplyIsAMissedFirstResponseCountedApart() {
    TicketState answered = run("r1", 60, Status.IN_PROGRESS, T, T.plusSeconds(120), List.of(entry(0, "OPENED", "topic created: A")));
    TicketState resolvedUnanswered = run("r1", 61, Status.CLOSED, T, null, List.of(
        entry(0, "OPENED", "topic created: How do I reset my password?"),
        entry(1, "RESOLVED", "resolved by Boris"),
        entry(2, "CLOSED", "resolved for 1 min without a customer message")));
    TicketState breachedThenResolved = withBreaches(run("r1", 62, Status.RESOLVED, T, null, List.of(
            entry(0, "OPENED", "topic created: C"),
            entry(30, "ESCALATED", "first response over PT30M"),
            entry(40, "RESOLVED", "resolved by Alice"))),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1800), T.plusSeconds(1800)));
    TicketState base = run("r1", 63, Status.RESOLVED, T, null, List.of(new AuditEntry(T, "OPENED", "topic created: Call", "agent:1001")));
    TicketState staffOpenedNobodyWrote = new TicketState(base.id(), base.chatId(), base.threadId(), true, "t", null, null,
        Status.RESOLVED, base.priority(), base.level(), "billing", null, ALICE, null, null, null, T, null, null, null, 0,
        null, base.sla(), base.routing(), base.audit(), List.of(), 1, base.policy(),
        new Lifecycle(null, null, null, List.of(), "r1", true, null), base.clocks());

    SlaReport.Figures before = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(answered), null, TEAM).total();
    assertThat(before.firstResponseCompliancePercent()).isEqualTo(100.0);

    SlaReport.Figures day = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC",
        List.of(answered, resolvedUnanswered, breachedThenResolved, staffOpenedNobodyWrote), null, TEAM).total();
    assertThat(day.resolvedWithoutReply()).isEqualTo(2);
    assertThat(day.resolved()).isEqualTo(3);
    assertThat(day.firstResponseBreached()).isEqualTo(1);
    assertThat(day.firstResponded()).isEqualTo(1);
    // one in time of three decided: not 50 % (the breach alone) nor 100 % (the answer alone)
    assertThat(day.firstResponseCompliancePercent()).isEqualTo(33.3);
    assertThat(Json.write(day)).contains("\"resolvedWithoutReply\":2");
  }

  /**
   * Audit 16, F2: a /resolve written by the resolution due that reached Forumdesk after it withdrew the
   * breach from the ticket (lifecycle rules 12). The audit keeps the SLA_BREACH entry, which happened;
   * the report counts the ticket's breaches, so that run has none, and one resolved late keeps its.
   */
  @Test
  void aResolutionBreachWithdrawnByALateResolveIsNotCounted() {
    TicketState withdrawn = run("r1", 64, Status.RESOLVED, T, T.plusSeconds(60), List.of(
        entry(0, "OPENED", "topic created: D"),
        entry(119, "RESOLVED", "resolved by Alice, in time: written by the deadline, it reached Forumdesk after it"
            + " (breach withdrawn)"),
        entry(120, "SLA_BREACH", "not resolved within PT2H")));
    TicketState late = withBreaches(run("r1", 65, Status.RESOLVED, T, T.plusSeconds(60), List.of(
            entry(0, "OPENED", "topic created: E"),
            entry(120, "SLA_BREACH", "not resolved within PT2H"),
            entry(121, "RESOLVED", "resolved by Alice"))),
        new dev.forumdesk.ticket.Breach("resolution", T.plusSeconds(7200), T.plusSeconds(7200)));

    SlaReport.Figures day = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(withdrawn, late), null, TEAM).total();

    assertThat(day.resolutionBreached()).isEqualTo(1);
    assertThat(day.resolved()).isEqualTo(2);
  }

  /**
   * Audit 19a F3: a help desk's reply written by the first-response due but pulled after it (the help
   * desk was down) withdrew the breach; the escalation that only that breach made (and the chain's,
   * had it run) stays in the audit, as the ping was sent, but the run is not counted escalated. One
   * answered late, or escalated by hand, still is.
   */
  @Test
  void anEscalationOnlyAWithdrawnFirstResponseBreachMadeIsNotCounted() {
    TicketState withdrawn = assignedTo(run("r1", 66, Status.IN_PROGRESS, T, T.plusSeconds(170), List.of(
        entry(0, "OPENED", "topic created: F"),
        new AuditEntry(T.plusSeconds(170), "FIRST_RESPONSE", "first agent reply, in time: written by the deadline,"
            + " it reached Forumdesk after it (breach withdrawn)", "zammad:max", new Person(0, "max (via Zammad)", null)),
        entry(3, "ESCALATED", "first response over PT3M"),
        entry(6, "ESCALATED", "still no first response PT3M after the escalation: Level 2"))), BORIS);
    TicketState late = withBreaches(run("r1", 67, Status.IN_PROGRESS, T, T.plusSeconds(240), List.of(
            entry(0, "OPENED", "topic created: G"),
            entry(3, "ESCALATED", "first response over PT3M"),
            entry(4, "FIRST_RESPONSE", "first agent reply"))),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(180), T.plusSeconds(180)));
    TicketState byHand = run("r1", 68, Status.ESCALATED, T, T.plusSeconds(100), List.of(
        entry(0, "OPENED", "topic created: H"),
        new AuditEntry(T.plusSeconds(100), "FIRST_RESPONSE", "first agent reply, in time: written by the deadline,"
            + " it reached Forumdesk after it (breach withdrawn)", "agent:1001", ALICE),
        entry(3, "ESCALATED", "first response over PT3M"),
        entry(10, "ESCALATED", "Level 2: needs DB access")));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(withdrawn, late, byHand), null, TEAM);

    assertThat(report.total().escalated()).as("the late one and the one escalated by hand").isEqualTo(2);
    assertThat(report.total().firstResponseBreached()).isEqualTo(1);
    assertThat(withdrawn.audit()).filteredOn(e -> e.event().equals("ESCALATED")).hasSize(2);
    assertThat(report.byAssignee().get("Boris").escalated()).as("Boris's run: the breach was withdrawn").isZero();
    assertThat(report.byAssignee().get("Alice").escalated()).isEqualTo(2);
  }

  static final Person SVEN = new Person(1004, "Sven", "sven");
  static final Person BORIS = new Person(1002, "Boris", "boris");
  static final Person CARMEN = new Person(1003, "Carmen", "carmen");
  /** The team ({@code agents:}), as the report is given it. */
  static final java.util.Set<Long> TEAM = java.util.Set.of(ALICE.id(), SVEN.id(), BORIS.id(), CARMEN.id());

  static AuditEntry about(int seconds, String event, String actor, Person agent) {
    return new AuditEntry(T.plusSeconds(seconds), event, event.toLowerCase(java.util.Locale.ROOT), actor, agent);
  }

  /** {@code s} now assigned to {@code agent}. */
  static TicketState assignedTo(TicketState s, Person agent) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), agent, s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), s.audit(), s.seenEvents(), s.version(), s.policy(), s.lifecycle(), s.clocks());
  }

  /**
   * Audit 6, F10: the first response is credited to the agent who wrote it, a breach and an
   * escalation to whoever held the ticket then, not all of it to the assignee at the day's end.
   */
  @Test
  void eachAgentIsCreditedWithTheirOwnPartOfATicket() {
    // Sven answers in 41 s, Alice escalates while Sven holds it, a supervisor gives it to Carmen
    TicketState answeredBySven = assignedTo(run("r1", 70, Status.ESCALATED, T, T.plusSeconds(41), List.of(
        about(0, "OPENED", "customer:5001", null),
        about(5, "ASSIGNED", "system", SVEN),
        about(41, "FIRST_RESPONSE", "agent:1004", SVEN),
        about(300, "ESCALATED", "agent:1001", null),
        about(400, "ASSIGNED", "supervisor:900001", CARMEN))), CARMEN);
    // nobody answers Boris's ticket in time; it breaches while he holds it, Carmen takes it and answers
    TicketState lateByCarmen = withBreaches(assignedTo(run("r1", 71, Status.IN_PROGRESS, T, T.plusSeconds(2_160), List.of(
            about(0, "OPENED", "customer:5002", null),
            about(5, "ASSIGNED", "system", BORIS),
            about(1_800, "ESCALATED", "system", null),
            about(2_100, "REASSIGNED", "agent:1002", CARMEN),
            about(2_160, "FIRST_RESPONSE", "agent:1003", CARMEN))), CARMEN),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(answeredBySven, lateByCarmen), null, TEAM);

    SlaReport.Figures sven = report.byAssignee().get("Sven");
    assertThat(sven).as("absent before: all went to Carmen").isNotNull();
    assertThat(sven.tickets()).isEqualTo(1);
    assertThat(sven.firstResponded()).isEqualTo(1);
    assertThat(sven.medianFirstResponseSeconds()).isEqualTo(41);
    assertThat(sven.firstResponseCompliancePercent()).isEqualTo(100.0);
    assertThat(sven.escalated()).as("escalated while he held it").isEqualTo(1);
    assertThat(sven.open()).as("no longer his").isZero();

    SlaReport.Figures boris = report.byAssignee().get("Boris");
    assertThat(boris.firstResponseBreached()).isEqualTo(1);
    assertThat(boris.firstResponseCompliancePercent()).isEqualTo(0.0);
    assertThat(boris.escalated()).isEqualTo(1);
    assertThat(boris.firstResponded()).isZero();

    SlaReport.Figures carmen = report.byAssignee().get("Carmen");
    assertThat(carmen.tickets()).isEqualTo(2);
    assertThat(carmen.open()).isEqualTo(2);
    assertThat(carmen.firstResponded()).as("her late answer, not Sven's").isEqualTo(1);
    assertThat(carmen.medianFirstResponseSeconds()).isEqualTo(2_160);
    assertThat(carmen.firstResponseBreached()).as("the breach was Boris's").isZero();
    assertThat(carmen.escalated()).isZero();

    // the day as a whole is unchanged by who is credited
    assertThat(report.total().firstResponded()).isEqualTo(2);
    assertThat(report.total().firstResponseBreached()).isEqualTo(1);
    assertThat(report.total().escalated()).isEqualTo(2);
    assertThat(report.total().firstResponseCompliancePercent()).isEqualTo(50.0);
  }

  /**
   * Audit 20a, F6: the updates of Boris's ticket arrived hours late (after an outage, dated by
   * Telegram when they were sent), so its first-response deadline had passed when it reached the
   * desk: the breach (and its escalation) fired a second before routing gave the ticket to Boris,
   * who had answered an hour after the opening. The report had an "unassigned" row for a ticket
   * Boris held (7 rows for 6 tickets) and Boris at 100 % in time. A breach or escalation before
   * anyone held the run is the first agent's who took it: each run is in its holder's row, once, and
   * "unassigned" states apart only the runs nobody held. A run that waited in the line for a free
   * agent and breached meanwhile is, likewise, the late answer of the agent who then took it.
   */
  @Test
  void aBreachBeforeAnyoneHeldTheTicketIsTheFirstHoldersAndNoRowOfNobodysOwn() {
    int arrived = 100_000; // the desk got the updates ~27 h after Telegram dated them
    TicketState lateArrival = withBreaches(assignedTo(run("r1", 501, Status.IN_PROGRESS, T, T.plusSeconds(3_600),
            List.of(about(0, "OPENED", "customer:5501", null),
                about(arrived, "ESCALATED", "system", null),
                about(arrived + 1, "ASSIGNED", "system", BORIS),
                about(3_600, "FIRST_RESPONSE", "agent:1002", BORIS))), BORIS),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(arrived)));
    TicketState borisInTime = assignedTo(run("r1", 502, Status.IN_PROGRESS, T, T.plusSeconds(60), List.of(
        about(0, "OPENED", "customer:5502", null), about(2, "ASSIGNED", "system", BORIS),
        about(60, "FIRST_RESPONSE", "agent:1002", BORIS))), BORIS);
    TicketState aliceInTime = run("r1", 503, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of(
        about(0, "OPENED", "customer:5503", null), about(2, "ASSIGNED", "system", ALICE),
        about(30, "FIRST_RESPONSE", "agent:1001", ALICE)));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC",
        List.of(lateArrival, borisInTime, aliceInTime), null, TEAM);

    assertThat(report.byAssignee()).as("no row for nobody: every ticket had an agent").containsOnlyKeys("Alice", "Boris");
    SlaReport.Figures boris = report.byAssignee().get("Boris");
    assertThat(boris.tickets()).isEqualTo(2);
    assertThat(boris.firstResponseBreached()).as("he answered an hour after the opening").isEqualTo(1);
    assertThat(boris.firstResponseCompliancePercent()).as("100 % before").isEqualTo(50.0);
    assertThat(boris.escalated()).isEqualTo(1);
    assertThat(report.byAssignee().values().stream().mapToInt(SlaReport.Figures::tickets).sum())
        .as("the rows add up to the day's tickets").isEqualTo(report.total().tickets());
    assertThat(DailySlaReport.text(report)).doesNotContain("Unassigned")
        .contains("\nWorst agent: Boris — 50 % in time, 1 breach in 2 tickets");

    // waited in the line while everyone was at cap, breached, then Carmen took it and answered;
    // another breached and nobody has taken it yet
    TicketState waited = withBreaches(assignedTo(run("r1", 504, Status.IN_PROGRESS, T, T.plusSeconds(2_460), List.of(
            about(0, "OPENED", "customer:5504", null), about(2, "WAITING", "system", null),
            about(1_800, "ESCALATED", "system", null),
            about(2_400, "ASSIGNED", "system", CARMEN),
            about(2_460, "FIRST_RESPONSE", "agent:1003", CARMEN))), CARMEN),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));
    TicketState stillWaiting = withBreaches(assignedTo(run("r1", 505, Status.NEW, T, null, List.of(
            about(0, "OPENED", "customer:5505", null), about(2, "WAITING", "system", null),
            about(1_800, "ESCALATED", "system", null))), null),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));

    SlaReport.Report line = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(waited, stillWaiting), null, TEAM);

    SlaReport.Figures carmen = line.byAssignee().get("Carmen");
    assertThat(carmen.tickets()).isEqualTo(1);
    assertThat(carmen.firstResponded()).isEqualTo(1);
    assertThat(carmen.firstResponseBreached()).isEqualTo(1);
    assertThat(carmen.firstResponseCompliancePercent()).isEqualTo(0.0);
    assertThat(carmen.escalated()).isEqualTo(1);
    SlaReport.Figures nobody = line.byAssignee().get("unassigned");
    assertThat(nobody.tickets()).as("only the one nobody held").isEqualTo(1);
    assertThat(nobody.firstResponseBreached()).isEqualTo(1);
    assertThat(nobody.escalated()).isEqualTo(1);
    assertThat(DailySlaReport.text(line)).contains("\nUnassigned: 1 ticket, 0 % in time, 1 breach");
  }

  /**
   * A breach while the run waited unheld after its agent left (audit RELEASED: /away with nobody
   * free, or a reload that removed them) is the next agent's who took it, as one before anyone held
   * it; the "unassigned" row's while nobody has. Not the departed agent's: Boris had handed it back
   * ten minutes in, twenty before its deadline.
   */
  @Test
  void aBreachWhileTheRunWaitedAfterItsAgentLeftIsTheNextHoldersOrUnassigned() {
    TicketState retaken = withBreaches(assignedTo(run("r1", 601, Status.IN_PROGRESS, T, T.plusSeconds(2_460), List.of(
            about(0, "OPENED", "customer:5601", null),
            about(5, "ASSIGNED", "system", BORIS),
            about(600, "RELEASED", "agent:1002", null),
            about(1_800, "ESCALATED", "system", null),
            about(2_400, "ASSIGNED", "system", CARMEN),
            about(2_460, "FIRST_RESPONSE", "agent:1003", CARMEN))), CARMEN),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));
    TicketState notRetaken = withBreaches(assignedTo(run("r1", 602, Status.NEW, T, null, List.of(
            about(0, "OPENED", "customer:5602", null),
            about(5, "ASSIGNED", "system", BORIS),
            about(600, "RELEASED", "system", null),
            about(1_800, "ESCALATED", "system", null))), null),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));
    // held by Boris when it breached, then released: still his
    TicketState breachedWhileHeld = withBreaches(assignedTo(run("r1", 603, Status.NEW, T, null, List.of(
            about(0, "OPENED", "customer:5603", null),
            about(5, "ASSIGNED", "system", BORIS),
            about(1_800, "ESCALATED", "system", null),
            about(2_000, "RELEASED", "system", null))), null),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC",
        List.of(retaken, notRetaken, breachedWhileHeld), null, TEAM);

    SlaReport.Figures carmen = report.byAssignee().get("Carmen");
    assertThat(carmen.tickets()).isEqualTo(1);
    assertThat(carmen.firstResponseBreached()).as("she took it late").isEqualTo(1);
    assertThat(carmen.escalated()).isEqualTo(1);
    SlaReport.Figures nobody = report.byAssignee().get("unassigned");
    assertThat(nobody.tickets()).isEqualTo(2);
    assertThat(nobody.firstResponseBreached()).as("the one nobody took again").isEqualTo(1);
    assertThat(nobody.escalated()).isEqualTo(1);
    SlaReport.Figures boris = report.byAssignee().get("Boris");
    assertThat(boris.tickets()).as("only the one that breached in his hands").isEqualTo(1);
    assertThat(boris.firstResponseBreached()).isEqualTo(1);
    assertThat(boris.escalated()).isEqualTo(1);
  }

  /**
   * Reviewer: a run recorded before the audit named the agent in ASSIGNED/REASSIGNED credits its assignee with
   * all of it (README), a release in it or not: its breach after the release, the run taken again by Carmen
   * (by an assignment that names nobody), is Carmen's, not an "unassigned" row's.
   */
  @Test
  void aRunRecordedBeforeAssignmentsNamedTheAgentCreditsItsAssigneeAfterARelease() {
    TicketState old = withBreaches(assignedTo(run("r1", 604, Status.IN_PROGRESS, T, T.plusSeconds(2_460), List.of(
            about(0, "OPENED", "customer:5604", null),
            about(5, "ASSIGNED", "system", null),
            about(600, "RELEASED", "system", null),
            about(1_800, "ESCALATED", "system", null),
            about(2_400, "REASSIGNED", "system", null),
            about(2_460, "FIRST_RESPONSE", "agent:1003", null))), CARMEN),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(1_800), T.plusSeconds(1_800)));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(old), null, TEAM);

    SlaReport.Figures carmen = report.byAssignee().get("Carmen");
    assertThat(carmen.tickets()).isEqualTo(1);
    assertThat(carmen.firstResponseBreached()).isEqualTo(1);
    assertThat(carmen.escalated()).isEqualTo(1);
    assertThat(report.byAssignee()).doesNotContainKey("unassigned");
  }

  static final BusinessHours BERLIN_OFFICE = new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00");

  /** {@code s} opened under these business hours (its policy's): its clocks ran on them. */
  static TicketState underHours(TicketState s, BusinessHours hours) {
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), s.audit(), s.seenEvents(), s.version(),
        s.policy().withBusinessHours(hours), s.lifecycle(), s.clocks());
  }

  /**
   * Opened Friday 17:50 in Berlin, answered Monday 09:05: 15 business minutes, as the SLA clock
   * counted them (no breach), not the 63 hours between. The report says which measure it uses.
   */
  @Test
  void withBusinessHoursTheFirstResponseIsMeasuredInBusinessTimeAsTheClocksDo() {
    Instant fridayEvening = Instant.parse("2026-12-04T16:50:00Z"); // 17:50 in Berlin
    Instant mondayMorning = Instant.parse("2026-12-07T08:05:00Z"); // 09:05
    TicketState weekend = run("r1", 44, Status.IN_PROGRESS, fridayEvening, mondayMorning,
        List.of(new AuditEntry(fridayEvening, "OPENED", "topic created: Friday", "customer:5001")));

    SlaReport.Report business = SlaReport.of(LocalDate.of(2026, 12, 4), "Europe/Berlin",
        List.of(underHours(weekend, BERLIN_OFFICE)), BERLIN_OFFICE, TEAM);
    SlaReport.Report wall = SlaReport.of(LocalDate.of(2026, 12, 4), "Europe/Berlin", List.of(weekend), null, TEAM);

    assertThat(business.measure()).isEqualTo("business hours");
    assertThat(business.total().medianFirstResponseSeconds()).isEqualTo(15 * 60);
    assertThat(business.total().p90FirstResponseSeconds()).isEqualTo(15 * 60);
    assertThat(business.byQueue().get("billing").medianFirstResponseSeconds()).isEqualTo(15 * 60);
    assertThat(wall.measure()).isEqualTo("wall clock");
    assertThat(wall.total().medianFirstResponseSeconds()).isEqualTo(Duration.ofHours(63).plusMinutes(15).toSeconds());
    assertThat(Json.write(business)).contains("\"measure\":\"business hours\"");
  }

  /**
   * Audit 20a F2/F5: the report measures by the ticket's own hours, lunch break and holidays too:
   * opened 11:55 and answered 13:05 is 10 minutes; opened on Christmas Eve at 17:55 and answered on
   * Monday 28 Dec at 09:05 (Christmas a holiday, no hours at weekends) is 10 minutes.
   */
  @Test
  void theFirstResponseIsMeasuredWithoutTheLunchBreakAndTheHolidays() {
    BusinessHours split = BusinessHours.of("Europe/Berlin", List.of("Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00"),
        List.of("2026-12-25"));
    Instant beforeLunch = Instant.parse("2026-12-03T10:55:00Z"); // Thursday 11:55 in Berlin
    TicketState lunch = underHours(run("r1", 45, Status.IN_PROGRESS, beforeLunch, beforeLunch.plus(Duration.ofMinutes(70)),
        List.of()), split);
    SlaReport.Report thursday = SlaReport.of(LocalDate.of(2026, 12, 3), "Europe/Berlin", List.of(lunch), split, TEAM);
    assertThat(thursday.measure()).isEqualTo("business hours");
    assertThat(thursday.total().medianFirstResponseSeconds()).isEqualTo(10 * 60);

    Instant christmasEve = Instant.parse("2026-12-24T16:55:00Z");
    TicketState eve = underHours(run("r1", 46, Status.IN_PROGRESS, christmasEve, Instant.parse("2026-12-28T08:05:00Z"),
        List.of()), split);
    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 24), "Europe/Berlin", List.of(eve), split, TEAM);
    assertThat(report.total().medianFirstResponseSeconds()).isEqualTo(10 * 60);
  }

  static final BusinessHours WEEKENDS_IN_BERLIN = new BusinessHours("Europe/Berlin", "SAT-SUN", "09:00", "18:00");

  /**
   * Audit 8, F7: business hours turned on by a reload at 09:47 on a Friday. The runs opened before
   * keep the wall-clock clocks they were opened with, and the report measures them so: their 21 s
   * and 76 s stay, not "0 s" in the new calendar (Friday is outside SAT-SUN). A run opened after the
   * reload is measured in business time; a day with both says {@code "mixed"}, and how many of each.
   */
  @Test
  void eachRunIsMeasuredByTheCalendarItsClocksRanOnAndAMixedDaySaysSo() {
    Instant morning = Instant.parse("2026-12-04T09:00:00Z");
    TicketState quick = run("r1", 80, Status.IN_PROGRESS, morning, morning.plusSeconds(21), List.of());
    TicketState slower = run("r1", 81, Status.IN_PROGRESS, morning, morning.plusSeconds(76), List.of());
    Instant afterReload = Instant.parse("2026-12-04T09:48:00Z");
    TicketState opened = underHours(run("r1", 82, Status.IN_PROGRESS, afterReload, afterReload.plusSeconds(60),
        List.of()), WEEKENDS_IN_BERLIN);
    LocalDate friday = LocalDate.of(2026, 12, 4);

    SlaReport.Report beforeAny = SlaReport.of(friday, "UTC", List.of(quick, slower), WEEKENDS_IN_BERLIN, TEAM);
    assertThat(beforeAny.measure()).as("the runs' calendar, not the configuration's now").isEqualTo("wall clock");
    assertThat(beforeAny.total().medianFirstResponseSeconds()).isEqualTo(21);
    assertThat(beforeAny.total().p90FirstResponseSeconds()).isEqualTo(76);

    SlaReport.Report mixed = SlaReport.of(friday, "UTC", List.of(quick, slower, opened), WEEKENDS_IN_BERLIN, TEAM);
    assertThat(mixed.measure()).isEqualTo("mixed");
    assertThat(mixed.measures()).containsExactly(java.util.Map.entry("business hours", 1), java.util.Map.entry("wall clock", 2));
    assertThat(mixed.total().medianFirstResponseSeconds()).as("0 s, 21 s, 76 s").isEqualTo(21);
    assertThat(mixed.total().p90FirstResponseSeconds()).isEqualTo(76);
    assertThat(Json.write(mixed)).contains("\"measure\":\"mixed\"");

    assertThat(SlaReport.of(friday, "UTC", List.of(), WEEKENDS_IN_BERLIN, TEAM).measure())
        .as("no run: as the configuration measures now").isEqualTo("business hours");
  }

  /**
   * A topic staff opened: its first-response clock started with the customer's first word, an hour
   * later; the report measures from there, as the clock did.
   */
  @Test
  void aStaffOpenedTicketsFirstResponseIsMeasuredFromTheCustomersFirstWord() {
    TicketState staffOpened = run("r1", 45, Status.IN_PROGRESS, T, T.plusSeconds(3_600), T.plusSeconds(3_720),
        List.of(new AuditEntry(T, "OPENED", "topic created: Call back", "agent:1001")));
    TicketState older = run("r1", 46, Status.IN_PROGRESS, T, T.plusSeconds(300),
        List.of(new AuditEntry(T, "OPENED", "topic created: Mine", "customer:5001")));

    assertThat(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(staffOpened), null, TEAM).total()
        .medianFirstResponseSeconds()).isEqualTo(120);
    assertThat(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(staffOpened), BERLIN_OFFICE, TEAM).total()
        .medianFirstResponseSeconds()).as("Thursday 11:00-11:02 in Berlin, inside the hours").isEqualTo(120);
    assertThat(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(older), null, TEAM).total()
        .medianFirstResponseSeconds()).as("no moment kept: from the opening").isEqualTo(300);
  }

  /** The first-response clock pauses on hold: so does the report's measure. */
  @Test
  void timeOnHoldBeforeTheFirstResponseIsNotCounted() {
    TicketState held = run("r1", 47, Status.IN_PROGRESS, T, T.plusSeconds(70 * 60), List.of(
        entry(0, "OPENED", "topic created: Waiting"),
        entry(5, "ON_HOLD", "waiting for logs"),
        entry(65, "RESUMED", "customer wrote"),
        entry(70, "FIRST_RESPONSE", "first agent reply")));
    TicketState stillHeld = run("r1", 48, Status.ON_HOLD, T, T.plusSeconds(30 * 60), List.of(
        entry(0, "OPENED", "topic created: Held"),
        entry(20, "ON_HOLD", "waiting for logs"),
        entry(30, "FIRST_RESPONSE", "first agent reply")));

    assertThat(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(held), null, TEAM).total()
        .medianFirstResponseSeconds()).isEqualTo(10 * 60);
    assertThat(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(stillHeld), null, TEAM).total()
        .medianFirstResponseSeconds()).isEqualTo(20 * 60);
  }

  @Test
  void aFollowUpRunIsEscalatedOnlyByEscalationsOfItsOwn() {
    List<AuditEntry> first = List.of(
        entry(0, "OPENED", "topic created: Refund"),
        entry(30, "ESCALATED", "first response over PT30M"),
        entry(31, "FIRST_RESPONSE", "first agent reply"),
        entry(40, "RESOLVED", "resolved by Alice"),
        entry(50, "CLOSED", "resolved for 10 min without a customer message"));
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

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(run1, run2, run3), null, TEAM);

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

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(recurring), null, TEAM);

    assertThat(report.total().escalated()).isZero();
  }

  /** {@code s} routed to {@code queue} (its ROUTED entry) and then moved to Level 2, as the workflow does. */
  static TicketState routedThenLevel2(TicketState s, String queue) {
    List<AuditEntry> audit = new ArrayList<>(s.audit());
    audit.add(new AuditEntry(s.createdAt().plusSeconds(2), "ROUTED", "queue " + queue + ", category " + queue
        + ", priority NORMAL", "system"));
    audit.add(new AuditEntry(s.createdAt().plusSeconds(120), "ESCALATED",
        "still no first response PT1M after the escalation: Level 2", "system"));
    return new TicketState(s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), 2, "level2", queue, s.assignee(), s.language(), s.sentiment(),
        s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(), s.lastActivityAt(), s.reopenCount(),
        s.followUpOf(), s.sla(), s.routing(), audit, s.seenEvents(), s.version(), s.policy(), s.lifecycle(), s.clocks());
  }

  /**
   * Audit 8, F5: the escalation chain moved most of a burst to Level 2. Each run still counts in the
   * queue it was routed to, so the lead sees which queue is failing; the levels are a breakdown of
   * their own, and the daily post's worst queue is a real one, not "level2".
   */
  @Test
  void eachRunCountsInTheQueueItWasRoutedToAndTheLevelsApart() {
    List<AuditEntry> opened = List.of(entry(0, "OPENED", "topic created: Invoice"));
    TicketState answered = run("r1", 90, Status.IN_PROGRESS, T, T.plusSeconds(30), opened);
    TicketState billingLate = withBreaches(routedThenLevel2(run("r1", 91, Status.ESCALATED, T, null, opened), "billing"),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(60), T.plusSeconds(60)));
    TicketState billingLater = withBreaches(routedThenLevel2(run("r1", 92, Status.ESCALATED, T, null, opened), "billing"),
        new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(60), T.plusSeconds(60)));
    TicketState technical = routedThenLevel2(run("r1", 93, Status.ESCALATED, T, T.plusSeconds(50), opened), "technical");

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC",
        List.of(answered, billingLate, billingLater, technical), null, TEAM);

    assertThat(report.byQueue()).containsOnlyKeys("billing", "technical");
    assertThat(report.byQueue().get("billing").tickets()).isEqualTo(3);
    assertThat(report.byQueue().get("billing").firstResponseBreached()).isEqualTo(2);
    assertThat(report.byLevel()).containsOnlyKeys("1", "2");
    assertThat(report.byLevel().get("2").tickets()).isEqualTo(3);
    assertThat(report.byLevel().get("1").tickets()).isEqualTo(1);
    assertThat(DailySlaReport.text(report)).contains("Worst queue: billing — 33.3 % in time, 2 breaches in 3 tickets")
        .doesNotContain("level2");
  }

  /**
   * Audit 12, F5: "Worst agent: unassigned — 0 % in time, 186 breaches in 93 tickets". Nobody is
   * no agent: the post ranks agents only and states the unassigned tickets apart; the API keeps its
   * {@code "unassigned"} row.
   */
  @Test
  void theDailyPostRanksAgentsOnlyAndStatesUnassignedTicketsApart() {
    dev.forumdesk.ticket.Breach late = new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(60),
        T.plusSeconds(60));
    TicketState alice = run("r1", 1, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of());
    TicketState boris = withBreaches(assignedTo(run("r1", 2, Status.IN_PROGRESS, T, T.plusSeconds(90), List.of()), BORIS),
        late);
    TicketState nobody1 = withBreaches(assignedTo(run("r1", 3, Status.NEW, T, null, List.of()), null), late);
    TicketState nobody2 = withBreaches(assignedTo(run("r1", 4, Status.NEW, T, null, List.of()), null), late);

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(alice, boris, nobody1, nobody2), null, TEAM);

    assertThat(report.byAssignee()).as("the API's rows as before").containsOnlyKeys("Alice", "Boris", "unassigned");
    assertThat(DailySlaReport.text(report))
        .contains("\nWorst agent: Boris — 0 % in time, 1 breach in 1 ticket")
        .contains("\nUnassigned: 2 tickets, 0 % in time, 2 breaches")
        .doesNotContain("Worst agent: unassigned");
  }

  /**
   * Audit 16, F3: Alice answered every ticket in time; Boris's only ticket is still unanswered and
   * not yet breached (no compliance) and two are unassigned. Alice is the only agent rated: the post
   * named her "Worst agent — 100 % in time, 0 breaches". One rated agent has nobody to be worse
   * than; and among several, an agent all in time without a breach is nobody's worst.
   */
  @Test
  void noWorstAgentWhenOnlyOneIsRatedOrTheWorstHasNothingToBlame() {
    dev.forumdesk.ticket.Breach late = new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(60),
        T.plusSeconds(60));
    TicketState alice = run("r1", 1, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of());
    TicketState boris = assignedTo(run("r1", 2, Status.NEW, T, null, List.of()), BORIS);
    TicketState nobody1 = withBreaches(assignedTo(run("r1", 3, Status.NEW, T, null, List.of()), null), late);
    TicketState nobody2 = withBreaches(assignedTo(run("r1", 4, Status.NEW, T, null, List.of()), null), late);
    SlaReport.Report oneRated = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(alice, boris, nobody1, nobody2), null, TEAM);
    assertThat(oneRated.byAssignee().get("Boris").firstResponseCompliancePercent()).isNull();
    assertThat(DailySlaReport.text(oneRated)).doesNotContain("Worst agent").contains("\nUnassigned: 2 tickets");

    TicketState borisInTime = assignedTo(run("r1", 5, Status.IN_PROGRESS, T, T.plusSeconds(20), List.of()), BORIS);
    SlaReport.Report allInTime = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(alice, borisInTime), null, TEAM);
    assertThat(DailySlaReport.text(allInTime)).doesNotContain("Worst agent");
  }

  /** With no ticket left unassigned, no such line. */
  @Test
  void noUnassignedLineWhenEveryTicketHadAnAgent() {
    TicketState alice = run("r1", 1, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of());
    TicketState boris = assignedTo(run("r1", 2, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of()), BORIS);
    assertThat(DailySlaReport.text(SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(alice, boris), null, TEAM)))
        .doesNotContain("Unassigned");
  }

  /**
   * Audit 18b, F2: RT's answers on Alice's tickets came as "Enoch Root (via Request Tracker)" (no
   * Telegram id): the report had a row for that login, ranked like an agent, and Alice's row lost
   * those first responses. A reply through the help desk, or a supervisor's who is no agent, is the
   * first response of the ticket's assignee; byAssignee has only the team's rows.
   */
  @Test
  void aFirstResponseThroughTheHelpDeskCountsForTheTicketsAssigneeAndIsNoRowOfItsOwn() {
    Person enoch = new Person(0, "Enoch Root (via Request Tracker)", null);
    Person supervisor = new Person(900001, "Sue", "sue");
    dev.forumdesk.ticket.Breach late = new dev.forumdesk.ticket.Breach("first-response", T.plusSeconds(60),
        T.plusSeconds(60));
    TicketState viaRt = run("r1", 80, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of(
        about(0, "OPENED", "customer:5001", null), about(2, "ASSIGNED", "system", ALICE),
        about(30, "FIRST_RESPONSE", "agent:0", enoch)));
    TicketState viaRtLate = withBreaches(run("r1", 81, Status.IN_PROGRESS, T, T.plusSeconds(90), List.of(
        about(0, "OPENED", "customer:5002", null), about(2, "ASSIGNED", "system", ALICE),
        about(90, "FIRST_RESPONSE", "agent:0", enoch))), late);
    TicketState bySupervisor = assignedTo(run("r1", 82, Status.IN_PROGRESS, T, T.plusSeconds(20), List.of(
        about(0, "OPENED", "customer:5003", null), about(2, "ASSIGNED", "system", BORIS),
        about(20, "FIRST_RESPONSE", "supervisor:900001", supervisor))), BORIS);
    TicketState byAlice = run("r1", 83, Status.IN_PROGRESS, T, T.plusSeconds(10), List.of(
        about(0, "OPENED", "customer:5004", null), about(2, "ASSIGNED", "system", ALICE),
        about(10, "FIRST_RESPONSE", "agent:1001", ALICE)));
    List<TicketState> day = List.of(viaRt, viaRtLate, bySupervisor, byAlice);

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", day, null,
        java.util.Set.of(ALICE.id(), BORIS.id()));

    assertThat(report.byAssignee()).containsOnlyKeys("Alice", "Boris");
    SlaReport.Figures alice = report.byAssignee().get("Alice");
    assertThat(alice.tickets()).isEqualTo(3);
    assertThat(alice.firstResponded()).as("RT's two answers on her tickets and her own").isEqualTo(3);
    assertThat(alice.firstResponseCompliancePercent()).isEqualTo(66.7);
    assertThat(alice.medianFirstResponseSeconds()).isEqualTo(30);
    assertThat(report.byAssignee().get("Boris").firstResponded()).as("the supervisor's answer on his ticket").isEqualTo(1);
    assertThat(report.byAssignee().values().stream().mapToInt(SlaReport.Figures::tickets).sum())
        .as("the rows add up to the day's tickets").isEqualTo(report.total().tickets());
    assertThat(DailySlaReport.text(report)).doesNotContain("Enoch").doesNotContain("Sue");

    SlaReport.Report noAgents = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", day, null, java.util.Set.of());
    assertThat(noAgents.byAssignee()).as("agents: empty: the help desk's writer and the supervisor are nobody's rows")
        .containsOnlyKeys("Alice", "Boris");
    assertThat(noAgents.byAssignee().get("Alice").firstResponded()).as("her own answer, written as an agent, too")
        .isEqualTo(3);
  }

  /**
   * Audit 18b, F3: the next-response breaches (a customer's message no agent answered within
   * {@code sla.next-response}) were nowhere in the report. Each missed deadline counts, per
   * assignee for whoever held the ticket then; the daily post says them and counts them among the
   * breaches it ranks by.
   */
  @Test
  void nextResponseBreachesAreCountedEachForWhoeverHeldTheTicket() {
    dev.forumdesk.ticket.Breach first = new dev.forumdesk.ticket.Breach("next-response", T.plusSeconds(600),
        T.plusSeconds(600));
    dev.forumdesk.ticket.Breach second = new dev.forumdesk.ticket.Breach("next-response", T.plusSeconds(1_500),
        T.plusSeconds(1_500));
    TicketState twice = withBreaches(assignedTo(run("r1", 90, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of(
        about(0, "OPENED", "customer:5001", null), about(2, "ASSIGNED", "system", BORIS),
        about(30, "FIRST_RESPONSE", "agent:1002", BORIS),
        about(1_000, "REASSIGNED", "agent:1002", CARMEN))), CARMEN), first, second);
    TicketState answered = run("r1", 91, Status.IN_PROGRESS, T, T.plusSeconds(20), List.of(
        about(0, "OPENED", "customer:5002", null), about(2, "ASSIGNED", "system", ALICE),
        about(20, "FIRST_RESPONSE", "agent:1001", ALICE)));

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(twice, answered), null, TEAM);

    assertThat(report.total().nextResponseBreached()).isEqualTo(2);
    assertThat(report.byAssignee().get("Boris").nextResponseBreached()).isEqualTo(1);
    assertThat(report.byAssignee().get("Carmen").nextResponseBreached()).isEqualTo(1);
    assertThat(report.byAssignee().get("Alice").nextResponseBreached()).isZero();
    assertThat(report.byQueue().get("billing").nextResponseBreached()).isEqualTo(2);
    assertThat(Json.write(report.total())).contains("\"nextResponseBreached\":2").contains("\"firstResponseBreached\":0");
    assertThat(DailySlaReport.text(report))
        .contains("\nBreaches: 0 first response · 2 next response · 0 resolution · escalated 0");
  }

  /**
   * A first response through the help desk on a ticket that changed hands: RT answered while Alice
   * held it, and Boris got it later. The response (and its time) is Alice's, who held the ticket
   * when it was written, as a breach then would have been; not the later assignee's.
   */
  @Test
  void aFirstResponseThroughTheHelpDeskCountsForWhoeverHeldTheTicketThen() {
    Person enoch = new Person(0, "Enoch Root (via Request Tracker)", null);
    TicketState handedOn = assignedTo(run("r1", 95, Status.IN_PROGRESS, T, T.plusSeconds(30), List.of(
        about(0, "OPENED", "customer:5001", null), about(2, "ASSIGNED", "system", ALICE),
        about(30, "FIRST_RESPONSE", "agent:0", enoch),
        about(600, "REASSIGNED", "agent:1001", BORIS))), BORIS);

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(handedOn), null,
        java.util.Set.of(ALICE.id(), BORIS.id()));

    assertThat(report.byAssignee().get("Alice").firstResponded()).as("RT answered while she held it").isEqualTo(1);
    assertThat(report.byAssignee().get("Alice").medianFirstResponseSeconds()).isEqualTo(30);
    assertThat(report.byAssignee().get("Boris").firstResponded()).as("he got it after the answer").isZero();
    assertThat(report.byAssignee().get("Boris").open()).as("the run's outcome is its assignee's").isEqualTo(1);
  }

  /**
   * An agent who answered as an agent (audit actor "agent:1003") and was removed from {@code
   * agents:} since: a later report of that day still credits the answer to her, not to whoever the
   * ticket was assigned to; a supervisor's answer still counts for the assignee.
   */
  @Test
  void aFirstResponseOfAnAgentRemovedSinceIsStillHers() {
    TicketState carmens = assignedTo(run("r1", 96, Status.IN_PROGRESS, T, T.plusSeconds(40), List.of(
        about(0, "OPENED", "customer:5001", null), about(2, "ASSIGNED", "system", BORIS),
        about(40, "FIRST_RESPONSE", "agent:1003", CARMEN))), BORIS);
    Person sue = new Person(900001, "Sue", "sue");
    TicketState sues = assignedTo(run("r1", 97, Status.IN_PROGRESS, T, T.plusSeconds(20), List.of(
        about(0, "OPENED", "customer:5002", null), about(2, "ASSIGNED", "system", BORIS),
        about(20, "FIRST_RESPONSE", "supervisor:900001", sue))), BORIS);

    SlaReport.Report report = SlaReport.of(LocalDate.of(2026, 12, 3), "UTC", List.of(carmens, sues), null,
        java.util.Set.of(ALICE.id(), BORIS.id())); // Carmen no longer in agents:

    assertThat(report.byAssignee()).containsOnlyKeys("Boris", "Carmen");
    assertThat(report.byAssignee().get("Carmen").firstResponded()).as("she wrote it, as an agent").isEqualTo(1);
    assertThat(report.byAssignee().get("Carmen").medianFirstResponseSeconds()).isEqualTo(40);
    assertThat(report.byAssignee().get("Boris").firstResponded()).as("the supervisor's answer only").isEqualTo(1);
  }
}
