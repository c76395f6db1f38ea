package dev.forumdesk.nlp;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Offline language detection (lingua) over the languages the desk serves and the few customers
 * often write in besides ({@link #RECOGNISED}). A text in one the desk does not serve keeps its
 * language, said to be not served ("language de (not served): detected (0.93)"): restricted to
 * the served ones, lingua called German English "detected (1.00)" and Italian Spanish (audit 9,
 * F7). An unserved language that leads every served one clearly wins. A text that is unclear
 * (the low-accuracy check cannot tell it from a served language) goes by the customer's Telegram
 * {@code language_code} when that names an unserved language the text reads at least as much like
 * ("language it (not served): Telegram language_code, text unclear"), or, without such a code and
 * no served language standing out either, by the unserved language it leans to: the served
 * detector knows only the served languages, and called a short Italian text English "detected
 * (1.00)" (audit 11, F5). Otherwise the served ones are weighed among themselves; "detected" only
 * when one stands out, "ambiguous text" else. Short texts fall back to the customer's Telegram
 * {@code language_code}, then the default language, because n-gram statistics over a few letters
 * are a guess; an unserved code the desk recognises counts there too ("language de (not served):
 * short text, Telegram language_code"), as routing and the customer's acknowledgement follow one rule.
 *
 * <p>Below {@link #LONG_TEXT} letters the low-accuracy check is a guess too ("I forgot my
 * password." read Italian), and lingua's confidences are relative (its first is always 1.00): "Come
 * cancello il mio account?" without a language_code was English "detected (1.00)" (audit 12). A
 * short text goes by its {@link FunctionWords} where they point to one language ("language it (not
 * served): function words (come, il, mio)"), and lingua's answer stands where they agree. One
 * without them is "detected" in an unserved language only when its alphabet leaves no served one
 * (else it is unclear, and leans), and in a served one only when the low-accuracy check does not
 * lean to an unserved one ("Password reset link expired": "ambiguous text, closest served language").
 */
public final class Languages {
  /** Below this many letters the detector is not trusted. */
  static final int MIN_LETTERS = 12;

  /** Top-two confidence gap below which a detection is ambiguous. */
  static final double MIN_MARGIN = 0.15;

  /**
   * Below this many letters the low-accuracy detector is a guess (lingua's documentation: its
   * trigrams alone need about 120 characters; "I forgot my password." read Italian "detected
   * (1.00)"), so a short text goes by its {@link FunctionWords} where they are clear.
   */
  static final int LONG_TEXT = 120;

  private static final FunctionWords FUNCTION_WORDS = new FunctionWords();

  /**
   * "Help me with my account" in every script lingua (1.2) writes its languages in. lingua loads the
   * models of the languages a text's script leaves (and no letter unique to one narrows), so one
   * text a script loads every model a ticket in it may need, for any languages the desk is
   * configured with (Persian and Urdu besides Arabic, Marathi besides Hindi, Japanese besides
   * Chinese); a script no language of the detector is written in loads nothing and costs a
   * moment. Scripts of one language (Greek, Hebrew, Korean…) are decided by lingua's rules without
   * models: warmed all the same, should that change.
   */
  static final List<String> WARM_UP = List.of(
      "Please help me with my account", // Latin
      "Помогите мне с моим аккаунтом", // Cyrillic
      "ساعدني في حسابي من فضلك", // Arabic
      "कृपया मेरे खाते में मदद करें", // Devanagari
      "请帮我处理我的账户", // Han
      "アカウントについて助けてください", // Katakana, Hiragana, Han
      "Βοηθήστε με με τον λογαριασμό μου", // Greek
      "עזרו לי עם החשבון שלי", // Hebrew
      "계정 문제를 도와주세요", // Hangul
      "ช่วยฉันด้วยบัญชีของฉัน", // Thai
      "Օգնեք ինձ իմ հաշվի հետ", // Armenian
      "დამეხმარეთ ჩემს ანგარიშთან", // Georgian
      "আমার অ্যাকাউন্টে সাহায্য করুন", // Bengali
      "મારા એકાઉન્ટમાં મદદ કરો", // Gujarati
      "ਮੇਰੇ ਖਾਤੇ ਵਿੱਚ ਮਦਦ ਕਰੋ", // Gurmukhi
      "என் கணக்கில் உதவுங்கள்", // Tamil
      "నా ఖాతాలో సహాయం చేయండి"); // Telugu

  /**
   * Languages detected even when no agent serves them: the acknowledgement's (Acknowledgement).
   * Few, as every candidate costs memory and time and may take a served language's texts.
   */
  static final Set<String> RECOGNISED = Set.of("en", "ru", "es", "de", "fr", "it", "pt");

  /** How a guess was reached: what {@link Guess#reason()} says in words, for code to go by. */
  public enum Method {
    /** lingua tells the language clearly: a served one from the others, or an unserved one from every served one. */
    DETECTED(true),
    /** A short text's function words (and content words: "zahlung", "rimborso") point to one language. */
    FUNCTION_WORDS(true),
    /** An unclear text that reads at least as much like the customer's unserved language_code. */
    UNSERVED_CODE(true),
    /** An unclear text, no served language standing out, that leans to an unserved language. */
    LEANS_UNSERVED(true),
    /** A short or ambiguous text: the customer's served language_code. */
    SERVED_CODE(false),
    /** A text too short to read: the customer's unserved language_code, one the desk recognises. */
    SHORT_TEXT_UNSERVED_CODE(false),
    /** An ambiguous text: the served language lingua ranks first, a guess. */
    CLOSEST_SERVED(false),
    /** The desk serves one language. */
    ONLY_LANGUAGE(false),
    /** Nothing told: the team's default ("short text, team default", "text unclear, team default"). */
    TEAM_DEFAULT(false);

    private final boolean decided;

    Method(boolean decided) {
      this.decided = decided;
    }

    /**
     * Whether the text or the customer's unserved language_code told the language, rather than a
     * fallback (a short or ambiguous text: the served language_code, the closest served language,
     * the default).
     */
    public boolean decided() {
      return decided;
    }
  }

  /**
   * @param reason how the language was chosen, in words, for /why
   * @param method how the language was chosen, for code: {@link #decided()} and the function words'
   *     check go by it, never by the reason's wording
   */
  public record Guess(String language, String reason, Method method) {
    /** @see Method#decided() */
    public boolean decided() {
      return method.decided();
    }
  }

  private final Set<String> supported;
  private final String defaultLanguage;
  /** The served languages, lingua's high accuracy: 42 MiB of models for three languages. */
  private final Optional<LanguageDetector> served;
  /**
   * The served and {@link #RECOGNISED} languages, lingua's low accuracy mode (trigrams only: 5 MiB
   * for all seven, where high accuracy took 130 MiB), asked only whether a text is clearly in an
   * unserved language; which served language it is stays the high-accuracy detector's answer.
   */
  private final Optional<LanguageDetector> recognised;
  private final LongAdder linguaCalls = new LongAdder();

  public Languages(Set<String> configured, String defaultLanguage) {
    this.defaultLanguage = defaultLanguage;
    TreeSet<String> known = new TreeSet<>();
    for (String code : configured) {
      language(code).ifPresent(l -> known.add(code));
    }
    known.add(defaultLanguage);
    this.supported = Set.copyOf(known);
    TreeSet<String> candidates = new TreeSet<>(known);
    candidates.addAll(RECOGNISED);
    // lingua needs two candidates
    this.served = known.size() >= 2 ? Optional.of(LanguageDetectorBuilder.fromLanguages(languages(known)).build())
        : Optional.empty();
    this.recognised = candidates.size() > known.size()
        ? Optional.of(LanguageDetectorBuilder.fromLanguages(languages(candidates)).withLowAccuracyMode().build())
        : Optional.empty();
  }

  private static Language[] languages(Set<String> codes) {
    return codes.stream().map(Languages::language).flatMap(Optional::stream).toArray(Language[]::new);
  }

  public Set<String> supported() {
    return supported;
  }

  /**
   * A topic's language from its title and first message: the message weighs more (audit 12, F3:
   * under the title "Help" an Italian message and its {@code language_code it} were English). A
   * message that tells its language, or an unclear one whose language_code names an unserved
   * language, decides whatever the title; where the message leaves the language open (too short,
   * ambiguous), title and message are read together.
   *
   * @param message may be null (a topic opened without text)
   */
  public Guess detect(String title, String message, String telegramCode) {
    if (message == null || message.isBlank()) {
      return detect(title, telegramCode);
    }
    Guess own = detect(message, telegramCode);
    // a title without letters ("#42", "???") reads as the message does: lingua and the function
    // words see letters only, so the message's guess stands without a second reading
    return own.decided() || title == null || title.codePoints().noneMatch(Character::isLetter) ? own
        : detect(title + "\n" + message, telegramCode);
  }

  /**
   * {@link #detect(String, String, String)} of a topic given as its title, a line break and its
   * message (RoutingStep's detection text, {@code CustomerHistory.openingWords}): a Telegram topic's
   * name has no line break; a text without one is a title alone.
   */
  public Guess detectTopic(String titleThenMessage, String telegramCode) {
    int cut = titleThenMessage == null ? -1 : titleThenMessage.indexOf('\n');
    return cut < 0 ? detect(titleThenMessage, telegramCode)
        : detect(titleThenMessage.substring(0, cut), titleThenMessage.substring(cut + 1), telegramCode);
  }

  /**
   * Loads lingua's models now: lingua loads a language's models on its first detection, 3-5 s on a
   * busy 2-core host, which the first ticket after a start paid inside its routing's time budget (audit
   * 12, F5: "language: failed (timed out)"). The same models as detections load (lingua's preloading
   * would load every n-gram length of the low-accuracy detector too, +28 MiB).
   */
  public void warmUp() {
    for (String text : WARM_UP) {
      served.ifPresent(d -> d.computeLanguageConfidenceValues(text));
      recognised.ifPresent(d -> d.computeLanguageConfidenceValues(text));
    }
  }

  /**
   * @param telegramCode the customer's {@code language_code} (e.g. {@code pt-br}), may be null
   */
  public Guess detect(String text, String telegramCode) {
    String code = telegramCode == null ? null : telegramCode.toLowerCase(Locale.ROOT).split("[-_]")[0];
    long letters = text == null ? 0 : text.codePoints().filter(Character::isLetter).count();
    // a short text's function words, where they point to one language ("il", "mio": Italian)
    Optional<FunctionWords.Lean> words = letters >= MIN_LETTERS && letters < LONG_TEXT
        ? FUNCTION_WORDS.lean(text) : Optional.empty();
    Guess g = byStatistics(text, code, letters, words.map(FunctionWords.Lean::language).orElse(null));
    // lingua's answer where the words agree and it is sure; the words' where it is a fallback or another
    if (words.isEmpty() || words.get().language().equals(g.language()) && g.method() == Method.DETECTED) {
      return g;
    }
    String word = words.get().language();
    return new Guess(word, "language " + word + (supported.contains(word) ? "" : " (not served)")
        + ": " + words.get().named(), Method.FUNCTION_WORDS);
  }

  /**
   * The language by lingua's statistics, then the customer's language_code and the default.
   *
   * @param worded the language the text's function words point to, null for none
   */
  private Guess byStatistics(String text, String code, long letters, String worded) {
    boolean readable = letters >= MIN_LETTERS;
    List<Map.Entry<Language, Double>> all = recognised.isPresent() && readable
        ? ranked(recognised.get(), text) : List.of();
    // the served detector's ranking (high accuracy, the costlier one) only where a rule asks for
    // it: a text clearly in an unserved language, or unclear with an unserved language_code, or
    // unsure with a served one, is decided without it
    Lazy<List<Map.Entry<Language, Double>>> own =
        new Lazy<>(() -> served.isPresent() && readable ? ranked(served.get(), text) : List.of());
    // a short text without clear function words that the low-accuracy ranking puts in an unserved
    // language: the served detector, which knows only the served languages, is no surer than that
    // guess ("Password reset link expired" leans Italian): ambiguous, not detected
    boolean unsure = letters < LONG_TEXT && worded == null && leansUnserved(all);
    // the served detector tells one served language clearly from the others (and, where that is
    // unsure, the text can be written in it: "La aplicación se bloquea siempre." is no English)
    Lazy<Boolean> servedClear = new Lazy<>(() -> !own.get().isEmpty() && margin(own.get()) >= MIN_MARGIN
        && !(unsure && FUNCTION_WORDS.cannotSpell(iso(own.get().get(0).getKey()), text)));
    if (!all.isEmpty()) {
      Optional<Guess> unserved = unserved(all, code, servedClear, letters < LONG_TEXT, worded);
      if (unserved.isPresent()) {
        return unserved.get();
      }
    }
    if (!unsure && servedClear.get()) {
      String best = iso(own.get().get(0).getKey());
      return new Guess(best, String.format(Locale.ROOT, "language %s: detected (%.2f)", best,
          own.get().get(0).getValue()), Method.DETECTED);
    }
    if (code != null && supported.contains(code)) {
      return new Guess(code, "language " + code + ": " + (letters < MIN_LETTERS ? "short text" : "ambiguous text")
          + ", Telegram language_code", Method.SERVED_CODE);
    }
    // too short to read ("Help", "Danke!"): an unserved language_code the desk recognises says more
    // than the default, as a served one does; the ticket and its acknowledgement speak it (the
    // acknowledgement went out in it, routing said the default: review). Not decided: a title that
    // tells its language still counts.
    if (code != null && letters < MIN_LETTERS && RECOGNISED.contains(code) && writtenIn(code, text)) {
      return new Guess(code, "language " + code + " (not served): short text, Telegram language_code",
          Method.SHORT_TEXT_UNSERVED_CODE);
    }
    if (own.get().size() > 1) { // the closest served language, said to be a guess
      String best = iso(own.get().get(0).getKey());
      return new Guess(best, "language " + best + ": ambiguous text, closest served language "
          + nextTo(own.get().get(1), own.get().get(0)), Method.CLOSEST_SERVED);
    }
    if (supported.size() == 1) {
      return new Guess(defaultLanguage, "language " + defaultLanguage + ": the only configured language", Method.ONLY_LANGUAGE);
    }
    // nothing told it, and the reason says why (audit 13, F7: "team default" alone read as a choice):
    // too few letters to read, or letters no rule could place
    return new Guess(defaultLanguage, "language " + defaultLanguage + ": "
        + (letters < MIN_LETTERS ? "short text" : "text unclear") + ", team default", Method.TEAM_DEFAULT);
  }

  /**
   * How close the runner-up came, "(es next, at 0.97 of its score)": lingua's confidences are
   * relative to the first, always 1.00, which is no certainty where the text is unclear (audit 12).
   */
  private static String nextTo(Map.Entry<Language, Double> next, Map.Entry<Language, Double> first) {
    return String.format(Locale.ROOT, "(%s next, at %.2f of its score)", iso(next.getKey()),
        next.getValue() / first.getValue());
  }

  /**
   * Whether every letter of the text can be the language's: its script (Cyrillic for Russian, Latin
   * for the other {@link #RECOGNISED} languages) and, Latin, its alphabet ("Ошибка" is no German).
   */
  private static boolean writtenIn(String code, String text) {
    Character.UnicodeScript script = code.equals("ru") ? Character.UnicodeScript.CYRILLIC
        : Character.UnicodeScript.LATIN;
    return text == null || text.codePoints().filter(Character::isLetter)
        .allMatch(c -> Character.UnicodeScript.of(c) == script) && !FUNCTION_WORDS.cannotSpell(code, text);
  }

  /** Whether the low-accuracy ranking puts an unserved language first. */
  private boolean leansUnserved(List<Map.Entry<Language, Double>> ranked) {
    return !ranked.isEmpty() && !supported.contains(iso(ranked.get(0).getKey()));
  }

  /**
   * A language the desk does not serve, on the low-accuracy ranking of all recognised languages:
   * the text is clearly in it (it leads every served language by {@link #MIN_MARGIN}; the
   * customer's language_code picks among unserved ones as close; a short text's function words
   * agree), or the text is unclear and reads at least as much like the customer's unserved
   * language_code as like any served language, or, without such a code and no served language
   * standing out either, leans to it.
   *
   * @param shortText whether the text is below {@link #LONG_TEXT}, where the ranking is a guess
   * @param worded the language the text's function words point to, null for none
   */
  private Optional<Guess> unserved(List<Map.Entry<Language, Double>> ranked, String code, Lazy<Boolean> servedClear,
      boolean shortText, String worded) {
    Map.Entry<Language, Double> bestServed = first(ranked, true);
    Map.Entry<Language, Double> bestUnserved = first(ranked, false);
    if (bestUnserved == null) {
      return Optional.empty();
    }
    double servedScore = bestServed == null ? 0 : bestServed.getValue();
    double lead = bestUnserved.getValue() - servedScore; // how far the text reads unserved
    boolean codeUnserved = code != null && !supported.contains(code) && RECOGNISED.contains(code);
    double codeScore = codeUnserved ? ranked.stream().filter(e -> iso(e.getKey()).equals(code))
        .mapToDouble(Map.Entry::getValue).findFirst().orElse(0) : 0;
    // a short text's statistics name an unserved language only with its function words' agreement,
    // or when its alphabet leaves no served language ("Всё сломалось" on an English desk)
    boolean trusted = !shortText || iso(bestUnserved.getKey()).equals(worded) || bestServed == null;
    if (lead >= MIN_MARGIN && trusted) {
      if (codeUnserved && !code.equals(iso(bestUnserved.getKey())) && codeScore >= servedScore + MIN_MARGIN
          && bestUnserved.getValue() - codeScore < MIN_MARGIN) {
        return Optional.of(new Guess(code, String.format(Locale.ROOT,
            "language %s (not served): detected (%.2f), Telegram language_code", code, codeScore), Method.DETECTED));
      }
      String best = iso(bestUnserved.getKey());
      return Optional.of(new Guess(best, String.format(Locale.ROOT, "language %s (not served): detected (%.2f)",
          best, bestUnserved.getValue()), Method.DETECTED));
    }
    if (lead > -MIN_MARGIN && codeUnserved && codeScore >= servedScore) {
      return Optional.of(new Guess(code, "language " + code + " (not served): Telegram language_code, text unclear",
          Method.UNSERVED_CODE));
    }
    if (lead > 0 && (code == null || !supported.contains(code)) && !servedClear.get()) {
      String best = iso(bestUnserved.getKey());
      return Optional.of(new Guess(best, "language " + best + " (not served): text unclear, leans to " + best + " "
          + nextTo(bestServed, bestUnserved), Method.LEANS_UNSERVED));
    }
    return Optional.empty();
  }

  /** A value computed on its first use, once. */
  private static final class Lazy<T> {
    private final Supplier<T> compute;
    private T value;

    Lazy(Supplier<T> compute) {
      this.compute = compute;
    }

    T get() {
      if (value == null) {
        value = compute.get();
      }
      return value;
    }
  }

  /** The best-ranked served (or unserved) language; null for none. */
  private Map.Entry<Language, Double> first(List<Map.Entry<Language, Double>> ranked, boolean isServed) {
    return ranked.stream().filter(e -> supported.contains(iso(e.getKey())) == isServed).findFirst().orElse(null);
  }

  private static double margin(List<Map.Entry<Language, Double>> ranked) {
    return ranked.get(0).getValue() - (ranked.size() > 1 ? ranked.get(1).getValue() : 0);
  }

  /** lingua's rankings computed so far: a counting seam for tests of how often detection asks lingua. */
  long linguaCalls() {
    return linguaCalls.sum();
  }

  private List<Map.Entry<Language, Double>> ranked(LanguageDetector detector, String text) {
    linguaCalls.increment();
    return detector.computeLanguageConfidenceValues(text).entrySet().stream()
        .sorted(Map.Entry.<Language, Double>comparingByValue().reversed()).toList();
  }

  private static String iso(Language l) {
    return l.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
  }

  static Optional<Language> language(String code) {
    return Arrays.stream(IsoCode639_1.values())
        .filter(c -> c.name().equalsIgnoreCase(code))
        .findFirst()
        .map(Language::getByIsoCode639_1)
        .filter(l -> l != Language.UNKNOWN);
  }
}
