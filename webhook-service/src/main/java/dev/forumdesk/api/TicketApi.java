package dev.forumdesk.api;

import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.QueuedTickets;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.store.ApiActions;
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
  /** The live configuration: a reload's agents and business hours are answered at once. */
  private final java.util.function.Supplier<ForumdeskConfig> config;
  private final HelpDeskTwins helpDesk;
  private final SlaReports reports;

  /**
   * @param helpDesk each ticket's twin in the external help desk, for the ticket JSON
   * @param actionTimeout how long an action waits for Temporal's answer before its 503
   *     ({@code temporal.action-timeout})
   * @param keys the actions' Idempotency-Keys, each with the request it was used for
   * @param accepted the accepted actions their tickets' projections do not show yet ({@link ApiActions})
   */
  public TicketApi(TicketStore tickets, QueuedTickets queued, ForumdeskConfig config, TicketGateway gateway,
      Roster roster, HelpDeskTwins helpDesk, java.time.Duration actionTimeout, IdempotencyKeys keys,
      ApiActions accepted) {
    this(tickets, queued, () -> config, gateway, roster, helpDesk, actionTimeout, keys, accepted);
  }

  /** @param config the live configuration (LiveConfig) */
  public TicketApi(TicketStore tickets, QueuedTickets queued, java.util.function.Supplier<ForumdeskConfig> config,
      TicketGateway gateway, Roster roster, HelpDeskTwins helpDesk, java.time.Duration actionTimeout,
      IdempotencyKeys keys, ApiActions accepted) {
    this.tickets = tickets;
    this.queued = queued;
    this.actions = new TicketActions(gateway, tickets, queued, config, actionTimeout, keys, accepted);
    this.roster = roster;
    this.config = config;
    this.helpDesk = helpDesk;
    this.reports = new SlaReports(tickets, queued, config);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/tickets", this::list)
        .get("/tickets/counts", this::counts)
        .get("/tickets/{id}", this::one)
        .get("/tickets/{id}/audit", this::audit)
        .post("/tickets/{id}/actions", actions::handle)
        .get("/agents", this::agents)
        .get("/reports/sla", this::slaReport);
  }

  /** What {@code GET /api/tickets} takes; any other name is a 400 listing these. */
  static final List<String> LIST_PARAMETERS = List.of("status", "assignee", "queue", "level", "customer", "limit", "offset");
  /** What {@code GET /api/tickets/counts} takes: the list's filters. */
  static final List<String> COUNT_PARAMETERS = List.of("status", "assignee", "queue", "level", "customer");
  /** The response header of a list: how many tickets the filters let through, however many are listed. */
  static final String TOTAL_COUNT = "X-Total-Count";
  static final int DEFAULT_LIMIT = 200;

  /**
   * One page of the tickets the filters let through, newest first: {@code limit} of them from
   * {@code offset}, with {@value #TOTAL_COUNT} saying how many there are in all. The tickets still
   * waiting in the inbox are merged in where they belong: the page is read from the read model from
   * as many rows earlier as there are such tickets, which puts every ticket of the page in the merge.
   */
  private void list(ServerRequest req, ServerResponse res) {
    TicketStore.Filter filter;
    long offset;
    try {
      QueryParameters q = new QueryParameters(req.query(), LIST_PARAMETERS);
      filter = filter(q, q.one("limit", LIMIT_IS).map(TicketApi::limit).orElse(DEFAULT_LIMIT));
      offset = q.one("offset", OFFSET_IS).map(TicketApi::offset).orElse(0L);
    } catch (QueryParameters.Refused e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    List<TicketState> waiting = queuedMatching(filter);
    int earlier = (int) Math.min(offset, waiting.size());
    TicketStore.Filter window = filter.withLimit(earlier + filter.limit());
    List<TicketView> views = new ArrayList<>(tickets.list(window, offset - earlier).stream()
        .map(TicketView::summary).toList());
    Set<String> listed = new HashSet<>(views.stream().map(TicketView::id).toList());
    waiting.stream().filter(t -> !listed.contains(t.id())).map(t -> TicketView.queued(t, false)).forEach(views::add);
    // the read model's order (TicketStore.list): a ticket without a creation time first, then newest
    // first, one second's tickets by their thread, highest first
    views.sort(Comparator.comparing(TicketView::createdAt, Comparator.nullsFirst(Comparator.reverseOrder()))
        .thenComparing(Comparator.comparingLong(TicketView::threadId).reversed())
        .thenComparing(TicketView::id));
    long total = tickets.count(filter) + waiting.size();
    res.header(io.helidon.http.HeaderNames.create(TOTAL_COUNT), Long.toString(total));
    int from = Math.min(views.size(), earlier);
    List<TicketView> page = views.subList(from, Math.min(views.size(), from + filter.limit()));
    java.util.Map<String, java.util.Map<String, Object>> twins = helpDesk.ofAll(page.stream().map(TicketView::id).toList());
    JsonResponses.ok(res, page.stream().map(v -> withHelpDesk(v, Optional.ofNullable(twins.get(v.id())))).toList());
  }

  /**
   * {@code GET /api/tickets/counts}: how many tickets the filters let through, in all and by status
   * (every status, 0 included), for the dashboard's header; a ticket waiting in the inbox is NEW.
   */
  private void counts(ServerRequest req, ServerResponse res) {
    TicketStore.Filter filter;
    try {
      filter = filter(new QueryParameters(req.query(), COUNT_PARAMETERS), DEFAULT_LIMIT);
    } catch (QueryParameters.Refused e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    List<TicketState> waiting = queuedMatching(filter);
    java.util.Map<Status, Long> byStatus = new java.util.EnumMap<>(Status.class);
    Arrays.stream(Status.values()).forEach(s -> byStatus.put(s, 0L));
    byStatus.putAll(tickets.countByStatus(filter));
    byStatus.merge(Status.NEW, (long) waiting.size(), Long::sum);
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("total", byStatus.values().stream().mapToLong(Long::longValue).sum());
    body.put("byStatus", byStatus);
    JsonResponses.ok(res, body);
  }

  /**
   * {@code queue=}: the queue a ticket was routed to (billing…), kept when it is escalated, or the one
   * it is in now ({@code level2}); {@code level=}: its level, 1 or 2.
   */
  private TicketStore.Filter filter(QueryParameters q, int limit) {
    return new TicketStore.Filter(statuses(q), q.list("assignee", ASSIGNEE_IS, this::agentIds).stream()
            .flatMap(Set::stream).collect(java.util.stream.Collectors.toSet()),
        q.list("queue", "a queue name", String::strip), q.list("level", LEVEL_IS, TicketApi::level),
        q.list("customer", CUSTOMER_IS, TicketApi::customer), limit);
  }

  private static final String LEVEL_IS = "a level, a whole number of at least 1 (2: escalated to Level 2)";

  /** {@code level=}: a whole number from 1. */
  private static int level(String text) {
    String digits = text.strip();
    if (!digits.matches("\\d{1,9}") || digits.matches("0+")) {
      throw QueryParameters.refused("level", LEVEL_IS, text);
    }
    return Integer.parseInt(digits);
  }

  private static final String LIMIT_IS = "a whole number of at least 1 (at most " + MAX_LIMIT + " are listed)";
  private static final String OFFSET_IS = "a whole number of at least 0 (how many of the newest to skip)";

  /** {@code limit=}: a whole number from 1; one over {@link #MAX_LIMIT} lists that many. */
  private static int limit(String text) {
    String digits = text.strip();
    if (!digits.matches("\\d+") || digits.matches("0+")) {
      throw QueryParameters.refused("limit", LIMIT_IS, text);
    }
    return new BigInteger(digits).min(BigInteger.valueOf(MAX_LIMIT)).intValue();
  }

  /** {@code offset=}: a whole number from 0; one past every ticket lists none. */
  private static long offset(String text) {
    String digits = text.strip();
    if (!digits.matches("\\d+")) {
      throw QueryParameters.refused("offset", OFFSET_IS, text);
    }
    return new BigInteger(digits).min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
  }

  /** {@code status=NEW,in_progress}: any of the statuses listed, in any case. */
  private static Set<Status> statuses(QueryParameters q) {
    String allowed = "one or more (comma-separated) of " + Arrays.toString(Status.values());
    return q.list("status", allowed, value -> Arrays.stream(Status.values())
        .filter(v -> v.name().equals(value.toUpperCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new QueryParameters.Refused("status " + value + " is unknown; status must be " + allowed)));
  }

  private static final String CUSTOMER_IS = "a Telegram user id or a username";
  private static final String ASSIGNEE_IS = "a Telegram user id or the username of an agent (now or before)";

  /** {@code customer=}: a Telegram user id or a username, with or without the @. */
  private static PersonRef customer(String customer) {
    return person("customer", CUSTOMER_IS, customer);
  }

  /**
   * The agents {@code assignee=} names: an id as given; a username (with or without the @, in any
   * case) the configured agent's who has it, else the past agents' who had it when a reload removed
   * them ({@link Roster#pastAgents}), so a lead lists what they left.
   */
  private Set<Long> agentIds(String assignee) {
    return switch (person("assignee", ASSIGNEE_IS, assignee)) {
      case PersonRef.ById id -> Set.of(id.id());
      case PersonRef.ByUsername name -> config.get().agents().stream()
          .filter(a -> Person.isUsername(a.username(), name.username()))
          .map(a -> Set.of(a.id()))
          .findFirst()
          .or(() -> Optional.of(roster.pastAgents(name.username())).filter(ids -> !ids.isEmpty()))
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

  /**
   * The tickets waiting in the inbox that the filter lets through and the read model lacks; bounded,
   * as the inbox holds at most {@code ingress.max-backlog} undelivered updates.
   */
  private List<TicketState> queuedMatching(TicketStore.Filter filter) {
    if (!filter.assignee().isEmpty() || !filter.status().isEmpty() && !filter.status().contains(Status.NEW)) {
      return List.of(); // a waiting ticket is NEW and has no agent yet
    }
    List<TicketState> waiting = queued.waiting(Integer.MAX_VALUE).stream()
        .filter(filter::inQueueAndLevel)
        .filter(t -> filter.customer().isEmpty() || filter.customer().stream().anyMatch(c -> c.matches(t.customer())))
        .toList();
    // projected meanwhile (the inbox row is marked APPLIED a moment after)
    Set<String> projected = tickets.known(waiting.stream().map(TicketState::id).toList());
    return waiting.stream().filter(t -> !projected.contains(t.id())).toList();
  }

  private void one(ServerRequest req, ServerResponse res) {
    withTicket(req, res, t -> JsonResponses.ok(res, withHelpDesk(TicketView.full(t), helpDesk.of(t.id()))),
        t -> JsonResponses.ok(res, withHelpDesk(TicketView.queued(t, true), helpDesk.of(t.id()))));
  }

  /** The ticket JSON with its help-desk twin, when a help desk is configured. */
  private static Object withHelpDesk(TicketView view, Optional<java.util.Map<String, Object>> twin) {
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

  /**
   * {@code ?date=YYYY-MM-DD} (default today) and optional {@code zone}: by default the daily post's,
   * the business hours' zone, else UTC ({@link SlaReports#defaultZone}).
   */
  private void slaReport(ServerRequest req, ServerResponse res) {
    LocalDate date;
    ZoneId zone;
    try {
      QueryParameters q = new QueryParameters(req.query(), List.of("date", "zone"));
      zone = q.one("zone", ZONE_IS).map(TicketApi::zone).orElseGet(reports::defaultZone);
      date = q.one("date", DATE_IS).map(TicketApi::date).orElse(LocalDate.now(zone));
    } catch (QueryParameters.Refused e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    JsonResponses.ok(res, reports.of(date, zone));
  }

  private static final String ZONE_IS = "an IANA time zone such as Europe/Berlin";
  private static final String DATE_IS = "YYYY-MM-DD";

  private static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw QueryParameters.refused("zone", ZONE_IS, zone);
    }
  }

  private static LocalDate date(String date) {
    try {
      return LocalDate.parse(date.strip());
    } catch (DateTimeException e) {
      throw QueryParameters.refused("date", DATE_IS, date);
    }
  }
}
