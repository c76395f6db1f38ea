package dev.forumdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.ticket.Priority;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouterTest {
  static final RoutingRules RULES = new RoutingRules(true,
      CategoryLibrary.DEFAULTS, Map.of("ru", "russian"), "en", 5, "P7D", -0.5, true,
      Map.of("billing", 1.0, "technical", 2.0, "default", 1.0, "negative-sentiment", 0.5),
      Map.of("gold", 1.5), List.of("platinum"), "senior", "warn", "PT10S");

  static RoutingInput in(String text, String lang, Double sentiment, String tier, int recent, Priority p) {
    return new RoutingInput("", text, lang, sentiment, tier, recent, null, p, 1);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // text, language, sentiment, tier, recent, priority → queue, category, priority, weight, team, a reason
        Arguments.of(in("I want a refund for order 7", "en", 0.0, null, 1, Priority.NORMAL),
            "billing", "billing", Priority.NORMAL, 1.0, null, "category billing: matched 'refund'"),
        Arguments.of(in("The app crashes on start", "en", 0.0, null, 1, Priority.NORMAL),
            "technical", "technical", Priority.NORMAL, 2.0, null, "category technical: matched 'app'"),
        Arguments.of(in("Я забыл пароль", "ru", 0.0, null, 1, Priority.NORMAL),
            "account", "account", Priority.NORMAL, 1.0, "russian", "category account: matched 'пароль'"),
        Arguments.of(in("Работаете ли вы в праздники?", "ru", 0.0, null, 1, Priority.NORMAL),
            "russian", "general", Priority.NORMAL, 1.0, "russian", "language ru: team russian"),
        Arguments.of(in("Do you ship to Canada?", "en", 0.0, null, 1, Priority.NORMAL),
            "general", "general", Priority.NORMAL, 1.0, null, "category general: no keyword matched"),
        Arguments.of(in("Die Rechnung ist falsch", "de", 0.0, "gold", 1, Priority.NORMAL),
            "billing", "billing", Priority.NORMAL, 1.5, null, "complexity 1.50"),
        Arguments.of(in("Fehler beim Speichern", "de", -0.8, null, 1, Priority.NORMAL),
            "technical", "technical", Priority.HIGH, 2.5, null, "sentiment -0.80 below -0.50: priority HIGH"),
        Arguments.of(in("Fehler beim Speichern", "de", -0.8, "platinum", 1, Priority.NORMAL),
            "technical", "technical", Priority.URGENT, 2.5, null, "sentiment -0.80 below -0.50: priority URGENT"),
        Arguments.of(in("hello", "en", 0.1, "platinum", 1, Priority.NORMAL),
            "general", "general", Priority.HIGH, 1.0, null, "tier platinum: priority HIGH"),
        Arguments.of(in("refund again", "en", 0.0, null, 6, Priority.NORMAL),
            "senior", "billing", Priority.NORMAL, 1.0, "senior", "recurring customer: 6 tickets within P7D → senior"),
        Arguments.of(in("refund", "en", -0.6, null, 1, Priority.HIGH),
            "billing", "billing", Priority.URGENT, 1.5, null, "sentiment -0.60 below -0.50: priority URGENT"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void routes(RoutingInput in, String queue, String category, Priority priority, double weight, String team,
      String reason) {
    RoutingDecision d = Router.route(in, RULES);
    assertThat(d.queue()).isEqualTo(queue);
    assertThat(d.category()).isEqualTo(category);
    assertThat(d.priority()).isEqualTo(priority);
    assertThat(d.weight()).isEqualTo(weight);
    assertThat(d.requirements().team()).isEqualTo(team);
    assertThat(d.reasons()).contains(reason);
  }

  @Test
  void missingEnrichmentFallsBackToTheDefaultLanguageAndNoEscalation() {
    RoutingDecision d = Router.route(new RoutingInput("Refund", null, null, null, null, null, null, null, 1), RULES);
    assertThat(d.requirements().language()).isEqualTo("en");
    assertThat(d.priority()).isEqualTo(Priority.NORMAL);
    assertThat(d.category()).isEqualTo("billing");
  }

  @Test
  void stickyAgentIsPreferredOnlyWhenConfigured() {
    var input = new RoutingInput("x", "refund", "en", 0.0, null, 2, 1001L, Priority.NORMAL, 1);
    assertThat(Router.route(input, RULES).requirements().preferredAgent()).isEqualTo(1001L);
    var notSticky = new RoutingRules(true, RULES.categories(), RULES.languageTeams(), "en", 5, "P7D", -0.5, false,
        RULES.complexity(), RULES.tierFactors(), RULES.priorityTiers(), "senior", "warn", "PT10S");
    assertThat(Router.route(input, notSticky).requirements().preferredAgent()).isNull();
  }

  @Test
  void firstMatchingCategoryWinsInConfigOrderAndMatchesCaseInsensitivelyInAnyScript() {
    var rules = new RoutingRules(true,
        new java.util.LinkedHashMap<>(Map.of("billing", List.of("возврат|refund"))), Map.of(), "en", 5, "P7D",
        -0.5, true, Map.of(), Map.of(), List.of(), "senior", "warn", "PT10S");
    assertThat(Router.route(in("ВОЗВРАТ денег", "ru", 0.0, null, 1, Priority.NORMAL), rules).reasons())
        .contains("category billing: matched 'возврат'");
    assertThat(Router.route(in("REFUND", "en", 0.0, null, 1, Priority.NORMAL), rules).category()).isEqualTo("billing");
  }

  /**
   * Audit 8, F18: "login" put a crash report in account, the built-in library's first category.
   * The built-in library weighs the evidence: the category with the most keywords wins, ties in its
   * order (account before technical: "update my phone number" stays account).
   */
  @Test
  void theBuiltInLibraryGoesByTheMostKeywordsAndSaysWhatItWasWeighedAgainst() {
    RoutingDecision crash = Router.route(in("The app crashes with an error when I login", "en", 0.0, null, 1,
        Priority.NORMAL), RULES);
    assertThat(crash.category()).isEqualTo("technical");
    assertThat(crash.reasons()).contains("category technical: matched 'app', 'crashes' and 'error' over account's 'login'");
    assertThat(Router.route(in("Please update my phone number", "en", 0.0, null, 1, Priority.NORMAL), RULES).reasons())
        .contains("category account: matched 'phone number' over technical's 'update'");
    assertThat(Router.route(in("I can't log in: password reset fails", "en", 0.0, null, 1, Priority.NORMAL), RULES)
        .category()).isEqualTo("account");
  }

  /**
   * Audit 9, F7: French, Italian and Portuguese tickets fell to general ("mot de passe refusé",
   * "la fattura … importo sbagliato"). The built-in library has their stems too, weighed as the
   * others ("télécharger ma facture": billing's 'facture' ties technical's 'télécharger', billing first).
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "Bonjour, je n'arrive plus à me connecter à mon compte depuis ce matin, mot de passe refusé. | account",
      "Je ne peux pas télécharger ma facture de novembre | billing",
      "On m'a prélevé deux fois, je voudrais un remboursement | billing",
      "L'application plante à chaque ouverture, message d'erreur | technical",
      "Buongiorno, la fattura di novembre riporta un importo sbagliato. | billing",
      "Non riesco ad accedere, ho dimenticato la password | account",
      "L'applicazione si blocca quando carico un file, errore 500 | technical",
      "Olá, fui cobrado duas vezes na fatura deste mês, quero o estorno | billing",
      "Esqueci minha senha e não consigo entrar na minha conta | account",
      "O aplicativo trava e fecha sozinho desde a atualização | technical",
      "Hallo, meine Rechnung ist doppelt, bitte erstatten Sie den Betrag | billing"})
  void theBuiltInLibraryKnowsFrenchItalianAndPortuguese(String text, String category) {
    RoutingDecision d = Router.route(in(text, "en", 0.0, null, 1, Priority.NORMAL), RULES);
    assertThat(d.category()).as(d.reasons().toString()).isEqualTo(category);
  }

  /**
   * Rules recorded before the library grew are the built-in library still: replayed, a run weighs
   * them as it did (not the first match of configured categories), so its category stays.
   */
  @Test
  void rulesRecordedWithTheFirstLibraryAreStillWeighed() {
    RoutingRules recorded = new RoutingRules(true, CategoryLibrary.FIRST, RULES.languageTeams(),
        RULES.defaultLanguage(), 5, "P7D", -0.5, true, RULES.complexity(), RULES.tierFactors(), RULES.priorityTiers(),
        "senior", "warn", "PT10S");
    assertThat(CategoryLibrary.FIRST).isNotEqualTo(CategoryLibrary.DEFAULTS);
    RoutingDecision crash = Router.route(in("The app crashes with an error when I login", "en", 0.0, null, 1,
        Priority.NORMAL), recorded);
    assertThat(crash.reasons()).contains("category technical: matched 'app', 'crashes' and 'error' over account's 'login'");
  }

  /** A run started before the weighing keeps its first match on replay (RoutingStep's marker). */
  @Test
  void withoutTheWeighingTheBuiltInLibraryKeepsItsFirstMatch() {
    RoutingDecision crash = Router.route(in("The app crashes with an error when I login", "en", 0.0, null, 1,
        Priority.NORMAL), RULES, false);
    assertThat(crash.category()).isEqualTo("account");
    assertThat(crash.reasons()).contains("category account: matched 'login'");
  }

  @Test
  void weightIsCategoryTimesTierPlusNegativeSentiment() {
    assertThat(Router.weight("technical", "gold", true, RULES)).isEqualTo(2.0 * 1.5 + 0.5);
    assertThat(Router.weight("unknown", null, false, RULES)).isEqualTo(1.0);
    assertThat(Router.weight("billing", "bronze", false, RULES)).isEqualTo(1.0);
  }
}
