package dev.forumdesk.api;

import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.store.IdempotencyKeys;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.PersonRef;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /api/tickets} and {@code /api/agents}, read from the SQL read model, and tickets whose
 * opening update still waits in the inbox from there ({@link QueuedTickets}).
 */
public final class TicketApi implements HttpService {
  /** The most tickets one list answers; a larger limit lists this many. */
  static final int MAX_LIMIT = 1000;
  private final TicketStore tickets;
  private final QueuedTickets queued;
  private final TicketActions actions;
  private final Roster roster;
  private final ForumdeskConfig config;
  private final HelpDeskTwins helpDesk;

  /**
   * @param helpDesk each ticket's twin in the external help desk, for the ticket JSON
   * @param actionTimeout how long an action waits for Temporal's answer before its 503
   *     ({@code temporal.action-timeout})
   * @param keys the actions' Idempotency-Keys, each with the request it was used for
   */
  public TicketApi(TicketStore tickets, QueuedTickets queued, ForumdeskConfig config, TicketGateway gateway,
      Roster roster, HelpDeskTwins helpDesk, java.time.Duration actionTimeout, IdempotencyKeys keys) {
    this.tickets = tickets;
    this.queued = queued;
    this.actions = new TicketActions(gateway, tickets, queued, config, actionTimeout, keys);
    this.roster = roster;
    this.config = config;
    this.helpDesk = helpDesk;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/tickets", this::list)
        .get("/tickets/{id}", this::one)
        .get("/tickets/{id}/audit", this::audit)
        .post("/tickets/{id}/actions", actions::handle)
        .get("/agents", this::agents)
        .get("/reports/sla", this::slaReport);
  }

  private void list(ServerRequest req, ServerResponse res) {
    TicketStore.Filter filter;
    try {
      QueryParameters q = new QueryParameters(req.query());
      filter = new TicketStore.Filter(statuses(q), q.list("assignee", this::agentId), q.list("queue", s -> s),
          q.list("customer", TicketApi::customer), q.one("limit").map(TicketApi::limit).orElse(200));
    } catch (QueryParameters.Refused e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    List<TicketView> views = new ArrayList<>(tickets.list(filter).stream().map(TicketView::summary).toList());
    views.addAll(queuedMatching(filter, views));
    views.sort(Comparator.comparing(TicketView::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(TicketView::id));
    JsonResponses.ok(res, views.subList(0, Math.min(views.size(), filter.limit())));
  }

  /** {@code limit=}: a whole number from 1; one over {@link #MAX_LIMIT} lists that many. */
  private static int limit(String text) {
    String digits = text.strip();
    if (!digits.matches("\\d+") || digits.matches("0+")) {
      throw QueryParameters.refused("limit", "a whole number of at least 1 (at most " + MAX_LIMIT + " are listed)",
          text);
    }
    return new BigInteger(digits).min(BigInteger.valueOf(MAX_LIMIT)).intValue();
  }

  /** {@code status=NEW,in_progress}: any of the statuses listed, in any case. */
  private static Set<Status> statuses(QueryParameters q) {
    String allowed = "status must be one or more (comma-separated) of " + Arrays.toString(Status.values());
    Set<Status> statuses = q.list("status", value -> Arrays.stream(Status.values())
        .filter(v -> v.name().equals(value.toUpperCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new QueryParameters.Refused("status " + value + " is unknown; " + allowed)));
    if (statuses.isEmpty() && q.given("status")) {
      throw new QueryParameters.Refused(allowed);
    }
    return statuses;
  }

  private static final String CUSTOMER_IS = "a Telegram user id or a username";
  private static final String ASSIGNEE_IS = "a Telegram user id or a configured agent's username";

  /** {@code customer=}: a Telegram user id or a username, with or without the @. */
  private static PersonRef customer(String customer) {
    return person("customer", CUSTOMER_IS, customer);
  }

  /**
   * The agent {@code assignee=} names: an id as given, a username (with or without the @, in any
   * case) only if a configured agent has it.
   */
  private long agentId(String assignee) {
    return switch (person("assignee", ASSIGNEE_IS, assignee)) {
      case PersonRef.ById id -> id.id();
      case PersonRef.ByUsername name -> config.agents().stream()
          .filter(a -> Person.isUsername(a.username(), name.username()))
          .map(a -> a.id())
          .findFirst()
          .orElseThrow(() -> QueryParameters.refused("assignee", ASSIGNEE_IS, assignee));
    };
  }

  /** A Telegram user as a filter names them, or the filter's 400 (a bare @, an id too large). */
  private static PersonRef person(String filter, String takes, String value) {
    try {
      return PersonRef.parse(value);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw QueryParameters.refused(filter, takes, value);
    }
  }

  /** The tickets waiting in the inbox that the filter lets through and the read model lacks. */
  private List<TicketView> queuedMatching(TicketStore.Filter filter, List<TicketView> listed) {
    if (!filter.assignee().isEmpty() || !filter.status().isEmpty() && !filter.status().contains(Status.NEW)) {
      return List.of(); // a waiting ticket is NEW and has no agent yet
    }
    List<TicketState> waiting = queued.waiting(filter.limit()).stream()
        .filter(t -> filter.queue().isEmpty() || filter.queue().contains(t.queue()))
        .filter(t -> filter.customer().isEmpty() || filter.customer().stream().anyMatch(c -> c.matches(t.customer())))
        .toList();
    // projected meanwhile (the inbox row is marked APPLIED a moment after), or listed already
    Set<String> shown = new HashSet<>(tickets.known(waiting.stream().map(TicketState::id).toList()));
    listed.forEach(v -> shown.add(v.id()));
    return waiting.stream().filter(t -> !shown.contains(t.id())).map(t -> TicketView.queued(t, false)).toList();
  }

  private void one(ServerRequest req, ServerResponse res) {
    withTicket(req, res, t -> JsonResponses.ok(res, withHelpDesk(t.id(), TicketView.full(t))),
        t -> JsonResponses.ok(res, withHelpDesk(t.id(), TicketView.queued(t, true))));
  }

  /** The ticket JSON with its help-desk twin, when a help desk is configured. */
  private Object withHelpDesk(String ticketId, TicketView view) {
    Optional<java.util.Map<String, Object>> twin = helpDesk.of(ticketId);
    if (twin.isEmpty()) {
      return view;
    }
    com.fasterxml.jackson.databind.node.ObjectNode json = dev.forumdesk.json.Json.mapper().valueToTree(view);
    json.set("helpDesk", dev.forumdesk.json.Json.mapper().valueToTree(twin.get()));
    return json;
  }

  private void audit(ServerRequest req, ServerResponse res) {
    withTicket(req, res, t -> JsonResponses.ok(res, AuditEntry.oldestFirst(t.audit())),
        t -> JsonResponses.ok(res, AuditEntry.oldestFirst(t.audit())));
  }

  private void withTicket(
      ServerRequest req, ServerResponse res, Consumer<TicketState> known, Consumer<TicketState> waitingInInbox) {
    String id = req.path().pathParameters().get("id");
    Optional<TicketState> ticket = tickets.find(id);
    if (ticket.isPresent()) {
      known.accept(ticket.get());
      return;
    }
    queued.find(id).ifPresentOrElse(waitingInInbox,
        () -> JsonResponses.error(res, io.helidon.http.Status.NOT_FOUND_404, "no ticket " + id));
  }

  /** Each configured agent: open tickets, weighted load, cap and shift, from the assignment tables. */
  private void agents(ServerRequest req, ServerResponse res) {
    JsonResponses.ok(res, roster.overview());
  }

  /** {@code ?date=YYYY-MM-DD} (default today) and optional {@code zone} (default UTC). */
  private void slaReport(ServerRequest req, ServerResponse res) {
    LocalDate date;
    ZoneId zone;
    try {
      QueryParameters q = new QueryParameters(req.query());
      zone = q.one("zone").map(TicketApi::zone).orElse(java.time.ZoneOffset.UTC);
      date = q.one("date").map(TicketApi::date).orElse(LocalDate.now(zone));
    } catch (QueryParameters.Refused e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    Instant from = date.atStartOfDay(zone).toInstant();
    Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
    // the inbox first: a ticket its workflow projects between the two reads is then in the read
    // model's list, and counted once
    List<TicketState> waiting = queued.createdBetween(from, to);
    List<TicketState> day = new ArrayList<>(tickets.createdBetween(from, to));
    Set<String> projected = new HashSet<>(day.stream().map(TicketState::id).toList());
    waiting.stream().filter(t -> !projected.contains(t.id())).forEach(day::add);
    JsonResponses.ok(res, SlaReport.of(date, zone.getId(), day, config.sla().businessHours().orElse(null)));
  }

  private static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw QueryParameters.refused("zone", "an IANA time zone such as Europe/Berlin", zone);
    }
  }

  private static LocalDate date(String date) {
    try {
      return LocalDate.parse(date.strip());
    } catch (DateTimeException e) {
      throw QueryParameters.refused("date", "YYYY-MM-DD", date);
    }
  }
}
