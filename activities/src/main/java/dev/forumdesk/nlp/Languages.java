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
  private final Optional<LanguageDetector> detector;

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
    Language[] langs =
        candidates.stream().map(Languages::language).flatMap(Optional::stream).toArray(Language[]::new);
    // lingua needs two candidates
    this.detector = langs.length >= 2
        ? Optional.of(LanguageDetectorBuilder.fromLanguages(langs).build())
        : Optional.empty();
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
    if (detector.isPresent() && letters >= MIN_LETTERS) {
      List<Map.Entry<Language, Double>> ranked = detector.get().computeLanguageConfidenceValues(text).entrySet()
          .stream().sorted(Map.Entry.<Language, Double>comparingByValue().reversed()).toList();
      if (!ranked.isEmpty() && !supported.contains(iso(ranked.get(0).getKey()))
          && ranked.get(0).getValue() - (ranked.size() > 1 ? ranked.get(1).getValue() : 0) >= MIN_MARGIN) {
        String best = iso(ranked.get(0).getKey());
        return new Guess(best, String.format(Locale.ROOT, "language %s (not served): detected (%.2f)",
            best, ranked.get(0).getValue()));
      }
      List<Map.Entry<Language, Double>> served =
          ranked.stream().filter(e -> supported.contains(iso(e.getKey()))).toList();
      double total = served.stream().mapToDouble(Map.Entry::getValue).sum();
      if (supported.size() > 1 && total > 0) {
        // among the served ones, as if lingua had known no other
        double top = served.get(0).getValue() / total;
        double second = served.size() > 1 ? served.get(1).getValue() / total : 0;
        String best = iso(served.get(0).getKey());
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
