package dev.forumdesk.nlp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline lexicon sentiment for the first message of a ticket (English, Russian, Spanish,
 * German lexicons shipped in {@code resources/sentiment}). Scores words, two-word phrases and
 * stems on an AFINN-like scale, flips after a negation in the same clause, amplifies shouting
 * (CAPS, "!!"), and squashes the sum into [-1, 1] the way VADER does, so a single mild word stays
 * near zero and a rant goes far.
 *
 * <p>The reason names the words that made the score what it is, and only those: agents read it
 * in /why, and "sentiment -0.05: please, refund" called a polite customer upset. Terms marked
 * {@code polite} in the lexicon (please, bitte, пожалуйста, por favor) are courtesies: a negation
 * never flips them ("not working, please help" is not a negative "please"), so they never lower a
 * score.
 */
public final class Sentiment {
  static final List<String> LANGUAGES = List.of("en", "ru", "es", "de");

  /** VADER's normalization constant: score = sum / sqrt(sum² + ALPHA). */
  private static final double ALPHA = 15;

  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "don't", "isn't", "не", "нет", "ни", "nicht", "kein", "keine", "nunca");
  private static final Pattern WORD = Pattern.compile("[\\p{L}']+");
  /** What ends a clause: a negation before it says nothing of the words after it. */
  private static final Pattern CLAUSE_END = Pattern.compile("[.,;:!?()«»\"]");
  private static final String POLITE = "polite";

  private final Map<String, Double> exact = new HashMap<>();
  /** stem → score, matched on word prefixes; longest stem wins. */
  private final Map<String, Double> stems = new HashMap<>();
  /** Terms marked polite, as the lexicon writes them ("please", a stem with its "*"): never negated. */
  private final Set<String> polite = new HashSet<>();

  public record Score(double score, String reason) {}

  /**
   * A lexicon term found in the text: the words as the reason names them, their score, how many
   * words the term took, and whether it is a courtesy.
   */
  private record Hit(String term, double score, int words, boolean courtesy) {}

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
        boolean courtesy = line.endsWith(" " + POLITE);
        if (courtesy) {
          line = line.substring(0, line.length() - POLITE.length()).strip();
        }
        int space = line.lastIndexOf(' ');
        String term = line.substring(0, space).toLowerCase(Locale.ROOT);
        double score = Double.parseDouble(line.substring(space + 1));
        if (courtesy) {
          polite.add(term);
        }
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
    List<Integer> clauses = new ArrayList<>();
    int clause = 0;
    int end = 0;
    Matcher m = WORD.matcher(text);
    Matcher between = CLAUSE_END.matcher(text);
    while (m.find()) {
      if (between.region(end, m.start()).find()) {
        clause++;
      }
      end = m.end();
      String w = m.group();
      words.add(w.toLowerCase(Locale.ROOT));
      shouted.add(w.length() >= 3 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT)));
      clauses.add(clause);
    }
    double sum = 0;
    List<String> negative = new ArrayList<>();
    List<String> positive = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      Hit hit = hitAt(words, clauses, i);
      if (hit == null) {
        continue;
      }
      double s = hit.score();
      if (!hit.courtesy() && negated(words, clauses, i)) {
        s = -0.5 * s; // "not good" is mildly bad, "not terrible" mildly fine
      }
      if (shouted.get(i)) {
        s *= 1.5;
      }
      sum += s;
      (s < 0 ? negative : positive).add(hit.term());
      i += hit.words() - 1; // a phrase's second word is part of it, not a word of its own
    }
    long bangs = text.chars().filter(c -> c == '!').count();
    if (sum < 0 && bangs > 0) {
      sum -= Math.min(bangs, 4) * 0.5; // exclamation marks amplify an already negative message
    }
    double score = sum / Math.sqrt(sum * sum + ALPHA);
    // the words that made it negative (or positive): a polite word is no reason for an upset customer
    List<String> reasons = sum < 0 ? negative : sum > 0 ? positive : List.of();
    return new Score(score, String.format(Locale.ROOT, "sentiment %.2f%s", score,
        reasons.isEmpty() ? ": neutral" : ": " + String.join(", ", reasons.subList(0, Math.min(4, reasons.size())))));
  }

  /**
   * The lexicon term at word {@code i}: a two-word phrase within its clause, the word, or its
   * longest stem; null for none.
   */
  private Hit hitAt(List<String> words, List<Integer> clauses, int i) {
    String word = words.get(i);
    if (i + 1 < words.size() && clauses.get(i).equals(clauses.get(i + 1))) {
      String phrase = word + " " + words.get(i + 1);
      Double s = exact.get(phrase);
      if (s != null) {
        return new Hit(phrase, s, 2, polite.contains(phrase));
      }
    }
    Double e = exact.get(word);
    if (e != null) {
      return new Hit(word, e, 1, polite.contains(word));
    }
    for (int len = Math.min(word.length(), 16); len >= 3; len--) {
      String stem = word.substring(0, len);
      Double s = stems.get(stem);
      if (s != null) {
        return new Hit(word, s, 1, polite.contains(stem + "*"));
      }
    }
    return null;
  }

  /** Whether a negation comes up to two words before word {@code i}, in its clause. */
  private static boolean negated(List<String> words, List<Integer> clauses, int i) {
    for (int j = Math.max(0, i - 2); j < i; j++) {
      if (NEGATIONS.contains(words.get(j)) && clauses.get(j).equals(clauses.get(i))) {
        return true;
      }
    }
    return false;
  }
}
