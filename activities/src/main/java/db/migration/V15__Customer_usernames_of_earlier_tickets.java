package db.migration;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.TicketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills {@code tickets.customer_username} (V14) for the tickets projected before it, from their
 * snapshots. In Java, not SQL: H2 and PostgreSQL share no function that reads a field of JSON
 * text, and the key must be the one {@link TicketStore#customerUsername} writes.
 */
public class V15__Customer_usernames_of_earlier_tickets extends BaseJavaMigration {
  private static final int BATCH = 500;

  @Override
  public void migrate(Context context) throws Exception {
    fill(context.getConnection());
  }

  private static void fill(Connection c) throws SQLException {
    int filled = 0;
    try (Statement read = c.createStatement();
        PreparedStatement write = c.prepareStatement("update tickets set customer_username = ? where id = ?")) {
      read.setFetchSize(BATCH); // PostgreSQL streams the snapshots instead of holding them all
      try (ResultSet rows = read.executeQuery(
          "select id, state from tickets where customer_id is not null and customer_username is null")) {
        while (rows.next()) {
          String username = TicketStore.customerUsername(Json.read(rows.getString(2), TicketState.class).customer());
          if (username == null) {
            continue;
          }
          write.setString(1, username);
          write.setString(2, rows.getString(1));
          write.addBatch();
          if (++filled % BATCH == 0) {
            write.executeBatch();
          }
        }
      }
      write.executeBatch();
    }
  }
}
