package dev.forumdesk.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells Hikari that a connection to an embedded H2 whose database has closed is dead. H2 closes its
 * database when a write fails (a full disk) and answers every statement on the old connections with
 * 90098 "The database has been closed" or 90121 "Database is already closed"; their SQL states are
 * not the connection-class ones Hikari evicts on, so the pools kept them for good. Evicted, a new
 * connection opens the file again once it can be written.
 */
public final class H2Closed implements SQLExceptionOverride {
  /** org.h2.api.ErrorCode.DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN. */
  static final int DATABASE_IS_CLOSED = 90098;
  static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;

  @java.lang.Override
  public Override adjudicate(SQLException e) { // SQLExceptionOverride.Override, hence java.lang's above
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getErrorCode() == DATABASE_IS_CLOSED || s.getErrorCode() == DATABASE_CALLED_AT_SHUTDOWN) {
        return Override.MUST_EVICT;
      }
    }
    return Override.CONTINUE_EVICT;
  }
}
