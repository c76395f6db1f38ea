package dev.forumdesk.app;

import dev.forumdesk.ticket.SearchAttributes;
import dev.forumdesk.worker.TemporalConnection;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether new tickets on a Temporal cluster set the Ticket* search attributes (for the Web UI's
 * lists): only when the namespace has all of them registered. A workflow that sets one the
 * namespace lacks fails every workflow task, so against a cluster without them (a plain
 * {@code temporal server start-dev}) every ticket stayed NEW, unrouted, with health UP (black-box
 * audit). Asked once the frontend answers; until then a ticket cannot start anyway.
 */
final class SearchAttributeCheck implements BooleanSupplier {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeCheck.class);

  private final TemporalConnection temporal;
  private volatile Boolean registered;

  SearchAttributeCheck(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  @Override
  public boolean getAsBoolean() {
    Boolean known = registered;
    return known != null ? known : ask();
  }

  /**
   * One asker at a time: the dispatcher starts tickets on several threads, which all found no answer
   * after a restart and each asked and logged it (8 warnings in 5 ms, audit 18a F5); the others wait
   * the moment for the first's answer.
   */
  private synchronized boolean ask() {
    if (registered != null) {
      return registered;
    }
    Optional<Set<String>> answer;
    try {
      answer = temporal.missingSearchAttributes(SearchAttributes.names());
    } catch (RuntimeException unreachable) {
      return false; // not asked: the start this is for fails too and is retried
    }
    if (answer.isEmpty()) {
      log.warn("this Temporal server cannot list search attributes: tickets run without them");
      registered = false;
      return false;
    }
    Set<String> missing = answer.get();
    if (!missing.isEmpty()) {
      log.error("the Temporal namespace has no search attributes {}: tickets run without them (not listed by"
          + " status, assignee... in the Temporal Web UI). Create them as docker compose does: temporal operator"
          + " search-attribute create --name <name> --type Keyword, for each, then restart", missing);
    }
    registered = missing.isEmpty();
    return registered;
  }
}
