package dev.forumdesk.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ticket's projection to the read model carries. The first projection of a run carries the
 * whole snapshot; later ones carry the snapshot without what the read model already holds: only
 * the audit entries and event ids added since the last projection, and no policy (fixed for the
 * run). A local activity's input is kept in the workflow's history, so whole snapshots made the
 * history grow with the square of a ticket's events: each carried every audit entry and up to
 * 2,000 seen event ids again.
 *
 * @param head the snapshot; for a delta, {@code audit} and {@code seenEvents} hold only the new
 *     entries and {@code policy} is null
 * @param full whether {@code head} is the whole snapshot
 * @param auditFrom how many audit entries the stored snapshot must have for a delta to apply
 * @param seenAfter the last seen event id the stored snapshot must end with (null: none)
 */
public record Projection(TicketState head, boolean full, int auditFrom, String seenAfter) {
  /** The failure type an activity reports when the stored snapshot is not the one a delta follows. */
  public static final String GAP = "ProjectionGap";

  /** The stored snapshot is missing or not the one this delta was made against. */
  public static final class Gap extends RuntimeException {
    public Gap(String message) {
      super(message);
    }

    /**
     * As an activity reports it: non-retryable, of type {@link #GAP}, which the workflow catches
     * (it projects the whole snapshot instead). Benign: an expected turn, not a fault, so the SDK
     * logs it at DEBUG without a stack trace and counts no failed activity; it logged a 50-line WARN
     * each time (audit 16 F5).
     */
    public io.temporal.failure.ApplicationFailure asFailure() {
      return io.temporal.failure.ApplicationFailure.newBuilder()
          .setMessage(getMessage())
          .setType(GAP)
          .setNonRetryable(true)
          .setCategory(io.temporal.failure.ApplicationErrorCategory.BENIGN)
          .build();
    }
  }

  /** Where the last projection left the read model: enough to make the next delta. */
  public record Mark(int auditSize, String lastSeen) {
    public static Mark of(TicketState s) {
      return new Mark(s.audit().size(), last(s.seenEvents()));
    }
  }

  public static Projection full(TicketState s) {
    return new Projection(s, true, 0, null);
  }

  /** A delta after {@code mark}, or the whole snapshot when there is no mark to build on. */
  public static Projection after(Mark mark, TicketState s) {
    if (mark == null || s.audit().size() < mark.auditSize()) {
      return full(s);
    }
    List<String> seen = s.seenEvents();
    int from = mark.lastSeen() == null ? 0 : seen.lastIndexOf(mark.lastSeen()) + 1;
    if (from == 0 && mark.lastSeen() != null) {
      return full(s); // the id it ended with was trimmed away: more than 2,000 events since
    }
    List<AuditEntry> audit = List.copyOf(s.audit().subList(mark.auditSize(), s.audit().size()));
    return new Projection(
        s.withHistory(audit, List.copyOf(seen.subList(from, seen.size())), null), false,
        mark.auditSize(), mark.lastSeen());
  }

  /**
   * The snapshot the read model should hold after this projection.
   *
   * <p>A stored snapshot of the same version is this projection retried, or one a workflow task
   * made in an attempt Temporal then discarded: a signal reached the ticket while the task that
   * closed it ran, so the server refused the task's completion and the worker ran it again with
   * the signal, which reopened the ticket instead (CompletionRaceTest). The first attempt's local
   * activity had projected CLOSED, under the version the second attempt's projection has too. Only
   * the second attempt is in the workflow's history, so a same-version projection that differs from
   * the stored one replaces it (a delta that does not follow it is a {@link Gap}, and the workflow
   * sends the whole snapshot).
   *
   * @return empty when {@code stored} is newer, or already this projection (a retry, a reordering)
   * @throws Gap when a delta does not follow {@code stored}
   */
  public Optional<TicketState> onto(TicketState stored) {
    if (stored != null && (stored.version() > head.version() || stored.version() == head.version() && holdsThis(stored))) {
      return Optional.empty();
    }
    if (full) {
      return Optional.of(head);
    }
    if (stored == null) {
      throw new Gap(head.id() + ": no stored snapshot to apply a delta to");
    }
    if (stored.audit().size() != auditFrom || !Objects.equals(last(stored.seenEvents()), seenAfter)) {
      throw new Gap(head.id() + ": stored version " + stored.version() + " has " + stored.audit().size()
          + " audit entries, the delta follows " + auditFrom);
    }
    List<AuditEntry> audit = new ArrayList<>(stored.audit());
    audit.addAll(head.audit());
    List<String> seen = new ArrayList<>(stored.seenEvents());
    seen.addAll(head.seenEvents());
    if (seen.size() > Ticket.SEEN_EVENTS_KEPT) {
      seen = seen.subList(seen.size() - Ticket.SEEN_EVENTS_KEPT, seen.size());
    }
    return Optional.of(head.withHistory(List.copyOf(audit), List.copyOf(seen), stored.policy()));
  }

  /** Whether {@code stored}, of this projection's version, already is what it makes. */
  private boolean holdsThis(TicketState stored) {
    if (full) {
      return head.equals(stored);
    }
    int entries = stored.audit().size() - auditFrom;
    return entries == head.audit().size()
        && stored.audit().subList(auditFrom, stored.audit().size()).equals(head.audit())
        && withoutHistory(stored).equals(withoutHistory(head));
  }

  private static TicketState withoutHistory(TicketState s) {
    return s.withHistory(List.of(), List.of(), null);
  }

  private static String last(List<String> list) {
    return list.isEmpty() ? null : list.getLast();
  }
}
