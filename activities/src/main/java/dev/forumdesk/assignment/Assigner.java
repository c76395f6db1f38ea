package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.store.Database;
import dev.forumdesk.text.Words;
import dev.forumdesk.ticket.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assignment serialized by a row lock: every assignment first locks all agent rows
 * ({@code select ... for update}, in id order so two never deadlock), then reads the loads and
 * writes its choice in the same transaction. Two tickets can therefore never both see an agent's
 * last free slot. A Temporal RosterWorkflow would do the same, but the embedded Temporal server
 * forgets its state on restart and the database does not.
 *
 * <p>A ticket nobody can take now joins the {@link WaitingLine}. Every assignment serves that line
 * before the newcomer, and {@link #serveLine} serves it when capacity frees, the most urgent first
 * and then oldest first, so a slot goes to the most urgent ticket able to use it, of those the one
 * that has waited longest.
 */
public final class Assigner {
  private static final Logger log = LoggerFactory.getLogger(Assigner.class);

  private final Database db;
  private final Roster roster;
  private final Consumer<String> assignedFromLine;

  public Assigner(Database db, Roster roster) {
    this(db, roster, ticketId -> {});
  }

  /**
   * @param assignedFromLine told, after the commit, the id of each waiting ticket the line gave an
   *     agent on behalf of someone else (the app signals its workflow to record it now)
   */
  public Assigner(Database db, Roster roster, Consumer<String> assignedFromLine) {
    this.db = db;
    this.roster = roster;
    this.assignedFromLine = assignedFromLine;
  }

  /**
   * The ticket's agent: its assignment when it has one (a retried activity, or the line served it
   * meanwhile), else the usual rule's pick, else a place in the waiting line. A language nobody
   * speaks now asks for the agents of the default language ({@link Roster#spoken}), decided at
   * each look: the line keeps the ticket's own requirements. An assignment whose
   * agent a reload removed from {@code agents} is released first and the ticket assigned afresh,
   * with {@link #leftTheTeam} as its first reason.
   */
  public AssignResult assign(AssignRequest request) {
    Turns turns = db.jdbi().inTransaction(h -> {
      Optional<Held> held = held(h, request.ticketId());
      if (held.isPresent() && held.get().answer().isPresent()) {
        return new Turns(held.get().answer(), List.of()); // a retried activity, or the line served it meanwhile
      }
      lockAgents(h);
      // Again under the lock: the line's serving may have given this ticket an agent while this
      // transaction waited for the lock (at a restart with a raised cap, the line is served and the
      // restored tickets ask at once). Its answer is this ticket's; joining the line again would
      // record a second assignment, a duplicate key (audit 13, F4).
      held = held(h, request.ticketId());
      if (held.isPresent() && held.get().answer().isPresent()) {
        return new Turns(held.get().answer(), List.of());
      }
      List<String> first = List.of();
      if (held.isPresent()) {
        // its agent is no longer configured: the activity retried, a ticket restored from a snapshot
        // older than its assignment or the line's tell repeated, after a reload removed them. Its
        // workflow does not show that agent (it asks only while it has none), and DepartedAgents,
        // which moves what the read model shows them holding, does not see it: the assignment is
        // released, its load with it, and the ticket assigned afresh.
        h.createUpdate("delete from assignments where ticket_id = :t").bind("t", request.ticketId()).execute();
        first = List.of(leftTheTeam(h, held.get().agentId()));
      }
      WaitingLine.join(h, request, roster.now());
      return serve(h, request.ticketId(), request.requirements(), first, null);
    });
    tell(turns.others());
    return turns.requester().orElseThrow();
  }

  /**
   * Capacity may have freed (a resolve, /back, a shift start): serves the waiting line, the most
   * urgent first, then oldest first. @param cause for the reason the served tickets record
   * @return the tickets that got an agent
   */
  public List<String> serveLine(String cause) {
    Turns turns = db.jdbi().inTransaction(h -> {
      if (WaitingLine.isEmpty(h)) {
        return new Turns(Optional.empty(), List.of());
      }
      lockAgents(h);
      return serve(h, null, null, List.of(), cause);
    });
    tell(turns.others());
    return turns.others();
  }

  /** {@code requester}: the asking ticket's answer; {@code others}: waiting tickets that got an agent. */
  private record Turns(Optional<AssignResult> requester, List<String> others) {}

  /**
   * @param requesterFirst reasons that come first in the requester's answer and, when it gets an
   *     agent, in the reason its assignment records (a retry answers with that)
   */
  private Turns serve(Handle h, String requester, AgentRequirements requesterNeeds, List<String> requesterFirst,
      String cause) {
    Instant now = roster.now();
    List<Candidate> candidates = roster.candidates(h);
    if (candidates.stream().noneMatch(Candidate::available)) {
      // nobody can take anything: the line stays as it is, and reading it would cost a scan of
      // every waiting ticket per request (with 9,900 waiting, assignments crawled)
      if (requester == null) {
        return new Turns(Optional.empty(), List.of());
      }
      List<String> reasons = new ArrayList<>(requesterFirst);
      reasons.addAll(AgentPicker.pick(candidates, roster.spoken(requesterNeeds, reasons)).reasons());
      return new Turns(Optional.of(AssignResult.waiting(reasons)), List.of());
    }
    Optional<AssignResult> mine = Optional.empty();
    List<String> others = new ArrayList<>();
    List<WaitingLine.Place> line = WaitingLine.inOrder(h, requester);
    for (WaitingLine.Place p : line) {
      if (candidates.stream().noneMatch(Candidate::available)) {
        if (requester == null || mine.isPresent()) {
          break; // full again, and nobody here still needs an answer
        }
        if (!p.ticketId().equals(requester)) {
          continue; // full again: only the requester still needs its answer
        }
      }
      boolean isRequester = p.ticketId().equals(requester);
      // judged against the agents configured now: a reload may have removed the only speaker of its
      // language, or brought one back (the line keeps the ticket's own language, never the redirect)
      List<String> reasons = new ArrayList<>(isRequester ? requesterFirst : List.of());
      AgentPicker.Pick pick = AgentPicker.pick(candidates, roster.spoken(p.requirements(), reasons));
      if (pick.agent().isEmpty()) {
        if (isRequester) {
          mine = Optional.of(AssignResult.waiting(concat(reasons, pick.reasons())));
        }
        continue;
      }
      reasons.addAll(pick.reasons());
      long waited = Duration.between(p.since(), now).toSeconds();
      if (waited > 0 || !isRequester) {
        reasons.add("from the waiting line after " + waited + " s" + (cause == null ? "" : " (capacity freed: " + cause + ")"));
      }
      passedOver(line, p, candidates, pick.agent().get()).ifPresent(reasons::add);
      record(h, p.ticketId(), pick.agent().get(), p.weight(), String.join("; ", reasons));
      candidates = roster.candidates(h); // that agent's load changed
      if (isRequester) {
        mine = Optional.of(new AssignResult(person(pick.agent().get()), List.copyOf(reasons)));
      } else {
        others.add(p.ticketId());
      }
    }
    return new Turns(mine, others);
  }

  /**
   * "priority HIGH: served before 2 older tickets of priority NORMAL and LOW", when {@code p} took
   * {@code agent} ahead of older tickets of lower priority that {@code agent} could have taken
   * ({@code candidates}: the agents before the pick). All of them still wait: the line is served
   * in priority order, so none of them came before {@code p}.
   */
  private Optional<String> passedOver(List<WaitingLine.Place> line, WaitingLine.Place p,
      List<Candidate> candidates, AgentConfig agent) {
    List<WaitingLine.Place> older = line.stream()
        .filter(o -> o.priority().compareTo(p.priority()) < 0 && o.since().isBefore(p.since()))
        .filter(o -> AgentPicker.capable(candidates, roster.spoken(o.requirements(), new ArrayList<>()),
                new ArrayList<>()).stream()
            .anyMatch(c -> c.agent().id() == agent.id()))
        .toList();
    if (older.isEmpty()) {
      return Optional.empty();
    }
    List<String> priorities = older.stream().map(WaitingLine.Place::priority).distinct()
        .sorted(Comparator.reverseOrder()).map(Enum::name).toList();
    return Optional.of("priority " + p.priority() + ": served before " + Words.count(older.size(), "older ticket")
        + " of priority " + Words.and(priorities));
  }

  private void tell(List<String> served) {
    for (String ticketId : served) {
      try {
        assignedFromLine.accept(ticketId);
      } catch (RuntimeException e) {
        log.warn("could not tell {} it was assigned; the waiting line's sweep tells it again: {}", ticketId,
            e.toString());
      }
    }
  }

  /**
   * Tells again each open ticket the line gave an agent before {@code assignedBefore} whose read
   * model still shows none: its tell failed (Temporal unreachable) or the app stopped between the
   * commit and the tell. Its workflow then asks and finds the assignment.
   *
   * @return the tickets told again
   */
  public List<String> retellUntold(Instant assignedBefore) {
    List<String> untold = db.jdbi().withHandle(h -> h.createQuery(
            "select a.ticket_id from assignments a join tickets t on t.id = a.ticket_id where a.ticket_open"
                + " and t.assignee_id is null and t.status not in " + Roster.CLOSED_STATUSES
                + " and a.assigned_at < :before order by a.assigned_at")
        .bind("before", assignedBefore)
        .mapTo(String.class)
        .list());
    tell(untold);
    return untold;
  }

  /**
   * Stops counting assignments whose ticket the read model shows finished: a resolve projected
   * while its ticket's assignment was being recorded left it counted. Reads only the open
   * assignments, at most the agents' caps.
   *
   * @return how many it released
   */
  public int releaseFinished() {
    return db.jdbi().withHandle(h -> h.createUpdate("update assignments set ticket_open = false where ticket_open"
            + " and exists (select 1 from tickets t where t.id = assignments.ticket_id and t.status in "
            + Roster.CLOSED_STATUSES + ")")
        .execute());
  }

  /**
   * Runs a /reassign or /assign decision ({@link Reassignment}) under the assignment lock and
   * records a move. The ticket keeps its complexity weight.
   */
  public Reassignment.Outcome apply(String ticketId, Function<List<Candidate>, Reassignment.Outcome> decide) {
    return apply(ticketId, 1.0, decide);
  }

  /** @param weightIfNew the ticket's weight when it has no assignment yet (a waiting ticket) */
  public Reassignment.Outcome apply(String ticketId, double weightIfNew,
      Function<List<Candidate>, Reassignment.Outcome> decide) {
    return apply(ticketId, weightIfNew, null, decide);
  }

  /**
   * As {@link #apply(String, double, Function)}; a {@link Reassignment.Released} ticket (its
   * assignee left the team, nobody else is free) loses its assignment, and its agent's load with
   * it, and joins the waiting line with {@code requirements} as an assignment would: the line's
   * next freed slot that suits it takes it. The outcome's reason then begins with who left
   * ({@link #leftTheTeam}) and ends "waiting in the line".
   *
   * @param requirements the ticket's, as its routing decides them now (null: those of no
   *     particular agent)
   */
  public Reassignment.Outcome apply(String ticketId, double weightIfNew, AgentRequirements requirements,
      Function<List<Candidate>, Reassignment.Outcome> decide) {
    return db.jdbi().inTransaction(h -> {
      lockAgents(h);
      Reassignment.Outcome outcome = decide.apply(roster.candidates(h));
      if (outcome instanceof Reassignment.Moved moved) {
        double weight = takeOff(h, ticketId, weightIfNew);
        record(h, ticketId, moved.to(), weight, moved.reason());
      } else if (outcome instanceof Reassignment.Released released) {
        Optional<Held> held = held(h, ticketId);
        double weight = takeOff(h, ticketId, weightIfNew);
        AgentRequirements needs = requirements != null ? requirements : new AgentRequirements(null, null, null, 1, null);
        WaitingLine.join(h, new AssignRequest(ticketId, needs, weight), roster.now());
        List<String> why = new ArrayList<>();
        held.ifPresent(x -> why.add(leftTheTeam(h, x.agentId())));
        why.add(released.reason());
        why.add(WAITING_IN_THE_LINE);
        return new Reassignment.Released(String.join("; ", why));
      }
      return outcome;
    });
  }

  /**
   * Deletes the ticket's assignment, its agent's load with it: @return its complexity weight, which
   * the ticket keeps wherever it goes next ({@code weightIfNew} when it had no assignment)
   */
  private static double takeOff(Handle h, String ticketId, double weightIfNew) {
    double weight = h.createQuery("select weight from assignments where ticket_id = :t")
        .bind("t", ticketId).mapTo(Double.class).findOne().orElse(weightIfNew);
    h.createUpdate("delete from assignments where ticket_id = :t").bind("t", ticketId).execute();
    return weight;
  }

  /** The last part of a released ticket's reason: said in the topic too ({@link Why#forTopic}). */
  public static final String WAITING_IN_THE_LINE = "waiting in the line for the next free agent";

  /** The reason a ticket taken by answering records (audit ASSIGNED, /why). */
  public static final String TOOK_IT_BY_ANSWERING = "took it by answering first";

  /**
   * "First to answer takes it": the agent who gave the first response to a ticket waiting in the
   * line gets it, when within their cap (away or off shift included: they chose to answer); else it
   * stays in the line. Its workflow, waiting for an agent, is told and records the assignment.
   *
   * @return whether the agent took it
   */
  public boolean takeByAnswering(String ticketId, long agentId) {
    boolean taken = db.jdbi().inTransaction(h -> {
      lockAgents(h);
      Optional<WaitingLine.Place> place = WaitingLine.find(h, ticketId);
      Optional<Candidate> agent = roster.candidates(h).stream().filter(c -> c.agent().id() == agentId).findFirst();
      if (place.isEmpty() || agent.isEmpty() || !agent.get().hasSlot()) {
        return false;
      }
      record(h, ticketId, agent.get().agent(), place.get().weight(), TOOK_IT_BY_ANSWERING);
      return true;
    });
    if (taken) {
      tell(List.of(ticketId));
    }
    return taken;
  }

  /**
   * What the waiting line waits for on the ticket's behalf now, by the rule it is served by, for
   * /why: read when asked, for this ticket alone, without the assignment lock and without serving
   * it. A language nobody speaks gives its redirect first ({@link Roster#spoken}); then "waiting:
   * skill billing: Alice is at cap (1/1)", or, with an agent free for it now, "waiting: Alice is free
   * now: the waiting line gives the ticket out at its next look" (its next look is at most a
   * minute away). Empty when the ticket does not wait in the line.
   */
  public Optional<List<String>> waitingNow(String ticketId) {
    return db.jdbi().withHandle(h -> WaitingLine.find(h, ticketId).map(p -> {
      List<String> reasons = new ArrayList<>();
      AgentPicker.Pick pick = AgentPicker.pick(roster.candidates(h), roster.spoken(p.requirements(), reasons));
      if (pick.agent().isEmpty()) {
        reasons.addAll(pick.reasons());
      } else {
        reasons.add("waiting: " + pick.agent().get().name() + " is free now: the waiting line gives the ticket out"
            + " at its next look");
      }
      return List.copyOf(reasons);
    }));
  }

  /** The current holder of a ticket, if any. */
  public Optional<Long> holder(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select agent_id from assignments where ticket_id = :t")
        .bind("t", ticketId).mapTo(Long.class).findOne());
  }

  /**
   * A ticket's assignment: {@code answer} is what an Assign answers with, empty when its agent is no
   * longer configured.
   */
  private record Held(long agentId, Optional<AssignResult> answer) {}

  private Optional<Held> held(Handle h, String ticketId) {
    return h.createQuery("select agent_id, reason from assignments where ticket_id = :t")
        .bind("t", ticketId)
        .map((rs, ctx) -> {
          long id = rs.getLong(1);
          String reason = rs.getString(2);
          return new Held(id, roster.agents().stream().filter(a -> a.id() == id).findFirst()
              .map(a -> new AssignResult(person(a), reason == null ? List.of() : List.of(reason.split("; ")))));
        })
        .findOne();
  }

  /**
   * The reason a ticket assigned afresh gives first (audit ASSIGNED or WAITING, /why for staff):
   * "previous agent @boris is no longer on the team: assignment released". Their username is the
   * one the roster kept when the reload removed them; without one, their id. Not said in the
   * topic ({@link Why#forTopic}).
   */
  static String leftTheTeam(Handle h, long agentId) {
    String who = h.createQuery("select username from agents where id = :id").bind("id", agentId)
        .mapTo(String.class).findOne().map(u -> "@" + u).orElse("(id " + agentId + ")");
    return "previous agent " + who + " is no longer on the team: assignment released";
  }

  private static List<String> concat(List<String> first, List<String> then) {
    if (first.isEmpty()) {
      return then;
    }
    List<String> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  private void lockAgents(Handle h) {
    roster.ensureRows(h);
    h.createQuery("select id from agents order by id for update").mapTo(Long.class).list();
  }

  private static void record(Handle h, String ticketId, AgentConfig agent, double weight, String reason) {
    Instant now = Instant.now();
    WaitingLine.leave(h, ticketId);
    // open unless the read model already shows the ticket finished (its resolve raced the assignment)
    boolean open = h.createQuery("select count(*) from tickets where id = :t and status in " + Roster.CLOSED_STATUSES)
        .bind("t", ticketId).mapTo(Integer.class).one() == 0;
    h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at, reason, ticket_open)"
            + " values (:t, :a, :w, :now, :r, :open)")
        .bind("t", ticketId).bind("a", agent.id()).bind("w", weight).bind("now", now).bind("open", open)
        .bind("r", reason.length() > 1000 ? reason.substring(0, 1000) : reason)
        .execute();
    h.createUpdate("update agents set last_assigned_at = :now where id = :a")
        .bind("now", now).bind("a", agent.id()).execute();
  }

  static Person person(AgentConfig a) {
    return new Person(a.id(), a.name(), a.username());
  }
}
