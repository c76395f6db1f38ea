package dev.forumdesk.assignment;

import static dev.forumdesk.assignment.AgentPickerTest.ALICE;
import static dev.forumdesk.assignment.AgentPickerTest.BORIS;
import static dev.forumdesk.assignment.AgentPickerTest.CARMEN;
import static dev.forumdesk.assignment.AgentPickerTest.c;
import static dev.forumdesk.assignment.AgentPickerTest.offShift;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.ticket.RefusalKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReassignmentTest {
  static final AgentRequirements EN = new AgentRequirements("en", null, null, 1, null);
  static final List<Candidate> AGENTS = List.of(
      c(ALICE, true, 2, 2.0, null), c(BORIS, true, 4, 4.0, null), c(CARMEN, true, 1, 1.0, null));

  @Test
  void onlyTheAssigneeMayReassign() {
    assertThat(Reassignment.reassign(2, 1L, Optional.empty(), AGENTS, EN))
        .isEqualTo(new Reassignment.Refused(RefusalKind.FORBIDDEN,
            "only the assignee can /reassign this ticket; a supervisor can /assign it"));
  }

  @Test
  void aSupervisorReassignsATicketWhoseAssigneeLeftTheTeamAndNobodyElseMay() {
    long departed = 1002_000L; // assigned before a reload removed them from `agents`
    assertThat(Reassignment.reassign(900001, true, departed, Optional.empty(), AGENTS, EN))
        .isEqualTo(new Reassignment.Moved(CARMEN,
            "the assignee is no longer on the team; reassigned to next best Carmen"));
    assertThat(Reassignment.reassign(900001, true, departed, Optional.of("@alice"), AGENTS, EN))
        .isInstanceOfSatisfying(Reassignment.Moved.class, m -> assertThat(m.to()).isEqualTo(ALICE));
    // an agent still needs the assignee; a supervisor of a ticket whose assignee is on the team /assigns it
    assertThat(Reassignment.reassign(2, false, departed, Optional.empty(), AGENTS, EN))
        .isInstanceOf(Reassignment.Refused.class);
    assertThat(Reassignment.reassign(900001, true, 1L, Optional.empty(), AGENTS, EN))
        .isInstanceOf(Reassignment.Refused.class);
  }

  @Test
  void withoutANameTheNextBestOtherAgentTakesIt() {
    assertThat(Reassignment.reassign(1, 1L, Optional.empty(), AGENTS, EN))
        .isInstanceOfSatisfying(Reassignment.Moved.class, m -> {
          assertThat(m.to()).isEqualTo(CARMEN);
          assertThat(m.reason()).endsWith("reassigned to next best Carmen");
        });
  }

  @Test
  void theNamedAgentWhenCapableAndUnderCap() {
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@carmen"), AGENTS, EN))
        .isEqualTo(new Reassignment.Moved(CARMEN, "reassigned to Carmen as asked"));
  }

  @Test
  void aNamedAgentAtCapGivesTheNextBestWithTheReason() {
    assertThat(Reassignment.reassign(1, 1L, Optional.of("boris"), AGENTS, EN))
        .isEqualTo(new Reassignment.Moved(CARMEN, "Boris is at cap (4/4); reassigned to next best Carmen"));
  }

  @Test
  void anUnknownNameIsRefusedNamingTheKnownAgents() {
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@zed"), AGENTS, EN)).isEqualTo(
        new Reassignment.UnknownAgent("zed", "unknown agent @zed; known agents: @alice, @boris, @carmen"));
  }

  @Test
  void nobodyFreeIsRefused() {
    List<Candidate> full = List.of(c(ALICE, true, 2, 2.0, null), c(BORIS, true, 4, 4.0, null),
        c(CARMEN, false, 0, 0.0, null));
    assertThat(Reassignment.reassign(1, 1L, Optional.empty(), full, EN))
        .isEqualTo(new Reassignment.Unavailable(null, "no other capable agent has a free slot"));
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), full, EN)).isEqualTo(
        new Reassignment.Unavailable("Boris", "Boris is at cap (4/4); no other capable agent has a free slot"));
  }

  @Test
  void aSupervisorAssignsOverTheCapWithAnAuditReasonAndOthersCannot() {
    assertThat(Reassignment.assign(true, "@boris", AGENTS))
        .isEqualTo(new Reassignment.Moved(BORIS, "assigned to Boris by a supervisor over cap (4/4)", true));
    assertThat(Reassignment.assign(false, "@boris", AGENTS)).isEqualTo(new Reassignment.Refused(RefusalKind.FORBIDDEN,
        "only a supervisor can /assign; the assignee can /reassign"));
    assertThat(Reassignment.assign(true, "@nobody", AGENTS)).isEqualTo(new Reassignment.UnknownAgent("nobody",
        "unknown agent @nobody; known agents: @alice, @boris, @carmen"));
  }

  @Test
  void anOffShiftAgentNamedInAReassignIsPassedOverWithTheReason() {
    List<Candidate> agents = List.of(c(ALICE, true, 2, 2.0, null), offShift(BORIS, 0, 0.0), c(CARMEN, true, 1, 1.0, null));
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), agents, EN))
        .isEqualTo(new Reassignment.Moved(CARMEN,
            "Boris is off shift until Mon 09:00 Europe/Berlin; reassigned to next best Carmen"));
    assertThat(Reassignment.assign(true, "@boris", agents)).isEqualTo(new Reassignment.Moved(BORIS,
        "assigned to Boris by a supervisor while off shift until Mon 09:00 Europe/Berlin", true));
  }

  @Test
  void aNamedAgentWhoCannotTakeItIsToldWhichRequirementTheyLack() {
    // Spanish and the account skill: only Carmen has both. Boris is at cap too, but that is not why;
    // a requirement nobody has (team vip) is ignored, so it is no reason either
    AgentRequirements esAccount = new AgentRequirements("es", "account", "vip", 1, null);
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), AGENTS, esAccount))
        .isEqualTo(new Reassignment.Moved(CARMEN,
            "Boris lacks language es and skill account; no agent with team vip: ignored; reassigned to next best Carmen"));
    assertThat(AgentPicker.pick(AGENTS, new AgentRequirements("es", null, null, 1, 2L)).reasons())
        .contains("not sticky: Boris lacks language es");
  }

  @Test
  void aRefusalSaysTheNamedAgentIsAwayFirstAndWhatOnlyTheAskerHas() {
    // audit 8, F13: Alice (the only billing agent) asks for Boris, who is /away, on a Level 2 ticket
    AgentRequirements billingLevel2 = new AgentRequirements("en", "billing", null, 2, null);
    List<Candidate> agents = List.of(c(ALICE, true, 1, 1.0, null), c(BORIS, false, 0, 0.0, null),
        c(CARMEN, true, 2, 2.0, null));
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), agents, billingLevel2)).isEqualTo(
        new Reassignment.Unavailable("Boris", "Boris is away; no agent but Alice has skill billing: ignored;"
            + " no other capable agent has a free slot"));
    // away and lacking: the state first
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), agents, new AgentRequirements("es", null, null, 1, null)))
        .isEqualTo(new Reassignment.Unavailable("Boris", "Boris is away and lacks language es;"
            + " no other capable agent has a free slot"));
  }

  @Test
  void aLevel2TicketIsReassignedLikeTheWaitingLineAssignsIt() {
    // the level is a preference: a level 1 agent may take it as asked, and the next best is level 2 when free
    AgentRequirements level2 = new AgentRequirements("en", null, null, 2, null);
    List<Candidate> agents = List.of(c(ALICE, true, 1, 1.0, null), c(BORIS, true, 0, 0.0, null),
        c(AgentPickerTest.SVEN, true, 2, 2.0, null));
    assertThat(Reassignment.reassign(1, 1L, Optional.of("@boris"), agents, level2))
        .isEqualTo(new Reassignment.Moved(BORIS, "reassigned to Boris as asked"));
    assertThat(Reassignment.reassign(1, 1L, Optional.empty(), agents, level2))
        .isEqualTo(new Reassignment.Moved(AgentPickerTest.SVEN, "reassigned to next best Sven"));
  }

  @Test
  void whyListsReasonsLoadsAndShifts() {
    String text = Why.explain(List.of("category billing: matched 'refund'"),
        List.of(c(ALICE, true, 2, 2.5, null), c(BORIS, false, 0, 0, null), offShift(CARMEN, 1, 1.0)));
    assertThat(text).contains("• category billing: matched 'refund'", "• Alice: load 2.5, 2/4 open\n",
        "• Boris: load 0.0, 0/4 open, away", "• Carmen: load 1.0, 1/2 open, off shift until Mon 09:00 Europe/Berlin");
  }
}
