package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.nlp.Languages;
import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.ticket.OutboundMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Audit 8, F18: the acknowledgement in the customer's language, and outside business hours when the team is back. */
class AcknowledgementTest {
  static final String TICKET = "ticket--1001234567890-103";
  static final String ENGLISH = "Thanks, we got your request <b>Pago &lt;doble&gt;</b>. Ticket #103 is in the queue;"
      + " an agent will answer here.";
  static final OutboundMessage ACK = new OutboundMessage(TICKET + ":ack", -1001234567890L, 103L, ENGLISH,
      OutboundMessage.LOW);
  /** Friday 4 Dec 2026, 14:00 Berlin: open. 20:00: closed until Monday 09:00. */
  static final Instant FRIDAY_AFTERNOON = Instant.parse("2026-12-04T13:00:00Z");
  static final Instant FRIDAY_NIGHT = Instant.parse("2026-12-04T19:00:00Z");
  static final Optional<BusinessHours> OFFICE = Optional.of(new BusinessHours("Europe/Berlin", "Mon-Fri", "09:00", "18:00"));

  static Acknowledgement ack(String text, String code, Instant now) {
    Languages languages = new Languages(Set.of("en", "es", "de", "fr", "pt", "it", "ru"), "en");
    return new Acknowledgement(id -> Optional.of(new Acknowledgement.Customer(text, code)),
        (t, c) -> languages.detect(t, c).language(), () -> OFFICE, Clock.fixed(now, ZoneOffset.UTC));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Mi pago ha fallado dos veces y me cobraron|es|Gracias, hemos recibido tu solicitud <b>Pago &lt;doble&gt;</b>. El ticket #103 está en la cola",
      "Meine Zahlung ist zweimal fehlgeschlagen|de|Danke, wir haben Ihre Anfrage <b>Pago &lt;doble&gt;</b> erhalten. Ticket #103",
      "Mon paiement a échoué deux fois, aidez-moi|fr|Merci, nous avons bien reçu votre demande",
      "O meu pagamento falhou duas vezes, obrigado|pt|Obrigado, recebemos o seu pedido",
      "Il mio pagamento non è andato a buon fine|it|Grazie, abbiamo ricevuto la tua richiesta",
      "Мой платёж не прошёл уже два раза|ru|Спасибо, мы получили ваш запрос <b>Pago &lt;doble&gt;</b>. Заявка #103",
      "My payment failed twice and I was charged|en|Thanks, we got your request"})
  void inTheCustomersLanguage(String text, String language, String starts) {
    OutboundMessage m = ack(text, null, FRIDAY_AFTERNOON).localize(ACK, TICKET);
    assertThat(m.html()).startsWith(starts).doesNotContain("closed", "fuera", "nicht erreichbar");
    assertThat(m.key()).isEqualTo(ACK.key());
  }

  @Test
  void aShortTitleGoesByTheCustomersTelegramLanguage() {
    assertThat(ack("Pago", "es-ES", FRIDAY_AFTERNOON).localize(ACK, TICKET).html()).startsWith("Gracias");
  }

  @Test
  void outsideBusinessHoursItSaysWhenTheTeamIsBack() {
    assertThat(ack("My payment failed twice and I was charged", null, FRIDAY_NIGHT).localize(ACK, TICKET).html())
        .isEqualTo(ENGLISH + " We are closed now: the team is back on Monday at 09:00 (Europe/Berlin).");
    assertThat(ack("Mi pago ha fallado dos veces y me cobraron", null, FRIDAY_NIGHT).localize(ACK, TICKET).html())
        .endsWith(" Ahora estamos fuera de horario: el equipo vuelve el lunes a las 09:00 (Europe/Berlin).");
  }

  /**
   * Audit 18a F5: written on a Saturday before the day's opening it said "back on Saturday at 18:11",
   * which reads as next week: the same day is "today", the next "tomorrow", in every language.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Saturday 5 Dec 2026, 07:00 in Berlin, hours 09:00-18:00 every day: back today
      "2026-12-05T06:00:00Z|My payment failed twice and I was charged|We are closed now: the team is back today at 09:00 (Europe/Berlin).",
      "2026-12-05T06:00:00Z|Mi pago ha fallado dos veces y me cobraron|el equipo vuelve hoy a las 09:00 (Europe/Berlin).",
      "2026-12-05T06:00:00Z|Meine Zahlung ist zweimal fehlgeschlagen|das Team ist heute ab 09:00 (Europe/Berlin) wieder da.",
      "2026-12-05T06:00:00Z|Мой платёж не прошёл уже два раза|команда снова на связи: сегодня, 09:00 (Europe/Berlin).",
      // 20:00 on Saturday: back tomorrow
      "2026-12-05T19:00:00Z|My payment failed twice and I was charged|We are closed now: the team is back tomorrow at 09:00 (Europe/Berlin).",
      "2026-12-05T19:00:00Z|Mon paiement a échoué deux fois, aidez-moi|l’équipe revient demain à 09:00 (Europe/Berlin).",
      "2026-12-05T19:00:00Z|Il mio pagamento non è andato a buon fine|il team torna domani alle 09:00 (Europe/Berlin).",
      "2026-12-05T19:00:00Z|O meu pagamento falhou duas vezes, obrigado|a equipe volta amanhã às 09:00 (Europe/Berlin)."})
  void theSameDayIsTodayAndTheNextTomorrow(String now, String text, String ends) {
    Optional<BusinessHours> everyDay = Optional.of(new BusinessHours("Europe/Berlin", "Mon-Sun", "09:00", "18:00"));
    Languages languages = new Languages(Set.of("en", "es", "de", "fr", "pt", "it", "ru"), "en");
    Acknowledgement ack = new Acknowledgement(id -> Optional.of(new Acknowledgement.Customer(text, null)),
        (t, c) -> languages.detect(t, c).language(), () -> everyDay, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    assertThat(ack.localize(ACK, TICKET).html()).endsWith(ends);
  }

  /** Audit 20a F2/F5: the next opening is after the lunch break, on Saturday's own hours, after the holidays. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Wednesday 25 Nov 2026, 12:30 in Berlin: at lunch
      "2026-11-25T11:30:00Z|My payment failed twice and I was charged|We are closed now: the team is back today at 13:00 (Europe/Berlin).",
      // Friday 20:00: Saturday's hours
      "2026-11-27T19:00:00Z|My payment failed twice and I was charged|We are closed now: the team is back tomorrow at 10:00 (Europe/Berlin).",
      // Thursday 24 Dec 2026, 19:00: Friday is Christmas, Saturday 26 Dec a holiday too
      "2026-12-24T18:00:00Z|My payment failed twice and I was charged|We are closed now: the team is back on Monday at 09:00 (Europe/Berlin).",
      "2026-12-24T18:00:00Z|Meine Zahlung ist zweimal fehlgeschlagen|das Team ist am Montag ab 09:00 (Europe/Berlin) wieder da.",
      // Wednesday 30 Dec 19:00: closed until Thursday 7 January, a week and more: with its date
      "2026-12-30T18:00:00Z|My payment failed twice and I was charged|We are closed now: the team is back on Thursday 7 January at 09:00 (Europe/Berlin).",
      "2026-12-30T18:00:00Z|Mi pago ha fallado dos veces y me cobraron|el equipo vuelve el jueves 7 de enero a las 09:00 (Europe/Berlin).",
      "2026-12-30T18:00:00Z|Meine Zahlung ist zweimal fehlgeschlagen|das Team ist am Donnerstag, 7. Januar ab 09:00 (Europe/Berlin) wieder da."})
  void theNextOpeningKeepsTheLunchBreakSaturdaysHoursAndTheHolidays(String now, String text, String ends) {
    Optional<BusinessHours> hours = Optional.of(BusinessHours.of("Europe/Berlin",
        java.util.List.of("Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00", "Sat 10:00-14:00"),
        java.util.List.of("2026-12-25", "2026-12-26", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-04",
            "2027-01-05", "2027-01-06")));
    Languages languages = new Languages(Set.of("en", "es", "de", "fr", "pt", "it", "ru"), "en");
    Acknowledgement ack = new Acknowledgement(id -> Optional.of(new Acknowledgement.Customer(text, null)),
        (t, c) -> languages.detect(t, c).language(), () -> hours, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    assertThat(ack.localize(ACK, TICKET).html()).endsWith(ends);
  }

  @Test
  void otherMessagesAreLeftAsTheyAre() {
    OutboundMessage other = new OutboundMessage(TICKET + ":resolved", ACK.chatId(), 103L, "✅ Resolved.", 0);
    assertThat(ack("Mi pago ha fallado dos veces", null, FRIDAY_NIGHT).localize(other, TICKET)).isSameAs(other);
  }
}
