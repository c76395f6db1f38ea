package db.migration;

import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.TicketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code agents.username}: each agent's username as lookups compare it ({@link Person#usernameKey}),
 * kept when a reload removes them from {@code agents}, so that {@code GET /api/tickets?assignee=}
 * finds a past agent by it. The roster writes it for the configured agents at each start and
 * reload; the agents removed before this version get the one their tickets' snapshots name them
 * by (the most recently updated), where they have any.
 */
public class V28__Agents_usernames extends BaseJavaMigration {
  private static final int BATCH = 500;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement add = c.createStatement()) {
      add.execute("alter table agents add column username varchar(64)");
    }
    Map<Long, String> named = new HashMap<>();
    // closed runs first: the open row's snapshot, more recent, wins
    read(c, "select agent_id, state from closed_runs where agent_id is not null order by created_at", named);
    read(c, "select assignee_id, state from tickets where assignee_id is not null order by updated_at", named);
    try (PreparedStatement write = c.prepareStatement("update agents set username = ? where id = ?")) {
      for (Map.Entry<Long, String> e : named.entrySet()) {
        write.setString(1, e.getValue());
        write.setLong(2, e.getKey());
        write.addBatch();
      }
      write.executeBatch();
    }
  }

  /** The usernames the snapshots {@code sql} reads name their agent (its id, the snapshot) by. */
  private static void read(Connection c, String sql, Map<Long, String> named) throws SQLException {
    try (Statement read = c.createStatement()) {
      read.setFetchSize(BATCH); // PostgreSQL streams the snapshots instead of holding them all
      try (ResultSet rows = read.executeQuery(sql)) {
        while (rows.next()) {
          long agent = rows.getLong(1);
          Person assignee = Json.read(rows.getString(2), TicketState.class).assignee();
          if (assignee != null && assignee.id() == agent && assignee.username() != null
              && !assignee.username().isBlank()) {
            named.put(agent, Person.usernameKey(assignee.username()));
          }
        }
      }
    }
  }
}
