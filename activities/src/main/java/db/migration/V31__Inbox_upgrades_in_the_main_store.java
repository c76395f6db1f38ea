package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code inbox_upgrades} in the main store: the one-off steps of an upgrade that the inbox needs,
 * where the inbox is a table of this store (PostgreSQL), as the embedded store's SQLite inbox has
 * them from its own migration V3 (db/inbox). Each row names a step the next start runs and deletes
 * in the transaction of its work, so it runs once ({@code Database.postgres}, as {@code
 * Database.embedded} for the SQLite file). The step asked for here,
 * settle-relay-rows-of-earlier-versions ({@code RelayRowsOfEarlierVersions}), ran at each start on
 * PostgreSQL before. In Java, not SQL: on the embedded H2 the inbox is not in this store (its
 * {@code inbox} table is what versions before the SQLite file left, moved out at start), so the
 * table is made there too, and asks for nothing.
 */
public class V31__Inbox_upgrades_in_the_main_store extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement st = c.createStatement()) {
      st.execute("create table inbox_upgrades (name varchar(100) primary key)");
      if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
        st.execute("insert into inbox_upgrades (name) values ('settle-relay-rows-of-earlier-versions')");
      }
    }
  }
}
