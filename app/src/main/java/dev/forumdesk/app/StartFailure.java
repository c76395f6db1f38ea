package dev.forumdesk.app;

import dev.forumdesk.store.DataDirInUse;
import dev.forumdesk.store.Database;
import dev.forumdesk.text.OneLine;
import java.net.BindException;
import java.sql.SQLException;

/**
 * Why the start failed, in the one line an operator reads: the innermost cause's message, and
 * what to change where it is one of the usual ones. A stack trace says the same in forty lines.
 */
final class StartFailure {
  private StartFailure() {}

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = OneLine.of(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage(), 300);
    String outer = OneLine.of(e.getMessage() == null ? "" : e.getMessage(), 200);
    String hint = root instanceof BindException || why.contains("Address already in use") // Netty's native bind error too
        ? " (another process holds the port: set FORUMDESK_HTTP_PORT, or FORUMDESK_TEMPORAL_PORT for the embedded Temporal)"
        : hasCause(e, DataDirInUse.class) ? " (stop that one, or set FORUMDESK_DATA_DIR to another directory)"
        // the embedded store's files (H2, SQLite): the PostgreSQL variables would send the operator astray
        : Database.isEmbeddedStoreError(e) ? " (the embedded store under FORUMDESK_DATA_DIR: check that the directory is"
            + " writable, its disk not full, no other process holds its files and they are not damaged)"
        : hasCause(e, SQLException.class) ? " (check FORUMDESK_DB_URL, FORUMDESK_DB_USER and FORUMDESK_DB_PASSWORD)" : "";
    // an outer message that holds the cause's already says more (a file error's message is its path alone)
    return (outer.isEmpty() ? why : outer.contains(why) ? outer : outer + ": " + why) + hint;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
