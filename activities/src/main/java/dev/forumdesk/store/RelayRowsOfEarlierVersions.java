package dev.forumdesk.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgrade step: relay mode's private messages that a version before {@code TicketStore}'s relay
 * marks left unapplied. Their rows are queued by customer ({@link Inbox#relayKey}), and no projection
 * marked them APPLIED: they stayed DELIVERED (or PENDING, projected before the dispatcher's mark)
 * although their ticket had them. The first restart of the embedded Temporal server after the upgrade
 * would queue them all again, and one whose ticket is CLOSED since would open a new topic for a
 * message its ticket had had, the customer told "we got your message" once more.
 *
 * <p>The rule, the one the projections follow since ({@link Inbox#showsRelayed}): a row is settled
 * when a ticket's snapshot in the read model (one of the customer's, any status) shows its message,
 * "u&lt;update_id&gt;" or "e&lt;update_id&gt;" among the events it has seen. The relay posts the message in
 * the topic before its ticket hears it, so then nothing of it is left to do. Any other row is left as
 * it is and delivered as before: one signalled and not yet projected, one waiting, one whose topic
 * opened ("r&lt;update_id&gt;") before the stop and whose message did not reach it. So nothing answered
 * 200 is dropped. A ticket keeps its last 2,000 events: a DELIVERED row older than every update a
 * ticket's full list names ({@link Inbox#keptFrom}), which no snapshot can show any more, is settled
 * too (its signal was accepted before all those; left DELIVERED it counted as unapplied for ever). The inbox holds neither the read model nor the ticket an update reached, so
 * no SQL migration of its own can tell: the rows are matched here, with both stores open.
 *
 * <p>It runs once, at the first start after the upgrade, on either store: a row of {@code
 * inbox_upgrades} beside the inbox asks for it, and is deleted with the marks. On the embedded store
 * the inbox's own migration V3 (db/inbox) made it in the SQLite file; on PostgreSQL, where the inbox
 * is a table of the main store, the main store's migration V31. A step that fails leaves its row: it
 * is tried again at the next start.
 */
final class RelayRowsOfEarlierVersions {
  private static final Logger log = LoggerFactory.getLogger(RelayRowsOfEarlierVersions.class);
  /** Its row in {@code inbox_upgrades} (db/inbox V3 on the embedded store, the main store's V31 on PostgreSQL). */
  static final String NAME = "settle-relay-rows-of-earlier-versions";
  /** Customers and rows per statement. */
  private static final int CHUNK = 500;

  private RelayRowsOfEarlierVersions() {}

  /**
   * The step, if a row of {@code inbox_upgrades} in the inbox's store asks for it: then it is deleted
   * in the transaction of the marks, and the next start does nothing.
   */
  static void settleIfAsked(Jdbi readModel, Jdbi inbox) {
    boolean asked = inbox.withHandle(h -> h.createQuery("select count(*) from inbox_upgrades where name = :name")
        .bind("name", NAME).mapTo(Integer.class).one()) > 0;
    if (!asked) {
      return;
    }
    try {
      settleNow(readModel, inbox);
    } catch (RuntimeException e) {
      // nothing is lost: the rows stay as they were, delivered again at a restart as before the upgrade
      log.warn("upgrade: the private messages (relay mode) an earlier version left unapplied are left as they are,"
          + " tried again at the next start: {}", e.toString());
    }
  }

  /** An unapplied relay row: its update id, and whether it is DELIVERED (not PENDING). */
  private record Row(long updateId, boolean delivered) {}

  /** The events a customer's tickets have seen, and the oldest update their full lists all still name. */
  private record Seen(Set<String> events, long keptFrom) {}

  private static void settleNow(Jdbi readModel, Jdbi inbox) {
    Map<Long, List<Row>> unapplied = new HashMap<>();
    inbox.useHandle(h -> h.createQuery("select update_id, ticket_id, status from inbox where ticket_id like '"
            + Inbox.RELAY_KEY_PREFIX + "%' and " + Inbox.UNAPPLIED)
        .map((rs, ctx) -> Map.entry(rs.getString(2), new Row(rs.getLong(1), Inbox.DELIVERED.equals(rs.getString(3)))))
        .forEach(row -> customerOf(row.getKey())
            .ifPresent(customer -> unapplied.computeIfAbsent(customer, c -> new ArrayList<>()).add(row.getValue()))));
    List<Long> shown = new ArrayList<>();
    List<Long> customers = List.copyOf(unapplied.keySet());
    for (int from = 0; from < customers.size(); from += CHUNK) {
      Map<Long, Seen> seen = seenEvents(readModel, customers.subList(from, Math.min(customers.size(), from + CHUNK)));
      // shown by a ticket, or delivered before every update a ticket's full list still names ({@link Inbox#keptFrom})
      seen.forEach((customer, s) -> unapplied.get(customer).stream()
          .filter(row -> Inbox.showsRelayed(s.events(), row.updateId())
              || (row.delivered() && row.updateId() < s.keptFrom()))
          .forEach(row -> shown.add(row.updateId())));
    }
    inbox.useTransaction(h -> {
      for (int from = 0; from < shown.size(); from += CHUNK) {
        List<Long> ids = shown.subList(from, Math.min(shown.size(), from + CHUNK));
        Inbox.markApplied(h, "update_id in (<ids>)", u -> u.bindList("ids", ids));
      }
      h.createUpdate("delete from inbox_upgrades where name = :name").bind("name", NAME).execute();
    });
    if (!shown.isEmpty()) {
      log.info("upgrade: {} private messages (relay mode) that an earlier version left unapplied, which their"
          + " tickets show, are settled: a restart no longer delivers them again", shown.size());
    }
  }

  /** The customer of a {@link Inbox#relayKey}, unless the key is not one. */
  private static Optional<Long> customerOf(String key) {
    try {
      return Optional.of(Long.parseLong(key.substring(Inbox.RELAY_KEY_PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The events every ticket of these customers has seen, as its snapshot in the read model shows, by
   * customer, with the newest of their full lists' oldest updates ({@link Inbox#keptFrom}; {@link
   * Long#MIN_VALUE} when no list is full).
   */
  private static Map<Long, Seen> seenEvents(Jdbi readModel, List<Long> customers) {
    Map<Long, Seen> seen = new HashMap<>();
    readModel.useHandle(h -> h.createQuery("select customer_id, state from tickets where customer_id in (<customers>)")
        .bindList("customers", customers)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(ticket -> {
          List<String> events = new ArrayList<>();
          Json.read(ticket.getValue(), JsonNode.class).path("seenEvents").forEach(e -> events.add(e.asText()));
          long keptFrom = Inbox.keptFrom(events).orElse(Long.MIN_VALUE);
          seen.merge(ticket.getKey(), new Seen(new HashSet<>(events), keptFrom), (a, b) -> {
            a.events().addAll(b.events());
            return new Seen(a.events(), Math.max(a.keptFrom(), b.keptFrom()));
          });
        }));
    return seen;
  }
}
