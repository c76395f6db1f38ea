package dev.forumdesk.api;

import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.text.HumanTime;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Yesterday's SLA report, posted once a day from {@code reports.daily-at} on (in the report's zone,
 * {@link SlaReports#defaultZone}) where supervisors read: a forum customers do not read (the staff
 * forum, {@code support.level2-chat-id}; in relay mode the support forum's General topic, where the
 * desk's alerts go), else each of {@code support.supervisors} by private message. Short: the day's
 * totals, first-response compliance, median and p90, breaches (first response, next response,
 * resolution), escalations, and the queue and the
 * agent with the worst compliance; {@code GET /api/reports/sla} has the rest.
 *
 * <p>Each look (every {@code alerts.check-every}) past the time enqueues the day's post unless one
 * of that date is in the outbox already ({@code sla-report:<date>}, per supervisor with
 * {@code :dm:<id>}), wherever it went: it goes once however often the desk restarts, whatever a
 * restart changed about where it goes (audit 8, F16), and however many replicas look; the posts to
 * several supervisors are enqueued together. The outbox's sender delivers it within the bot's rate
 * limits.
 *
 * <p>A day whose report the desk missed (down across the time, or across midnight) is posted at the
 * first look after it is back, every such day of the last {@value #LOOK_BACK_DAYS} oldest first,
 * each once as any day is. Only days from the feature's first report on are owed: before any
 * {@code sla-report:} row exists (turned on for the first time) only yesterday's is.
 */
public final class DailySlaReport implements Runnable {
  static final String KEY = "sla-report:";
  private static final Logger log = LoggerFactory.getLogger(DailySlaReport.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  private final Optional<LocalTime> at;
  private final Clock clock;
  private final SlaReports reports;
  private final Outbox outbox;
  private final StaffPlaces places;
  private final long alertsChat;
  /** How many days back a missed report is still posted. */
  static final int LOOK_BACK_DAYS = 7;

  private volatile LocalDate warnedFor;
  /** Every day up to this one has its report in the outbox (or owed none): no need to look again. */
  private volatile LocalDate doneThrough;
  /** The day of the first report in the outbox, once there is one: it never changes. */
  private volatile LocalDate firstReported;

  /**
   * @param at {@code reports.daily-at}; empty: no report is posted
   * @param alertsChat where the desk's alerts go ({@code SupervisorNotices}): the report goes there
   *     too unless customers read it
   */
  public DailySlaReport(Optional<LocalTime> at, Clock clock, SlaReports reports, Outbox outbox, StaffPlaces places,
      long alertsChat) {
    this.at = at;
    this.clock = clock;
    this.reports = reports;
    this.outbox = outbox;
    this.places = places;
    this.alertsChat = alertsChat;
  }

  /**
   * One look: every day whose report is due and not in the outbox yet, oldest first. Yesterday's
   * is due from the day's time on, earlier days' since their own next day's time; of those, the
   * last {@value #LOOK_BACK_DAYS} days from the first report on.
   */
  @Override
  public void run() {
    if (at.isEmpty()) {
      return;
    }
    ZoneId zone = reports.defaultZone();
    ZonedDateTime now = clock.instant().atZone(zone);
    LocalDate today = now.toLocalDate();
    LocalDate lastDue = today.minusDays(now.toLocalTime().isBefore(at.get()) ? 2 : 1);
    if (doneThrough != null && !lastDue.isAfter(doneThrough)) {
      return;
    }
    LocalDate from = firstReported().orElse(today.minusDays(1));
    if (from.isBefore(today.minusDays(LOOK_BACK_DAYS))) {
      from = today.minusDays(LOOK_BACK_DAYS);
    }
    for (LocalDate day : from.datesUntil(lastDue.plusDays(1)).toList()) {
      if (!post(day, zone, day.isBefore(lastDue))) {
        return;
      }
    }
    doneThrough = lastDue;
  }

  /**
   * The day's report, unless one of its date is in the outbox already.
   *
   * @return false when it has nowhere to go
   */
  private boolean post(LocalDate day, ZoneId zone, boolean late) {
    List<OutboundMessage> posts = recipients(day);
    if (posts.isEmpty()) {
      if (!day.equals(warnedFor)) {
        warnedFor = day;
        log.warn("the daily SLA report of {} has nowhere to go: customers read the support forum; configure"
            + " support.supervisors, or a staff forum as support.level2-chat-id", day);
      }
      return false;
    }
    if (outbox.anyOf(KEY + day)) {
      return true;
    }
    String text = text(reports.of(day, zone));
    int enqueued = outbox.enqueueUnlessAnyOf(MessageKind.OTHER, KEY + day, posts.stream()
        .map(p -> new OutboundMessage(p.key(), p.chatId(), null, text, OutboundMessage.LOW)).toList());
    if (enqueued > 0) {
      log.info("daily SLA report of {} enqueued{} ({})", day, late ? ", missed at its time" : "",
          String.join(", ", posts.stream().map(OutboundMessage::key).toList()));
    }
    return true;
  }

  /** The day of the first report in the outbox, by its key ({@code sla-report:<date>…}). */
  private Optional<LocalDate> firstReported() {
    if (firstReported == null) {
      outbox.smallestKeyStartingWith(KEY)
          .map(k -> k.substring(KEY.length(), Math.min(k.length(), KEY.length() + 10)))
          .flatMap(DailySlaReport::date)
          .ifPresent(d -> firstReported = d);
    }
    return Optional.ofNullable(firstReported);
  }

  private static Optional<LocalDate> date(String iso) {
    try {
      return Optional.of(LocalDate.parse(iso));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Where the day's report goes, each with its key (the text not yet written). */
  private List<OutboundMessage> recipients(LocalDate day) {
    Optional<Long> forum = places.staffForum()
        .or(() -> places.customersRead(alertsChat) ? Optional.empty() : Optional.of(alertsChat));
    if (forum.isPresent()) {
      return List.of(new OutboundMessage(KEY + day, forum.get(), null, "", OutboundMessage.LOW));
    }
    List<OutboundMessage> dms = new ArrayList<>();
    for (Person s : places.supervisors()) {
      dms.add(new OutboundMessage(KEY + day + ":dm:" + s.id(), s.id(), null, "", OutboundMessage.LOW));
    }
    return dms;
  }

  /** The post (HTML): a few lines a supervisor reads at a glance. */
  static String text(SlaReport.Report r) {
    String title = "📊 <b>SLA report for " + DAY.format(r.date()) + "</b> (" + Html.escape(r.zone()) + ", "
        + measure(r) + ")";
    SlaReport.Figures t = r.total();
    if (t.tickets() == 0) {
      return title + "\nNo tickets were opened.";
    }
    StringBuilder out = new StringBuilder(title);
    out.append("\nTickets: ").append(t.tickets()).append(" new · ").append(t.resolved()).append(" resolved · ")
        .append(t.open()).append(" open");
    out.append("\nFirst response in time: ").append(percent(t.firstResponseCompliancePercent()))
        .append(" · median ").append(seconds(t.medianFirstResponseSeconds()))
        .append(" · p90 ").append(seconds(t.p90FirstResponseSeconds()));
    out.append("\nBreaches: ").append(t.firstResponseBreached()).append(" first response · ")
        .append(t.nextResponseBreached()).append(" next response · ")
        .append(t.resolutionBreached()).append(" resolution · escalated ").append(t.escalated());
    if (t.resolvedWithoutReply() > 0) {
      out.append("\nResolved without a reply: ").append(t.resolvedWithoutReply());
    }
    worst(r.byQueue()).ifPresent(e -> out.append("\nWorst queue: ").append(line(e)));
    worst(r.byAssignee(), SlaReport.UNASSIGNED).ifPresent(e -> out.append("\nWorst agent: ").append(line(e)));
    SlaReport.Figures nobody = r.byAssignee().get(SlaReport.UNASSIGNED);
    if (nobody != null) {
      out.append("\nUnassigned: ").append(count(nobody.tickets(), "ticket")).append(", ")
          .append(percent(nobody.firstResponseCompliancePercent())).append(" in time, ")
          .append(count(breaches(nobody), "breach"));
    }
    return out.toString();
  }

  /** The report's measure; a mixed day with how many runs each measure counted ("mixed: business hours 3, wall clock 1"). */
  private static String measure(SlaReport.Report r) {
    if (!SlaReport.MIXED.equals(r.measure())) {
      return r.measure();
    }
    return r.measure() + ": " + String.join(", ", r.measures().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList());
  }

  /**
   * The row with the lowest first-response compliance (ties: more breaches), of those with one;
   * none when fewer than two rows have one (a single rated row would only repeat the totals, and
   * names one agent "worst" among nobody: audit 16 F3), and none when even that row is all in time
   * without a breach (nothing to blame).
   */
  private static Optional<Map.Entry<String, SlaReport.Figures>> worst(Map<String, SlaReport.Figures> rows) {
    return worst(rows, null);
  }

  /** As {@link #worst(Map)}, never ranking the row {@code apart} (the assignees' "unassigned", which is no agent). */
  private static Optional<Map.Entry<String, SlaReport.Figures>> worst(Map<String, SlaReport.Figures> rows,
      String apart) {
    List<Map.Entry<String, SlaReport.Figures>> rated = rows.entrySet().stream()
        .filter(e -> !e.getKey().equals(apart))
        .filter(e -> e.getValue().firstResponseCompliancePercent() != null).toList();
    if (rated.size() < 2) {
      return Optional.empty();
    }
    return rated.stream().min(Comparator
        .comparing((Map.Entry<String, SlaReport.Figures> e) -> e.getValue().firstResponseCompliancePercent())
        .thenComparing(e -> -breaches(e.getValue())))
        .filter(e -> e.getValue().firstResponseCompliancePercent() < 100 || breaches(e.getValue()) > 0);
  }

  private static String line(Map.Entry<String, SlaReport.Figures> e) {
    SlaReport.Figures f = e.getValue();
    int breaches = breaches(f);
    return Html.escape(e.getKey()) + " — " + percent(f.firstResponseCompliancePercent()) + " in time, "
        + count(breaches(f), "breach") + " in " + count(f.tickets(), "ticket");
  }

  /** "1 breach", "2 breaches", "1 ticket", "93 tickets". */
  private static String count(int n, String noun) {
    return n + " " + (n == 1 ? noun : noun + (noun.endsWith("h") ? "es" : "s"));
  }

  /** Every deadline missed: first response, next response (each), resolution. */
  private static int breaches(SlaReport.Figures f) {
    return f.firstResponseBreached() + f.nextResponseBreached() + f.resolutionBreached();
  }

  private static String percent(Double p) {
    return p == null ? "—" : (p == Math.rint(p) ? String.valueOf(p.longValue()) : String.valueOf(p)) + " %";
  }

  private static String seconds(Long s) {
    return s == null ? "—" : HumanTime.duration(Duration.ofSeconds(s));
  }
}
