package dev.forumdesk.outbox;

import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.ticket.OutboundMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer's acknowledgement of a new ticket in their own language, and outside business hours
 * with when the team is back (audit 8, F18: a Spanish customer read English, and at night "an
 * agent will answer here" with no word of the weekend). The workflow posts it in English at once,
 * before phase 2 detects the language; this rewrites it on its way to the outbox, in the language
 * of what the customer has written so far (the topic's title, their Telegram language_code).
 */
public final class Acknowledgement {
  /** How the workflow writes it ({@code Notices.ackWithNumber}, and {@code Notices.ack} of older runs). */
  private static final Pattern ENGLISH = Pattern.compile(
      "Thanks, we got your request <b>(.*)</b>\\. Ticket (#\\d+|<code>[^<]*</code>) is in the queue; an agent will"
          + " answer here\\.", Pattern.DOTALL);

  /**
   * {0} the title (HTML), {1} the ticket (#42), then outside business hours {2} the day ({@code today},
   * {@code tomorrow}, or {@code weekday} with {d} the day's name), {3} time, {4} zone.
   */
  private record Words(String received, String away, String today, String tomorrow, String weekday, String date) {
    Words(String received, String away) {
      this(received, away, "", "", "{d}", " d MMMM");
    }

    Words days(String today, String tomorrow, String weekday) {
      return new Words(received, away, today, tomorrow, weekday, date);
    }

    /** How a date a week or more ahead follows the day's name (a DateTimeFormatter pattern). */
    Words date(String pattern) {
      return new Words(received, away, today, tomorrow, weekday, pattern);
    }
  }

  private static final Map<String, Words> WORDS = Map.of(
      "en", new Words("Thanks, we got your request <b>{0}</b>. Ticket {1} is in the queue; an agent will answer here.",
          " We are closed now: the team is back {2} at {3} ({4}).").days("today", "tomorrow", "on {d}"),
      "es", new Words("Gracias, hemos recibido tu solicitud <b>{0}</b>. El ticket {1} está en la cola; un agente te"
          + " responderá aquí.", " Ahora estamos fuera de horario: el equipo vuelve {2} a las {3} ({4}).")
          .days("hoy", "mañana", "el {d}").date(" d 'de' MMMM"),
      "de", new Words("Danke, wir haben Ihre Anfrage <b>{0}</b> erhalten. Ticket {1} ist in der Warteschlange; ein"
          + " Mitarbeiter antwortet Ihnen hier.", " Wir sind gerade nicht erreichbar: das Team ist {2} ab {3} ({4})"
          + " wieder da.").days("heute", "morgen", "am {d}").date(", d. MMMM"),
      "fr", new Words("Merci, nous avons bien reçu votre demande <b>{0}</b>. Le ticket {1} est dans la file"
          + " d’attente ; un agent vous répondra ici.", " Nous sommes fermés pour le moment : l’équipe revient {2} à"
          + " {3} ({4}).").days("aujourd’hui", "demain", "{d}"),
      "pt", new Words("Obrigado, recebemos o seu pedido <b>{0}</b>. O ticket {1} está na fila; um agente vai"
          + " responder aqui.", " Estamos fora do horário de atendimento: a equipe volta {2} às {3} ({4}).")
          .days("hoje", "amanhã", "{d}").date(" d 'de' MMMM"),
      "it", new Words("Grazie, abbiamo ricevuto la tua richiesta <b>{0}</b>. Il ticket {1} è in coda; un operatore"
          + " ti risponderà qui.", " Ora siamo chiusi: il team torna {2} alle {3} ({4}).").days("oggi", "domani", "{d}"),
      "ru", new Words("Спасибо, мы получили ваш запрос <b>{0}</b>. Заявка {1} в очереди; агент ответит здесь.",
          " Сейчас мы не работаем, команда снова на связи: {2}, {3} ({4}).").days("сегодня", "завтра", "{d}"));

  /** The languages it speaks, besides English. */
  public static java.util.Set<String> languages() {
    return WORDS.keySet();
  }

  /** What the customer wrote so far and their Telegram language_code (may be null). */
  public record Customer(String text, String telegramCode) {}

  /** @return a language code, given what the customer wrote and their language_code */
  public interface Detector {
    String language(String text, String telegramCode);
  }

  private final Function<String, Optional<Customer>> customerOf;
  private final Detector detector;
  private final Supplier<Optional<BusinessHours>> hours;
  private final Clock clock;

  /**
   * @param customerOf what the ticket's customer wrote so far, by ticket id
   * @param hours the business hours in force (sla.business-hours)
   */
  public Acknowledgement(Function<String, Optional<Customer>> customerOf, Detector detector,
      Supplier<Optional<BusinessHours>> hours, Clock clock) {
    this.customerOf = customerOf;
    this.detector = detector;
    this.hours = hours;
    this.clock = clock;
  }

  /** Leaves every message as it is: for tests and roles that do not post acknowledgements. */
  public static final Acknowledgement ENGLISH_ONLY =
      new Acknowledgement(id -> Optional.empty(), (t, c) -> "en", Optional::empty, Clock.systemUTC());

  /** {@code m} in the customer's language when it is the workflow's acknowledgement; otherwise {@code m}. */
  public OutboundMessage localize(OutboundMessage m, String ticketId) {
    Matcher english = m.key().endsWith(":ack") ? ENGLISH.matcher(m.html()) : null;
    if (english == null || !english.matches()) {
      return m;
    }
    String language = customerOf.apply(ticketId)
        .map(c -> detector.language(c.text(), c.telegramCode()))
        .filter(WORDS::containsKey)
        .orElse("en");
    String text = say(language, english.group(1), english.group(2), hours.get(), clock.instant());
    return m.withHtml(text);
  }

  /** The acknowledgement in {@code language}, saying when the team is back when {@code now} is outside {@code hours}. */
  static String say(String language, String titleHtml, String ticket, Optional<BusinessHours> hours, Instant now) {
    Words w = WORDS.getOrDefault(language, WORDS.get("en"));
    String text = w.received().replace("{0}", titleHtml).replace("{1}", ticket);
    if (hours.isEmpty()) {
      return text;
    }
    BusinessCalendar calendar = BusinessCalendar.of(hours.get());
    // now when open, else the next opening (a lunch break, the next day's hours, after holidays)
    Optional<Instant> opening = calendar.reach(now, java.time.Duration.ZERO);
    if (opening.isEmpty() || !opening.get().isAfter(now)) {
      return text;
    }
    ZonedDateTime back = opening.get().atZone(calendar.zone());
    Locale locale = Locale.forLanguageTag(language);
    // the same day is today and the next tomorrow: on a Saturday morning "back on Saturday" read as
    // next week (audit 18a F5); further days by their name within the week, with their date beyond
    // (closed over the holidays: "back on Thursday 7 January")
    long days = java.time.temporal.ChronoUnit.DAYS.between(now.atZone(calendar.zone()).toLocalDate(), back.toLocalDate());
    String name = back.getDayOfWeek().getDisplayName(TextStyle.FULL, locale)
        + (days < 7 ? "" : java.time.format.DateTimeFormatter.ofPattern(w.date(), locale).format(back));
    String day = days == 0 ? w.today() : days == 1 ? w.tomorrow() : w.weekday().replace("{d}", name);
    return text + w.away()
        .replace("{2}", day)
        .replace("{3}", String.format(Locale.ROOT, "%02d:%02d", back.getHour(), back.getMinute()))
        .replace("{4}", calendar.zone().getId());
  }
}
