package db.migration;

import dev.forumdesk.json.Json;
import dev.forumdesk.routing.RoutedQueue;
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
 * {@code tickets.routed_queue}: the queue each ticket was routed to ({@link RoutedQueue},
 * in lower case as {@code ?queue=} compares it), which a move to Level 2 does not change as it
 * changes {@code queue} (audit 8, F5). Added and filled from the snapshots of the tickets projected
 * before it; in Java, not SQL, as V15: the value must be the one the store writes.
 */
public class V27__Routed_queue_of_tickets extends BaseJavaMigration {
  private static final int BATCH = 500;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement add = c.createStatement()) {
      add.execute("alter table tickets add column routed_queue varchar(64)");
    }
    fill(c);
  }

  private static void fill(Connection c) throws SQLException {
    int filled = 0;
    try (Statement read = c.createStatement();
        PreparedStatement write = c.prepareStatement("update tickets set routed_queue = ? where id = ?")) {
      read.setFetchSize(BATCH); // PostgreSQL streams the snapshots instead of holding them all
      try (ResultSet rows = read.executeQuery("select id, state from tickets")) {
        while (rows.next()) {
          String queue = RoutedQueue.of(Json.read(rows.getString(2), TicketState.class));
          write.setString(1, TicketStore.Filter.queueKey(queue));
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
