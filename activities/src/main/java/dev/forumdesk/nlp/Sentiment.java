package dev.forumdesk.nlp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline lexicon sentiment for the first message of a ticket (English, Russian, Spanish,
 * German lexicons shipped in {@code resources/sentiment}). Scores words and stems on an
 * AFINN-like scale, flips after a negation, amplifies shouting (CAPS, "!!"), and squashes the sum
 * into [-1, 1] the way VADER does, so a single mild word stays near zero and a rant goes far.
 */
public final class Sentiment {
  static final List<String> LANGUAGES = List.of("en", "ru", "es", "de");

  /** VADER's normalization constant: score = sum / sqrt(sum² + ALPHA). */
  private static final double ALPHA = 15;

  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "don't", "isn't", "не", "нет", "ни", "nicht", "kein", "keine", "nunca");
  private static final Pattern WORD = Pattern.compile("[\\p{L}']+");

  private final Map<String, Double> exact = new HashMap<>();
  /** stem → score, matched on word prefixes; longest stem wins. */
  private final Map<String, Double> stems = new HashMap<>();

  public record Score(double score, String reason) {}

  public Sentiment() {
    for (String lang : LANGUAGES) {
      load("/sentiment/" + lang + ".txt");
    }
  }

  private void load(String resource) {
    try (InputStream in = Sentiment.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("sentiment lexicon " + resource + " missing from the classpath");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        String term = line.substring(0, space).toLowerCase(Locale.ROOT);
        double score = Double.parseDouble(line.substring(space + 1));
        if (term.endsWith("*")) {
          stems.put(term.substring(0, term.length() - 1), score);
        } else {
          exact.put(term, score);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Score score(String text) {
    if (text == null || text.isBlank()) {
      return new Score(0, "sentiment 0.00: no text");
    }
    List<String> words = new ArrayList<>();
    List<Boolean> shouted = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group();
      words.add(w.toLowerCase(Locale.ROOT));
      shouted.add(w.length() >= 3 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT)));
    }
    double sum = 0;
    List<String> hits = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      double s = valueOf(words.get(i), i + 1 < words.size() ? words.get(i + 1) : null);
      if (s == 0) {
        continue;
      }
      if (negated(words, i)) {
        s = -0.5 * s; // "not good" is mildly bad, "not terrible" mildly fine
      }
      if (shouted.get(i)) {
        s *= 1.5;
      }
      sum += s;
      hits.add(words.get(i));
    }
    long bangs = text.chars().filter(c -> c == '!').count();
    if (sum < 0 && bangs > 0) {
      sum -= Math.min(bangs, 4) * 0.5; // exclamation marks amplify an already negative message
    }
    double score = sum / Math.sqrt(sum * sum + ALPHA);
    return new Score(score, String.format(Locale.ROOT, "sentiment %.2f%s", score,
        hits.isEmpty() ? ": neutral" : ": " + String.join(", ", hits.subList(0, Math.min(4, hits.size())))));
  }

  private double valueOf(String word, String next) {
    if (next != null) {
      Double phrase = exact.get(word + " " + next);
      if (phrase != null) {
        return phrase;
      }
    }
    Double e = exact.get(word);
    if (e != null) {
      return e;
    }
    double best = 0;
    int bestLength = 0;
    for (int len = Math.min(word.length(), 16); len >= 3; len--) {
      Double s = stems.get(word.substring(0, len));
      if (s != null && len > bestLength) {
        best = s;
        bestLength = len;
        break;
      }
    }
    return best;
  }

  private static boolean negated(List<String> words, int i) {
    for (int j = Math.max(0, i - 2); j < i; j++) {
      if (NEGATIONS.contains(words.get(j))) {
        return true;
      }
    }
    return false;
  }
}
