package dev.forumdesk.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The desk's alert incidents, shared by every process on the database (V26). Several replicas of
 * the webhook role each watch the same conditions; each alert and each "recovered" is told by the
 * one replica whose look opened, or closed, the incident here. The others join it: they see the
 * same incident, under the same {@code since}, which names its notices.
 */
public final class AlertIncidents {
  private final Database db;
  /**
   * An open incident no look saw for this long is a leftover (its replicas stopped during it, or
   * stopped watching it) and a new one opens: three looks, or a minute when that is longer (a look
   * may be slow). Not for a replica that still holds it: its looks ran and could not reach the
   * database (an outage), so the incident went on unseen, not without replicas (audit 21b F2).
   */
  private final Duration stale;

  /** @param lookEvery how often each replica looks ({@code alerts.check-every}) */
  public AlertIncidents(Database db, Duration lookEvery) {
    this.db = db;
    Duration three = lookEvery.multipliedBy(3);
    this.stale = three.compareTo(Duration.ofMinutes(1)) > 0 ? three : Duration.ofMinutes(1);
  }

  /**
   * One incident of a condition.
   *
   * @param since when it began, as the replica that opened it saw it: its notices' keys
   * @param here whether this call opened it ({@link #active}) or closed it ({@link #over}): this
   *     process tells of it
   * @param tellEnd whether its end is told
   */
  public record Incident(Instant since, boolean here, boolean tellEnd) {}

  /**
   * The condition is on, as of {@code now}: joins its open incident, or opens one.
   *
   * @param quiet no incident opens within this of the last one's start: empty then
   * @param tellEnd for an incident opened here: whether its end is to be told
   */
  public Optional<Incident> active(String condition, Instant now, Duration quiet, boolean tellEnd) {
    return active(condition, now, quiet, tellEnd, Optional.empty());
  }

  /**
   * As {@link #active(String, Instant, Duration, boolean)}, from a process that holds an incident of
   * the condition: the one that began at {@code held}, which no look of this process found over. It
   * is joined while it is open however long no look could write that it saw it (the database was
   * unavailable): a database outage is not a replica stopping, and the incident goes on after it.
   */
  public Optional<Incident> active(String condition, Instant now, Duration quiet, boolean tellEnd,
      Optional<Instant> held) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS); // as the database keeps it: over() finds it by it
    return db.jdbi().inTransaction(h -> {
      int added = h.createUpdate("insert into alert_incidents (alert_condition, since, is_open, seen_at, tell_end)"
              + " values (:c, :at, true, :at, :tell) on conflict do nothing")
          .bind("c", condition).bind("at", at).bind("tell", tellEnd).execute();
      if (added == 1) {
        return Optional.of(new Incident(at, true, tellEnd));
      }
      Row last = h.createQuery("select since, is_open, seen_at, tell_end from alert_incidents"
              + " where alert_condition = :c for update")
          .bind("c", condition)
          .map((rs, ctx) -> new Row(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBoolean(2),
              rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBoolean(4)))
          .one();
      if (last.open() && (last.seenAt().isAfter(at.minus(stale)) || held.filter(last.since()::equals).isPresent())) {
        seen(h, condition, last.since(), at);
        return Optional.of(new Incident(last.since(), false, last.tellEnd()));
      }
      if (at.isBefore(last.since().plus(quiet))) {
        return Optional.<Incident>empty();
      }
      h.createUpdate("update alert_incidents set since = :at, is_open = true, seen_at = :at, tell_end = :tell"
              + " where alert_condition = :c")
          .bind("c", condition).bind("at", at).bind("tell", tellEnd).execute();
      return Optional.of(new Incident(at, true, tellEnd));
    });
  }

  /** The incident that began at {@code since} is still on as of {@code now}, if it is still open. */
  public void seen(String condition, Instant since, Instant now) {
    db.jdbi().useHandle(h -> seen(h, condition, since, now.truncatedTo(ChronoUnit.MILLIS)));
  }

  private static void seen(Handle h, String condition, Instant since, Instant at) {
    h.createUpdate("update alert_incidents set seen_at = :at where alert_condition = :c and since = :since and is_open")
        .bind("c", condition).bind("since", since).bind("at", at).execute();
  }

  /**
   * The condition is over: closes the incident that began at {@code since}.
   *
   * @return it, when this call closed it; empty when another replica did (or a newer one is open)
   */
  public Optional<Incident> over(String condition, Instant since) {
    return db.jdbi().inTransaction(h -> {
      int closed = h.createUpdate("update alert_incidents set is_open = false"
              + " where alert_condition = :c and since = :since and is_open")
          .bind("c", condition).bind("since", since).execute();
      if (closed == 0) {
        return Optional.<Incident>empty();
      }
      return Optional.of(new Incident(since, true, h.createQuery(
              "select tell_end from alert_incidents where alert_condition = :c")
          .bind("c", condition).mapTo(Boolean.class).one()));
    });
  }

  private record Row(Instant since, boolean open, Instant seenAt, boolean tellEnd) {}
}
