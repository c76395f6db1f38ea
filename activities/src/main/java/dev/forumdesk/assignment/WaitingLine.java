package dev.forumdesk.assignment;

import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.ticket.Priority;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The tickets waiting for an agent (table {@code waiting_line}), each with the requirements and
 * weight its routing decided, served the most urgent first (audit 9 F5: a HIGH "site down" ticket
 * waited behind an older NORMAL one), then in the order they first asked. Used only under the
 * assignment lock, so within a priority it is first come, first served.
 */
final class WaitingLine {
  /** @param priority the ticket's as the read model has it now (NORMAL before its first projection) */
  record Place(String ticketId, AgentRequirements requirements, double weight, Instant since, Priority priority) {}

  private WaitingLine() {}

  /**
   * A place's columns. The level is the ticket's as the read model has it now when higher than
   * the one it asked with: a ticket the escalation chain moved to Level 2 while it waited prefers
   * a Level 2 agent, as routing and /reassign would (AgentPicker). The priority too is the
   * ticket's now: one raised while it waits (sentiment, /priority, a tier) moves up the line.
   */
  private static final String COLUMNS = "select w.ticket_id, w.language, w.skill, w.team,"
      + " greatest(w.min_level, coalesce(t.level, 1)), w.preferred_agent, w.weight, w.since,"
      + " coalesce(t.priority, '" + Priority.NORMAL + "')"
      + " from waiting_line w left join tickets t on t.id = w.ticket_id";

  /** The serving order: the ticket's priority as a number (URGENT highest), then its arrival. */
  private static final String ORDER = " order by case t.priority "
      + Arrays.stream(Priority.values()).map(p -> "when '" + p + "' then " + p.ordinal())
          .collect(Collectors.joining(" "))
      + " else " + Priority.NORMAL.ordinal() + " end desc, w.since, w.ticket_id";

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
   * Everyone still waiting, the most urgent first, then first come first. Tickets the read model
   * shows finished leave the line, except {@code asking} (its projection may lag behind a reopen).
   */
  static List<Place> inOrder(Handle h, String asking) {
    // per waiting ticket, not per finished one: the desk's past is far larger than its line
    h.createUpdate("delete from waiting_line where ticket_id <> :asking and exists (select 1 from tickets t"
        + " where t.id = waiting_line.ticket_id and t.status in " + Roster.CLOSED_STATUSES + ")")
        .bind("asking", asking == null ? "" : asking).execute();
    return h.createQuery(COLUMNS + ORDER)
        .map(WaitingLine::place)
        .list();
  }

  /** The {@code n} that have waited longest, without the finished tickets the line has not dropped yet. */
  static List<Place> oldest(Handle h, int n) {
    return h.createQuery(COLUMNS + " where t.status is null or t.status not in " + Roster.CLOSED_STATUSES
            + " order by w.since, w.ticket_id limit :n")
        .bind("n", n)
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
        rs.getObject(8, OffsetDateTime.class).toInstant(),
        Priority.valueOf(rs.getString(9)));
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
