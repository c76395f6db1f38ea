package dev.forumdesk.api;

import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.Breach;
import dev.forumdesk.ticket.Lifecycle;
import dev.forumdesk.ticket.TicketState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daily SLA report over the tickets created that day: how many got a first response within
 * the SLA, how fast, how many were resolved in time, escalated, still open — overall, per queue
 * (the queue each run was routed to, {@link RoutedQueue}: a move to Level 2 leaves it
 * there), per level and per assignee. Each run counts once, a follow-up run as a ticket of its own: its first
 * response, breaches and assignee are its own (a follow-up starts without them), and only the
 * escalations of its own run make it escalated ({@link AuditEntry#ofLastRun}, {@link
 * AuditEntry#escalates}; not those of a first-response breach withdrawn, {@link #escalations}). Per assignee, each agent is credited with their own part of a run
 * ({@link Credits}): the first response its writer, a breach or an escalation whoever held it then.
 *
 * <p>First-response times are measured as the first-response clock measures them, so they agree
 * with the breach counts: from the moment the clock started ({@link Lifecycle#firstResponseClockStart}:
 * the customer's first word in a topic staff opened), in the calendar the run's clocks ran on (its
 * policy's {@code sla.business-hours}, kept with the run from its opening: a reload that turns them
 * on or off changes the runs opened after it, not those before; audit 8, F7), less the time on hold.
 * {@link Report#measure} says which.
 */
public final class SlaReport {
  /**
   * One row of figures (the whole day, a queue or an agent).
   *
   * @param resolvedWithoutReply resolved or closed without any agent reply to the customer's request
   *     (a topic staff opened and nobody else wrote in owes none): counted in {@code resolved} too,
   *     and a missed first response in the compliance, breached or not
   * @param firstResponseCompliancePercent the first responses in time of those decided: answered,
   *     breached, or resolved without a reply
   * @param nextResponseBreached the next-response deadlines missed ({@code sla.next-response}: a
   *     customer's message no agent answered in time), each once: a run can miss several, one per
   *     unanswered message; per assignee, whoever held the run when it was missed
   */
  public record Figures(
      int tickets,
      int firstResponded,
      int firstResponseBreached,
      Double firstResponseCompliancePercent,
      Long medianFirstResponseSeconds,
      Long p90FirstResponseSeconds,
      int resolved,
      int resolvedWithoutReply,
      int resolutionBreached,
      int escalated,
      int open,
      int nextResponseBreached) {}

  /**
   * @param measure what the first-response times count: {@link #BUSINESS_HOURS} or {@link
   *     #WALL_CLOCK} (both less the time on hold), {@link #MIXED} when the day has runs of both
   * @param measures how many runs each measure counted (none without runs)
   * @param byQueue by the queue each run was routed to
   * @param byLevel by the level each run reached ("1", "2": moved to Level 2)
   */
  public record Report(LocalDate date, String zone, String measure, Map<String, Integer> measures, Figures total,
      Map<String, Figures> byQueue, Map<String, Figures> byLevel, Map<String, Figures> byAssignee) {}

  public static final String BUSINESS_HOURS = "business hours";
  public static final String WALL_CLOCK = "wall clock";
  public static final String MIXED = "mixed";

  private SlaReport() {}

  /**
   * @param configured {@code sla.business-hours} as configured now (null: none): the measure of a
   *     day without runs, and of a run recorded without its policy
   * @param agents the ids of the team ({@code agents:}): a first response written by anyone else (a
   *     supervisor who is no agent, a help desk's writer; not one who wrote as an agent then, removed
   *     since) counts for whoever held the run when it was written
   */
  public static Report of(LocalDate date, String zone, List<TicketState> tickets, BusinessHours configured,
      Set<Long> agents) {
    java.util.Objects.requireNonNull(agents, "agents");
    Calendars calendars = new Calendars(configured);
    Map<String, List<TicketState>> byQueue = new TreeMap<>();
    Map<String, List<TicketState>> byLevel = new TreeMap<>();
    Map<String, List<Credited>> byAssignee = new TreeMap<>();
    Map<String, Integer> measures = new TreeMap<>();
    for (TicketState t : tickets) {
      byQueue.computeIfAbsent(RoutedQueue.of(t), k -> new ArrayList<>()).add(t);
      byLevel.computeIfAbsent(String.valueOf(t.level()), k -> new ArrayList<>()).add(t);
      Credits credits = Credits.of(t, agents); // once a run: its agents' rows and each row's figures
      Credited run = new Credited(t, credits);
      credits.all().forEach(agent -> byAssignee.computeIfAbsent(agent, k -> new ArrayList<>()).add(run));
      measures.merge(measure(calendars.hoursOf(t)), 1, Integer::sum);
    }
    Map<String, Figures> queues = new LinkedHashMap<>();
    byQueue.forEach((k, v) -> queues.put(k, figures(v, calendars)));
    Map<String, Figures> levels = new LinkedHashMap<>();
    byLevel.forEach((k, v) -> levels.put(k, figures(v, calendars)));
    Map<String, Figures> rows = new LinkedHashMap<>();
    byAssignee.forEach((k, v) -> rows.put(k, figures(v, calendars, k)));
    String measure = measures.isEmpty() ? measure(configured)
        : measures.size() == 1 ? measures.keySet().iterator().next() : MIXED;
    return new Report(date, zone, measure, measures, figures(tickets, calendars), queues, levels, rows);
  }

  private static String measure(BusinessHours hours) {
    return hours == null ? WALL_CLOCK : BUSINESS_HOURS;
  }

  /**
   * Each run's calendar: the business hours of the policy it was opened with, which its clocks ran
   * on ({@code Ticket}'s SLA clocks are built from it), else, for a run recorded without a policy,
   * those configured now. One {@link BusinessCalendar} per distinct business hours.
   */
  static final class Calendars {
    private final BusinessHours configured;
    private final Map<BusinessHours, BusinessCalendar> built = new java.util.HashMap<>();

    Calendars(BusinessHours configured) {
      this.configured = configured;
    }

    BusinessHours hoursOf(TicketState t) {
      return t.policy() == null ? configured : t.policy().businessHours();
    }

    BusinessCalendar of(TicketState t) {
      BusinessHours hours = hoursOf(t);
      return hours == null ? WALL : built.computeIfAbsent(hours, BusinessCalendar::of);
    }

    private static final BusinessCalendar WALL = BusinessCalendar.of(null);
  }

  static final String UNASSIGNED = "unassigned";

  /**
   * Whom {@code byAssignee} credits with each part of a run (by name, {@link #UNASSIGNED} for
   * nobody): its assignee with the run as a whole (resolved, without a reply, open); the agent who
   * wrote its first response with that response (its time, in time or not), and whoever held the
   * run then with one written by someone who is no agent of the team: a reply that came through the
   * help desk (RT's "Enoch Root (via Request Tracker)", no Telegram id; audit 18b, F2) or a
   * supervisor's;
   * whoever held it when its first-response, next-response or resolution deadline passed with
   * that breach, and when it was escalated with that escalation (while nobody held it, before its
   * first assignment or after a release, the next agent who took it: {@link #holderAt}). Read from the run's audit ({@link AuditEntry#agent}); a trail recorded
   * before the audit named them credits the run's assignee with everything, as before.
   */
  record Credits(String assignee, String responder, String firstResponseBreach, String resolutionBreach,
      Set<String> escalations, List<String> nextResponseBreaches) {
    /** @param agents the team's ids ({@link #ofTheTeam}) */
    static Credits of(TicketState t, Set<Long> agents) {
      String assignee = t.assignee() == null ? UNASSIGNED : t.assignee().name();
      List<AuditEntry> run = AuditEntry.ofLastRun(t.audit());
      String responder = run.stream().filter(e -> e.event().equals("FIRST_RESPONSE") && e.agent() != null)
          .map(e -> ofTheTeam(e, agents) ? e.agent().name() : holderAt(run, e.at(), assignee)).findFirst().orElse(assignee);
      Set<String> escalations = new java.util.TreeSet<>();
      SlaReport.escalations(t, run).forEach(e -> escalations.add(holderAt(run, e.at(), assignee)));
      List<String> nextResponse = t.sla().breaches().stream().filter(b -> b.clock().equals(NEXT_RESPONSE))
          .map(b -> holderAt(run, b.at(), assignee)).toList();
      return new Credits(assignee, responder, breachedUnder(t, run, "first-response", assignee),
          breachedUnder(t, run, "resolution", assignee), escalations, nextResponse);
    }

    /**
     * Whether the response's writer is an agent of the team: a help desk's writer never is (id 0, the
     * name its login has there); the team's ids are, and whoever wrote as an agent then (actor
     * {@code agent:<id>}; one removed from {@code agents:} since still wrote it).
     */
    private static boolean ofTheTeam(AuditEntry response, Set<Long> agents) {
      dev.forumdesk.ticket.Person writer = response.agent();
      return writer.id() != 0 && (agents.contains(writer.id()) || ("agent:" + writer.id()).equals(response.actor()));
    }

    /** Everyone credited with a part of the run. */
    Set<String> all() {
      Set<String> all = new java.util.TreeSet<>(escalations);
      all.add(assignee);
      all.add(responder);
      all.add(firstResponseBreach);
      all.add(resolutionBreach);
      all.addAll(nextResponseBreaches);
      return all;
    }

    private static String breachedUnder(TicketState t, List<AuditEntry> run, String clock, String assignee) {
      return t.sla().breaches().stream().filter(b -> b.clock().equals(clock)).findFirst()
          .map(b -> holderAt(run, b.at(), assignee)).orElse(assignee);
    }

    /**
     * Who is credited with what happened to the run at {@code at}: the agent the last assignment by
     * then gave it to, unless a release ({@code RELEASED}: its agent left the team or went /away with
     * nobody free) came after it. While nobody held the run, before its first assignment (a breach
     * that fired before routing could assign it, its updates having arrived after its due, as after
     * an outage; one while it waited in the line for a free agent; audit 20a, F6) or after a release,
     * the next agent who took it: the one whose answer, if they wrote it, was that late; {@link
     * #UNASSIGNED} while nobody has since. So a run anyone held is credited to no "unassigned" row
     * for its wait before them, and a departed agent to nothing after they handed it back. A run
     * whose assignments name nobody (recorded before they did, or none made in this run: a follow-up
     * that kept its agent) has {@code assignee} throughout, a release in it or not: it cannot tell who
     * took it again after one (an old trail's assignment names nobody), and one nobody took again has no
     * assignee.
     */
    private static String holderAt(List<AuditEntry> run, Instant at, String assignee) {
      String holder = null;
      String next = null;
      boolean named = false;
      for (AuditEntry e : run) {
        boolean byThen = !e.at().isAfter(at);
        if ((e.event().equals("ASSIGNED") || e.event().equals("REASSIGNED")) && e.agent() != null) {
          named = true;
          if (byThen) {
            holder = e.agent().name();
          } else if (next == null) {
            next = e.agent().name();
          }
        } else if (e.event().equals(dev.forumdesk.routing.RoutingStep.RELEASED) && byThen) {
          holder = null;
        }
      }
      if (!named) {
        return assignee;
      }
      return holder != null ? holder : next != null ? next : UNASSIGNED;
    }
  }

  static final String NEXT_RESPONSE = "next-response";

  /** A run, and whom it credits with its parts (null for figures that are no agent's row). */
  private record Credited(TicketState ticket, Credits credits) {}

  static Figures figures(Collection<TicketState> tickets, Calendars calendars) {
    return figures(tickets.stream().map(t -> new Credited(t, null)).toList(), calendars, null);
  }

  /** @param agent whose parts of the runs count (each run's {@link Credits}); null: all of them */
  private static Figures figures(List<Credited> runs, Calendars calendars, String agent) {
    int responded = 0;
    int inTime = 0;
    int frBreached = 0;
    int resolved = 0;
    int withoutReply = 0;
    int missedUnbreached = 0;
    int resBreached = 0;
    int escalated = 0;
    int open = 0;
    int nextBreached = 0;
    List<Long> firstResponseSeconds = new ArrayList<>();
    for (Credited run : runs) {
      TicketState t = run.ticket();
      Credits c = run.credits();
      boolean breachedFirst = breached(t, "first-response");
      if (t.firstResponseAt() != null && t.createdAt() != null && credited(agent, c, Credits::responder)) {
        responded++;
        inTime += breachedFirst ? 0 : 1;
        firstResponseSeconds.add(firstResponse(t, calendars.of(t)).toSeconds());
      }
      frBreached += breachedFirst && credited(agent, c, Credits::firstResponseBreach) ? 1 : 0;
      resBreached += breached(t, "resolution") && credited(agent, c, Credits::resolutionBreach) ? 1 : 0;
      nextBreached += agent == null ? (int) t.sla().breaches().stream().filter(b -> b.clock().equals(NEXT_RESPONSE)).count()
          : (int) c.nextResponseBreaches().stream().filter(agent::equals).count();
      if (credited(agent, c, Credits::assignee)) {
        if (t.status().finished()) {
          resolved++;
          if (resolvedWithoutReply(t)) {
            withoutReply++;
            missedUnbreached += breachedFirst ? 0 : 1; // missed all the same: no answer came
          }
        } else {
          open++;
        }
      }
      // a follow-up run carries its predecessor's trail: only its own entries count
      if (agent == null ? !escalations(t, AuditEntry.ofLastRun(t.audit())).isEmpty()
          : c.escalations().contains(agent)) {
        escalated++;
      }
    }
    int decided = inTime + frBreached + missedUnbreached;
    Double compliance = decided == 0 ? null : Math.round(1000.0 * inTime / decided) / 10.0;
    firstResponseSeconds.sort(Long::compare);
    return new Figures(runs.size(), responded, frBreached, compliance,
        percentile(firstResponseSeconds, 50), percentile(firstResponseSeconds, 90),
        resolved, withoutReply, resBreached, escalated, open, nextBreached);
  }

  private static boolean credited(String agent, Credits c, java.util.function.Function<Credits, String> part) {
    return agent == null || agent.equals(part.apply(c));
  }

  /**
   * Resolved (or closed) with the customer's request never answered: no agent reply, while a first
   * response was owed (not a topic staff opened where the customer has not written yet).
   */
  static boolean resolvedWithoutReply(TicketState t) {
    return t.status().finished() && t.firstResponseAt() == null && !t.lifecycle().awaitingCustomer();
  }

  /**
   * The first response's time as its clock counted it: from the clock's start to the reply, in the
   * calendar's time, less the holds between them (the clock pauses on hold).
   */
  static Duration firstResponse(TicketState t, BusinessCalendar calendar) {
    Instant from = Lifecycle.firstResponseClockStart(t);
    Instant to = t.firstResponseAt();
    Duration time = calendar.between(from, to);
    Instant heldSince = null;
    for (AuditEntry e : AuditEntry.ofLastRun(t.audit())) {
      if (e.event().equals("ON_HOLD") && heldSince == null) {
        heldSince = e.at();
      } else if (heldSince != null && HOLD_ENDS.contains(e.event())) {
        time = time.minus(held(calendar, heldSince, e.at(), from, to));
        heldSince = null;
      }
    }
    if (heldSince != null) {
      time = time.minus(held(calendar, heldSince, to, from, to));
    }
    return time.isNegative() ? Duration.ZERO : time;
  }

  /** What ends a hold: resume (by command or the customer's message), resolve, close. */
  private static final Set<String> HOLD_ENDS = Set.of("RESUMED", "RESOLVED", "CLOSED");

  /** The calendar's time of the hold {@code [start, end)} within {@code [from, to)}. */
  private static Duration held(BusinessCalendar calendar, Instant start, Instant end, Instant from, Instant to) {
    Instant a = start.isAfter(from) ? start : from;
    Instant b = end.isBefore(to) ? end : to;
    return calendar.between(a, b);
  }

  /**
   * The escalations of the run ({@code run}: its own audit entries) that make it escalated ({@link
   * AuditEntry#escalates}), but those its overdue first response made (at the due, "first response
   * over …", and the chain's "still no first response … Level 2") when that breach was withdrawn: the
   * first response (or a /hold) was dated by the deadline and reached Forumdesk after it, a help
   * desk's reply pulled late (audit 19a, F3). The ping went all the same and the audit keeps it; the
   * run's handling was in time. A first-response breach that stands (one again later in the run) keeps
   * them all counted, as does a trail with no withdrawal recorded.
   */
  static List<AuditEntry> escalations(TicketState t, List<AuditEntry> run) {
    boolean withdrawn = !breached(t, "first-response") && run.stream().anyMatch(SlaReport::withdrewFirstResponseBreach);
    return run.stream().filter(AuditEntry::escalates).filter(e -> !(withdrawn && onOverdueFirstResponse(e))).toList();
  }

  /** A first response, or a /hold, in time, whose entry says it withdrew the first-response breach. */
  private static boolean withdrewFirstResponseBreach(AuditEntry e) {
    String why = e.reason() == null ? "" : e.reason();
    return why.contains("breach withdrawn") && (e.event().equals("FIRST_RESPONSE")
        || (e.event().equals("ON_HOLD") && why.contains("first-response")));
  }

  /** An escalation the first response being overdue made: at its due, or the chain's after it. */
  private static boolean onOverdueFirstResponse(AuditEntry e) {
    String why = e.reason() == null ? "" : e.reason();
    return why.startsWith("first response over ") || why.startsWith("still no first response ");
  }

  private static boolean breached(TicketState t, String clock) {
    return t.sla().breaches().stream().map(Breach::clock).anyMatch(clock::equals);
  }

  /** Nearest-rank percentile; null when there is no data. */
  static Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
