package dev.forumdesk.store;

import java.nio.file.Path;

/**
 * The embedded store's database file is locked: another Forumdesk (or anything holding the file)
 * runs on the same data directory. Its own type, so that the start failure says that, not to check
 * the PostgreSQL settings every other database error points at.
 */
public final class DataDirInUse extends IllegalStateException {
  public DataDirInUse(Path dataDir, Throwable cause) {
    super("data directory " + dataDir + " is in use by another Forumdesk", cause);
  }

  /**
   * H2's "Database may be already in use", or its MVStore's "The file is locked" (the recovery of
   * a file not closed cleanly opens it first: {@link H2CrashRecovery}), anywhere in {@code e}'s causes.
   */
  static boolean isLockedFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException s && s.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
          || H2CrashRecovery.isLockedFile(t)) {
        return true;
      }
    }
    return false;
  }
}
