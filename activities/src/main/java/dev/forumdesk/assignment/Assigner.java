package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.store.Database;
import dev.forumdesk.ticket.Person;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Assignment serialized by a row lock: every assignment first locks all agent rows
 * ({@code select ... for update}, in id order so two never deadlock), then reads the loads and
 * writes its choice in the same transaction. Two tickets can therefore never both see an agent's
 * last free slot. A Temporal RosterWorkflow would do the same, but the embedded Temporal server
 * forgets its state on restart and the database does not.
 */
public final class Assigner {
  private final Database db;
  private final Roster roster;

  public Assigner(Database db, Roster roster) {
    this.db = db;
    this.roster = roster;
  }

  public AssignResult assign(AssignRequest request) {
    return db.jdbi().inTransaction(h -> {
      Optional<AssignResult> existing = existing(h, request.ticketId());
      if (existing.isPresent()) {
        return existing.get(); // a retried activity: the first attempt committed
      }
      lockAgents(h);
      AgentPicker.Pick pick = AgentPicker.pick(roster.candidates(h), request.requirements());
      if (pick.agent().isEmpty()) {
        return AssignResult.waiting(pick.reasons());
      }
      record(h, request.ticketId(), pick.agent().get(), request.weight(), String.join("; ", pick.reasons()));
      return new AssignResult(person(pick.agent().get()), List.copyOf(pick.reasons()));
    });
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
    return db.jdbi().inTransaction(h -> {
      lockAgents(h);
      Reassignment.Outcome outcome = decide.apply(roster.candidates(h));
      if (outcome instanceof Reassignment.Moved moved) {
        double weight = h.createQuery("select weight from assignments where ticket_id = :t")
            .bind("t", ticketId).mapTo(Double.class).findOne().orElse(weightIfNew);
        h.createUpdate("delete from assignments where ticket_id = :t").bind("t", ticketId).execute();
        record(h, ticketId, moved.to(), weight, moved.reason());
      }
      return outcome;
    });
  }

  /** The current holder of a ticket, if any. */
  public Optional<Long> holder(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select agent_id from assignments where ticket_id = :t")
        .bind("t", ticketId).mapTo(Long.class).findOne());
  }

  private Optional<AssignResult> existing(Handle h, String ticketId) {
    return h.createQuery("select agent_id, reason from assignments where ticket_id = :t")
        .bind("t", ticketId)
        .map((rs, ctx) -> {
          long id = rs.getLong(1);
          String reason = rs.getString(2);
          return roster.agents().stream().filter(a -> a.id() == id).findFirst()
              .map(a -> new AssignResult(person(a), reason == null ? List.of() : List.of(reason.split("; "))));
        })
        .findOne()
        .flatMap(x -> x);
  }

  private void lockAgents(Handle h) {
    roster.ensureRows(h);
    h.createQuery("select id from agents order by id for update").mapTo(Long.class).list();
  }

  private static void record(Handle h, String ticketId, AgentConfig agent, double weight, String reason) {
    Instant now = Instant.now();
    h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at, reason)"
            + " values (:t, :a, :w, :now, :r)")
        .bind("t", ticketId).bind("a", agent.id()).bind("w", weight).bind("now", now)
        .bind("r", reason.length() > 1000 ? reason.substring(0, 1000) : reason)
        .execute();
    h.createUpdate("update agents set last_assigned_at = :now where id = :a")
        .bind("now", now).bind("a", agent.id()).execute();
  }

  static Person person(AgentConfig a) {
    return new Person(a.id(), a.name(), a.username());
  }
}
