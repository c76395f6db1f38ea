package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.shift.ShiftState;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The agents' shift state and loads, from the database: loads are summed from the assignments of
 * tickets the read model shows open, so they survive restarts and agree with GET /api/tickets.
 */
public final class Roster {
  /** Statuses that no longer count towards an agent's load ({@link Status#finished()}), as an SQL list. */
  static final String CLOSED_STATUSES = dev.forumdesk.store.TicketStore.FINISHED_STATUSES;

  private final Database db;
  private final Supplier<List<AgentConfig>> agents;
  private final Supplier<String> defaultLanguage;
  private final Clock clock;

  public Roster(Database db, Supplier<List<AgentConfig>> agents) {
    this(db, agents, Clock.systemUTC());
  }

  /** @param clock the time shift hours are judged at */
  public Roster(Database db, Supplier<List<AgentConfig>> agents, Clock clock) {
    this(db, agents, () -> null, clock);
  }

  /**
   * @param defaultLanguage routing.default-language as the configuration says it now: whose agents
   *     the waiting line asks for when a ticket's language has no speaker any more ({@link #spoken})
   */
  public Roster(Database db, Supplier<List<AgentConfig>> agents, Supplier<String> defaultLanguage, Clock clock) {
    this.db = db;
    this.agents = agents;
    this.defaultLanguage = defaultLanguage;
    this.clock = clock;
  }

  /**
   * What a waiting ticket asks of its agent among the agents configured now: the agents of the
   * default language for a language nobody speaks any more, as routing asks for a new ticket
   * ({@link AgentPicker#spoken}), the reason added to {@code why}.
   */
  AgentRequirements spoken(AgentRequirements req, List<String> why) {
    return AgentPicker.spoken(agents.get(), defaultLanguage.get(), req, why);
  }

  /**
   * One row per configured agent, with their username as the configuration says it now (kept when
   * a reload removes them: {@link #pastAgents}); existing rows keep their shift state.
   */
  public void sync() {
    db.jdbi().useTransaction(h -> {
      for (AgentConfig a : agents.get()) {
        insert(h, a);
        h.createUpdate("update agents set username = :username where id = :id"
                + " and (username is null or username <> :username)")
            .bind("id", a.id())
            .bind("username", usernameKey(a))
            .execute();
      }
    });
  }

  private static void insert(Handle h, AgentConfig a) {
    h.createUpdate("insert into agents (id, on_shift, username) values (:id, true, :username) on conflict do nothing")
        .bind("id", a.id())
        .bind("username", usernameKey(a))
        .execute();
  }

  private static String usernameKey(AgentConfig a) {
    return a.username() == null || a.username().isBlank() ? null : Person.usernameKey(a.username());
  }

  /**
   * The agents no longer configured whose username was {@code username} (with or without the @, in
   * any case) when they last were: an agent's row outlives their removal.
   */
  public java.util.Set<Long> pastAgents(String username) {
    java.util.Set<Long> configured = new java.util.HashSet<>(agents.get().stream().map(AgentConfig::id).toList());
    return db.readJdbi().withHandle(h -> h.createQuery("select id from agents where username = :username")
            .bind("username", Person.usernameKey(username))
            .mapTo(Long.class).list())
        .stream().filter(id -> !configured.contains(id)).collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Inserts rows for configured agents that have none (added by a config reload), inside the
   * caller's transaction, so the assignment lock covers them too.
   */
  void ensureRows(Handle h) {
    List<Long> known = h.createQuery("select id from agents").mapTo(Long.class).list();
    for (AgentConfig a : agents.get()) {
      if (!known.contains(a.id())) {
        insert(h, a);
      }
    }
  }

  Instant now() {
    return clock.instant();
  }

  public List<AgentConfig> agents() {
    return agents.get();
  }

  /** /away and /back. @return false when the id is not a configured agent. */
  public boolean setOnShift(long agentId, boolean onShift) {
    if (agents.get().stream().noneMatch(a -> a.id() == agentId)) {
      return false;
    }
    sync();
    db.jdbi().useHandle(h -> h.createUpdate(
            "update agents set on_shift = :on, shift_changed_at = :now where id = :id")
        .bind("on", onShift).bind("now", Instant.now()).bind("id", agentId).execute());
    return true;
  }

  /** Every configured agent with shift state and load, now. */
  public List<Candidate> candidates() {
    return db.jdbi().withHandle(this::candidates);
  }

  /**
   * Every configured agent with shift state and load, read inside the caller's transaction. Shift
   * state: /away (the database) wins, else the agent's shift hours at this moment.
   */
  List<Candidate> candidates(Handle h) {
    Instant now = clock.instant();
    Map<Long, boolean[]> shift = new HashMap<>();
    Map<Long, Instant> lastAssigned = new HashMap<>();
    h.createQuery("select id, on_shift, last_assigned_at from agents").map((rs, ctx) -> {
      shift.put(rs.getLong(1), new boolean[] {rs.getBoolean(2)});
      OffsetDateTime t = rs.getObject(3, OffsetDateTime.class);
      if (t != null) {
        lastAssigned.put(rs.getLong(1), t.toInstant());
      }
      return null;
    }).list();
    Map<Long, double[]> loads = loads(h);
    return agents.get().stream()
        .map(a -> {
          double[] l = loads.getOrDefault(a.id(), new double[] {0, 0});
          boolean away = shift.containsKey(a.id()) && !shift.get(a.id())[0];
          return new Candidate(a, ShiftState.of(away, a.shift(), now), (int) l[0], l[1], lastAssigned.get(a.id()));
        })
        .toList();
  }

  /**
   * agent id → {open tickets, weighted load}: the assignments whose ticket the read model shows
   * open (or has not projected yet), as the projection flags them; a desk's past costs nothing.
   */
  static Map<Long, double[]> loads(Handle h) {
    Map<Long, double[]> loads = new HashMap<>();
    h.createQuery(
            "select agent_id, count(*), coalesce(sum(weight), 0) from assignments where ticket_open group by agent_id")
        .map((rs, ctx) -> loads.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3)}))
        .list();
    return loads;
  }

  /** The waiting line: how many tickets wait for an agent, and since when the first of them has. */
  public record Line(long length, Optional<Instant> oldestSince) {}

  /** The waiting line as it stands, without the finished tickets it has not dropped yet. */
  public Line waitingLine() {
    return db.readJdbi().withHandle(h -> h.createQuery("select count(*), min(since) from waiting_line w"
            + " where not exists (select 1 from tickets t where t.id = w.ticket_id and t.status in "
            + CLOSED_STATUSES + ")")
        .map((rs, ctx) -> new Line(rs.getLong(1),
            Optional.ofNullable(rs.getObject(2, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
        .one());
  }

  /**
   * What keeps the {@code n} longest-waiting tickets waiting, each distinct need once, oldest
   * first: "skill billing (Alice at cap)" (audit 9 F9: with slots free, "6 of 8 slots are taken"
   * gave a lead no reason for a line). Empty when no requirement blocks them: every agent is busy,
   * or a freed slot is about to be served.
   */
  public List<String> lineNeeds(int n) {
    return db.readJdbi().withHandle(h -> {
      List<Candidate> all = candidates(h);
      return WaitingLine.oldest(h, n).stream()
          .flatMap(p -> AgentPicker.blocked(all, spoken(p.requirements(), new java.util.ArrayList<>())).stream())
          .filter(b -> !b.needs().isEmpty())
          .map(AgentPicker.Blocked::need)
          .distinct()
          .toList();
    });
  }

  /**
   * How many configured agents are in each state now, every state present (0 included):
   * {@code available} (on shift with a free slot), {@code at_cap} (on shift, open tickets at their
   * cap), {@code away} (/away), {@code off_shift} (outside their shift hours).
   */
  public Map<String, Long> agentsByState() {
    Map<String, Long> byState = new java.util.LinkedHashMap<>();
    List.of("available", "at_cap", "away", "off_shift").forEach(s -> byState.put(s, 0L));
    candidates().forEach(c -> byState.merge(switch (c.shift().kind()) {
      case AWAY -> "away";
      case OFF_SHIFT -> "off_shift";
      case ON_SHIFT -> c.hasSlot() ? "available" : "at_cap";
    }, 1L, Long::sum));
    return byState;
  }

  /**
   * The slots of the agents on shift now (each agent's max-open), how many of them are taken, and
   * how many agents are away or off shift: what the waiting line's alert tells of the team.
   */
  public record Slots(long taken, long total, long away, long offShift) {}

  public Slots slots() {
    long taken = 0;
    long total = 0;
    long away = 0;
    long offShift = 0;
    for (Candidate c : candidates()) {
      switch (c.shift().kind()) {
        case AWAY -> away++;
        case OFF_SHIFT -> offShift++;
        case ON_SHIFT -> {
          total += c.agent().maxOpen();
          taken += Math.min(c.openTickets(), c.agent().maxOpen());
        }
      }
    }
    return new Slots(taken, total, away, offShift);
  }

  /** Whether some configured agent is on shift with a free slot now. */
  public boolean anyoneFree() {
    return candidates().stream().anyMatch(Candidate::available);
  }

  /** GET /api/agents: each configured agent's open tickets, weighted load, cap and shift. */
  public List<AgentStatus> overview() {
    return candidates().stream().map(AgentStatus::of).toList();
  }

  /**
   * One agent in GET /api/agents. {@code onShift}: may get new tickets now as far as shift goes;
   * {@code shift}: on-shift | off-shift | away; {@code shiftUntil}: when that changes by the clock
   * (ISO-8601 with the agent's offset), null when it does not; {@code shiftHours}: as configured,
   * null without hours.
   */
  public record AgentStatus(long id, String name, String username, String team, int openTickets,
      double weightedLoad, int cap, boolean onShift, String shift, String shiftUntil, String shiftHours) {
    static AgentStatus of(Candidate c) {
      AgentConfig a = c.agent();
      return new AgentStatus(a.id(), a.name(), a.username(), a.team(), c.openTickets(), c.load(), a.maxOpen(),
          c.onShift(), c.shift().kind().label(),
          c.shift().until().map(t -> t.toOffsetDateTime().toString()).orElse(null),
          a.shift().always() ? null : a.shift().toString());
    }
  }

}
