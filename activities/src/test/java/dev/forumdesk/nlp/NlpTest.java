package dev.forumdesk.nlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NlpTest {
  static final Languages FOUR = new Languages(Set.of("en", "ru", "es", "de"), "en");
  static final Sentiment SENTIMENT = new Sentiment();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Hi, I was charged twice for order 7. Can I get a refund? | | en",
      "После обновления не могу войти в аккаунт | | ru",
      "La aplicación se cierra cada vez que la abro | | es",
      "Ich kann mich seit gestern nicht mehr anmelden | | de",
      "ok?? | es | es",
      "hola | | en",
      "Hallo | pt-br | en",
      "Danke! | de-AT | de"})
  void detectsOrFallsBackForShortTexts(String text, String telegramCode, String expected) {
    assertThat(FOUR.detect(text, telegramCode).language()).isEqualTo(expected);
  }

  @Test
  void reasonsSayHowTheLanguageWasChosen() {
    assertThat(FOUR.detect("ok", "ru").reason()).isEqualTo("language ru: short text, Telegram language_code");
    assertThat(FOUR.detect("ok", null).reason()).isEqualTo("language en: team default");
    assertThat(FOUR.detect("The invoice for last month is wrong", null).reason()).startsWith("language en: detected (");
  }

  @Test
  void detectionIsRestrictedToConfiguredLanguages() {
    Languages enRu = new Languages(Set.of("en", "ru", "xx"), "en");
    assertThat(enRu.supported()).containsExactlyInAnyOrder("en", "ru");
    assertThat(enRu.detect("Bonjour, ma facture est incorrecte depuis le mois dernier", null).language())
        .isIn("en", "ru");
    Languages onlyEn = new Languages(Set.of("en"), "en");
    assertThat(onlyEn.detect("Всё сломалось опять", null).reason()).isEqualTo("language en: the only configured language");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Your app froze again and I lost an hour of work. Fix it NOW, this is ridiculous! | -1.0 | -0.5",
      "Вы заблокировали мой аккаунт! Это безобразие, разблокируйте немедленно! | -1.0 | -0.5",
      "Thank you, that was very helpful | 0.5 | 1.0",
      "Спасибо большое, всё отлично | 0.5 | 1.0",
      "How do I change my e-mail address? | -0.1 | 0.1",
      "The receipt shows the wrong company name | -0.5 | 0.0"})
  void scoresInTheUnitRange(String text, double min, double max) {
    assertThat(SENTIMENT.score(text).score()).isBetween(min, max);
  }

  @Test
  void negationSoftensAndFlips() {
    double good = SENTIMENT.score("the support was good").score();
    double notGood = SENTIMENT.score("the support was not good").score();
    assertThat(good).isPositive();
    assertThat(notGood).isNegative();
    assertThat(SENTIMENT.score("terrible!!").reason()).startsWith("sentiment -").contains("terrible");
  }
}
