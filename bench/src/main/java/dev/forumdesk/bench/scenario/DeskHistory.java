package dev.forumdesk.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.bench.load.Latencies;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A desk with a past: what a year of resolved tickets costs the work of today. The read model of
 * the embedded database holds {@code history} resolved tickets, spread over the past year, each
 * with its assignment; the figures are the same operations on an empty desk beside them. An agent's
 * load, the dashboard's list and the day's SLA report should read today's tickets, not the year.
 */
public final class DeskHistory {
  private static final int AGENTS = 5;
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private DeskHistory() {}

  public static List<Row> run(boolean quick) {
    int history = quick ? 5_000 : 50_000;
    int n = quick ? 40 : 300;
    Progress.say("desk history: an empty desk, then one with %,d resolved tickets", history);
    if (!quick) {
      measure(0, n); // the JIT's turn: neither desk below should pay for it
    }
    Figures empty = measure(0, n);
    Figures past = measure(history, n);
    String title = String.format(Locale.ROOT, " with %,d resolved tickets in the history (H2)", history);
    return List.of(
        Row.report("assignment" + title, past.assign() + "; on an empty desk " + empty.assign(), "report"),
        Row.report("GET /api/tickets (newest 200, no filter)" + title, past.list() + "; on an empty desk " + empty.list(),
            "report"),
        Row.report("GET /api/tickets?status=NEW" + title, past.listNew() + "; on an empty desk " + empty.listNew(),
            "report"),
        Row.report("GET /api/reports/sla for one day" + title, past.report() + "; on an empty desk " + empty.report(),
            "report"));
  }

  private record Figures(String assign, String list, String listNew, String report) {}

  private static Figures measure(int history, int n) {
    List<AgentConfig> agents = new ArrayList<>();
    for (int i = 1; i <= AGENTS; i++) {
      agents.add(new AgentConfig(i, "Agent" + i, "agent" + i, "general", List.of("en"), List.of(), 1, 10 * n));
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("desk-history");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    try (Database db = Database.embedded(dir)) {
      Roster roster = new Roster(db, () -> agents);
      roster.sync();
      fill(db, history);
      Assigner assigner = new Assigner(db, roster);
      TicketStore store = TicketStore.forReaders(db);
      // today's open tickets, projected as their workflows would, then assigned
      int warm = warmUp(n);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < warm + n; i++) {
        ids.add(today(db, history + i).id());
      }
      String assign = timed(n, i -> assigner.assign(new AssignRequest(ids.get(i),
          new AgentRequirements("en", null, null, 1, null), 1.0)));
      TicketStore.Filter newest = new TicketStore.Filter(Set.of(), Set.of(), Set.of(), Set.of(), 200);
      String list = timed(n, i -> store.list(newest));
      String listNew = timed(n, i -> store.list(new TicketStore.Filter(Set.of(Status.NEW), Set.of(), Set.of(),
          Set.of(), 200)));
      LocalDate day = LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(100);
      String report = timed(Math.max(10, n / 10), i -> store.createdBetween(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
          day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
      return new Figures(assign, list, listNew, report);
    }
  }

  private static int warmUp(int n) {
    return Math.max(10, n / 5);
  }

  /** p50/p99 of calls {@code warmUp(n)} to {@code warmUp(n) + n - 1}, after the first ones the JIT takes. */
  private static String timed(int n, java.util.function.IntConsumer call) {
    int warm = warmUp(n);
    for (int i = 0; i < warm; i++) {
      call.accept(i);
    }
    Latencies l = new Latencies();
    for (int i = warm; i < warm + n; i++) {
      long t0 = System.nanoTime();
      call.accept(i);
      l.add(System.nanoTime() - t0);
    }
    return l.summary();
  }

  /** A new ticket of today, projected as its workflow's first projection would be. */
  private static TicketState today(Database db, int thread) {
    TicketState t = TicketState.unopened(-100, thread, TicketPolicy.defaults());
    TicketState opened = Json.read(json(t, "NEW", NOW), TicketState.class);
    new TicketStore(db).save(opened);
    return opened;
  }

  /** {@code history} resolved tickets, one every few minutes over the past year, each assigned. */
  private static void fill(Database db, int history) {
    if (history == 0) {
      return;
    }
    long t0 = System.nanoTime();
    long step = Duration.ofDays(365).toSeconds() / history;
    db.jdbi().useTransaction(h -> {
      var tickets = h.prepareBatch("insert into tickets (id, chat_id, thread_id, status, priority, level, queue,"
          + " assignee_id, created_at, updated_at, version, state) values (:id, -100, :thread, 'RESOLVED', 'NORMAL', 1,"
          + " 'general', :agent, :at, :at, 1, :state)");
      var assignments = h.prepareBatch("insert into assignments (ticket_id, agent_id, weight, assigned_at, ticket_open)"
          + " values (:id, :agent, 1.0, :at, false)");
      for (int i = 0; i < history; i++) {
        Instant at = NOW.minusSeconds(Duration.ofDays(365).toSeconds()).plusSeconds(i * step);
        TicketState t = TicketState.unopened(-100, i, TicketPolicy.defaults());
        tickets.bind("id", t.id()).bind("thread", i).bind("agent", 1 + i % AGENTS).bind("at", at)
            .bind("state", json(t, "RESOLVED", at)).add();
        assignments.bind("id", t.id()).bind("agent", 1 + i % AGENTS).bind("at", at).add();
      }
      tickets.execute();
      assignments.execute();
    });
    Progress.say("desk history: %,d resolved tickets written in %.1f s", history, (System.nanoTime() - t0) / 1e9);
  }

  private static String json(TicketState t, String status, Instant createdAt) {
    ObjectNode node = Json.mapper().valueToTree(t);
    node.put("opened", true).put("status", status).put("createdAt", createdAt.toString());
    return Json.write(node);
  }
}
