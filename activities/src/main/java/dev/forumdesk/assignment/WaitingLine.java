package dev.forumdesk.assignment;

import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The tickets waiting for an agent, in the order they first asked (table {@code waiting_line}),
 * each with the requirements and weight its routing decided. Used only under the assignment
 * lock, so serving it oldest first is first come, first served.
 */
final class WaitingLine {
  record Place(String ticketId, AgentRequirements requirements, double weight, Instant since) {}

  private WaitingLine() {}

  /**
   * A place's columns. The level is the ticket's as the read model has it now when higher than
   * the one it asked with: a ticket the escalation chain moved to Level 2 while it waited prefers
   * a Level 2 agent, as routing and /reassign would (AgentPicker).
   */
  private static final String COLUMNS = "select w.ticket_id, w.language, w.skill, w.team,"
      + " greatest(w.min_level, coalesce(t.level, 1)), w.preferred_agent, w.weight, w.since"
      + " from waiting_line w left join tickets t on t.id = w.ticket_id";

  /** Joins the line, or refreshes what a ticket already in it needs (keeping its place). */
  static void join(Handle h, AssignRequest r, Instant now) {
    int updated = bind(h.createUpdate("update waiting_line set language = :language, skill = :skill, team = :team,"
        + " min_level = :level, preferred_agent = :preferred, weight = :weight where ticket_id = :t"), r).execute();
    if (updated == 0) {
      bind(h.createUpdate("insert into waiting_line (ticket_id, language, skill, team, min_level, preferred_agent,"
          + " weight, since) values (:t, :language, :skill, :team, :level, :preferred, :weight, :since)"), r)
          .bind("since", now)
          .execute();
    }
  }

  static void leave(Handle h, String ticketId) {
    h.createUpdate("delete from waiting_line where ticket_id = :t").bind("t", ticketId).execute();
  }

  /** The ticket's place in the line, if it waits. */
  static java.util.Optional<Place> find(Handle h, String ticketId) {
    return h.createQuery(COLUMNS + " where w.ticket_id = :t")
        .bind("t", ticketId)
        .map(WaitingLine::place)
        .findOne();
  }

  static boolean isEmpty(Handle h) {
    return h.createQuery("select count(*) from waiting_line").mapTo(Integer.class).one() == 0;
  }

  /**
   * Everyone still waiting, first come first. Tickets the read model shows finished leave the line,
   * except {@code asking} (its projection may lag behind a reopen).
   */
  static List<Place> inOrder(Handle h, String asking) {
    // per waiting ticket, not per finished one: the desk's past is far larger than its line
    h.createUpdate("delete from waiting_line where ticket_id <> :asking and exists (select 1 from tickets t"
        + " where t.id = waiting_line.ticket_id and t.status in " + Roster.CLOSED_STATUSES + ")")
        .bind("asking", asking == null ? "" : asking).execute();
    return h.createQuery(COLUMNS + " order by w.since, w.ticket_id")
        .map(WaitingLine::place)
        .list();
  }

  private static Place place(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Place(
        rs.getString(1),
        new AgentRequirements(rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
            rs.getObject(6) == null ? null : rs.getLong(6)),
        rs.getDouble(7),
        rs.getObject(8, OffsetDateTime.class).toInstant());
  }

  private static org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update u, AssignRequest r) {
    AgentRequirements q = r.requirements();
    return u.bind("t", r.ticketId())
        .bind("language", q.language())
        .bind("skill", q.skill())
        .bind("team", q.team())
        .bind("level", q.minLevel())
        .bind("preferred", q.preferredAgent())
        .bind("weight", r.weight());
  }
}
