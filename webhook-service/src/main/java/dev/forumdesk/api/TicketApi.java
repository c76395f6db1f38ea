package dev.forumdesk.api;

import dev.forumdesk.assignment.Roster;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** {@code /api/tickets} and {@code /api/agents}, read from the SQL read model. */
public final class TicketApi implements HttpService {
  private final TicketStore tickets;
  private final Roster roster;

  public TicketApi(TicketStore tickets, Roster roster) {
    this.tickets = tickets;
    this.roster = roster;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/tickets", this::list)
        .get("/tickets/{id}", this::one)
        .get("/tickets/{id}/audit", this::audit)
        .get("/agents", this::agents);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Optional<String> status = query(req, "status").map(s -> s.toUpperCase(Locale.ROOT));
    if (status.isPresent() && Arrays.stream(Status.values()).noneMatch(v -> v.name().equals(status.get()))) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400,
          "status must be one of " + Arrays.toString(Status.values()));
      return;
    }
    TicketStore.Filter filter;
    try {
      filter =
          new TicketStore.Filter(
              status,
              query(req, "assignee").map(Long::parseLong),
              query(req, "queue"),
              query(req, "customer").map(Long::parseLong),
              query(req, "limit").map(Integer::parseInt).map(l -> Math.max(1, Math.min(l, 1000))).orElse(200));
    } catch (NumberFormatException e) {
      JsonResponses.error(res, io.helidon.http.Status.BAD_REQUEST_400,
          "assignee, customer and limit must be numbers");
      return;
    }
    JsonResponses.ok(res, tickets.list(filter).stream().map(TicketView::summary).toList());
  }

  private void one(ServerRequest req, ServerResponse res) {
    withTicket(req, res, t -> JsonResponses.ok(res, TicketView.full(t)));
  }

  private void audit(ServerRequest req, ServerResponse res) {
    withTicket(req, res, t -> JsonResponses.ok(res, t.audit()));
  }

  private void withTicket(ServerRequest req, ServerResponse res, java.util.function.Consumer<TicketState> then) {
    String id = req.path().pathParameters().get("id");
    tickets.find(id).ifPresentOrElse(then,
        () -> JsonResponses.error(res, io.helidon.http.Status.NOT_FOUND_404, "no ticket " + id));
  }

  /** Each configured agent: open tickets, weighted load, cap and shift, from the assignment tables. */
  private void agents(ServerRequest req, ServerResponse res) {
    JsonResponses.ok(res, roster.overview());
  }

  private static Optional<String> query(ServerRequest req, String name) {
    return req.query().first(name).asOptional().filter(s -> !s.isBlank());
  }
}
