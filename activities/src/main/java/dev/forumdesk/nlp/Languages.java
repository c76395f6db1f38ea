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

/**
 * Offline language detection (lingua) over the languages the desk serves and the few customers
 * often write in besides ({@link #RECOGNISED}). A text in one the desk does not serve keeps its
 * language, said to be not served ("language de (not served): detected (0.93)"): restricted to
 * the served ones, lingua called German English "detected (1.00)" and Italian Spanish (audit 9,
 * F7). An unserved language must win clearly; otherwise the served ones are weighed among
 * themselves, as before. Short texts fall back to the customer's Telegram {@code language_code},
 * then the default language, because n-gram statistics over a few letters are a guess.
 */
public final class Languages {
  /** Below this many letters the detector is not trusted. */
  static final int MIN_LETTERS = 12;

  /** Top-two confidence gap below which a detection is ambiguous. */
  static final double MIN_MARGIN = 0.15;

  /**
   * Languages detected even when no agent serves them: the acknowledgement's (Acknowledgement).
   * Few, as every candidate costs memory and time and may take a served language's texts.
   */
  static final Set<String> RECOGNISED = Set.of("en", "ru", "es", "de", "fr", "it", "pt");

  public record Guess(String language, String reason) {}

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
   * @param telegramCode the customer's {@code language_code} (e.g. {@code pt-br}), may be null
   */
  public Guess detect(String text, String telegramCode) {
    String code = telegramCode == null ? null : telegramCode.toLowerCase(Locale.ROOT).split("[-_]")[0];
    long letters = text == null ? 0 : text.codePoints().filter(Character::isLetter).count();
    if (recognised.isPresent() && letters >= MIN_LETTERS) {
      List<Map.Entry<Language, Double>> ranked = ranked(recognised.get(), text);
      if (!ranked.isEmpty() && !supported.contains(iso(ranked.get(0).getKey()))
          && ranked.get(0).getValue() - (ranked.size() > 1 ? ranked.get(1).getValue() : 0) >= MIN_MARGIN) {
        String best = iso(ranked.get(0).getKey());
        return new Guess(best, String.format(Locale.ROOT, "language %s (not served): detected (%.2f)",
            best, ranked.get(0).getValue()));
      }
    }
    if (served.isPresent() && letters >= MIN_LETTERS) {
      List<Map.Entry<Language, Double>> ranked = ranked(served.get(), text);
      if (!ranked.isEmpty()) {
        double top = ranked.get(0).getValue();
        double second = ranked.size() > 1 ? ranked.get(1).getValue() : 0;
        String best = iso(ranked.get(0).getKey());
        if (top - second >= MIN_MARGIN || code == null || !supported.contains(code)) {
          return new Guess(best, String.format(Locale.ROOT, "language %s: detected (%.2f)", best, top));
        }
      }
    }
    if (code != null && supported.contains(code)) {
      return new Guess(code, "language " + code + ": " + (letters < MIN_LETTERS ? "short text" : "ambiguous text")
          + ", Telegram language_code");
    }
    if (supported.size() == 1) {
      return new Guess(defaultLanguage, "language " + defaultLanguage + ": the only configured language");
    }
    return new Guess(defaultLanguage, "language " + defaultLanguage + ": team default");
  }

  private static List<Map.Entry<Language, Double>> ranked(LanguageDetector detector, String text) {
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
