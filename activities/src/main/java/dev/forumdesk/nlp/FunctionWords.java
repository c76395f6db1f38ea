package dev.forumdesk.nlp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The language a short text's function words and letters point to ({@code language/function-words.txt}):
 * "Come cancello il mio account?" has "come", "il", "mio", Italian's, and no other language's as
 * many. Where lingua's n-gram statistics over a few letters are a guess (a short Italian text read
 * English "detected (1.00)", "I forgot my password." Italian), these words are what a reader goes by.
 */
final class FunctionWords {
  /**
   * A text's language by its function words, and the words (and letters) that said so.
   *
   * @param content whether a support request's content word is among them ("zahlung"), not only
   *     function words and letters: the reason then says "words", not "function words"
   */
  record Lean(String language, List<String> words, boolean content) {
    /** How a reason names them: "function words (come, il, mio)", "words (zahlung, fehlgeschlagen)". */
    String named() {
      return (content ? "words (" : "function words (") + String.join(", ", words) + ")";
    }
  }

  /**
   * Whether a language with a listed alphabet can't be the text's: a Latin letter of the text is
   * neither a-z nor of that alphabet ("aplicación" for English).
   */
  boolean cannotSpell(String language, String text) {
    Set<Integer> alphabet = alphabets.get(language);
    return alphabet != null && text.toLowerCase(Locale.ROOT).codePoints()
        .filter(c -> Character.isLetter(c) && Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN)
        .anyMatch(c -> (c < 'a' || c > 'z') && !alphabet.contains(c));
  }

  private static final Pattern WORD = Pattern.compile("[\\p{L}']+");

  /** word or letter → the languages that list it. */
  private final Map<String, Set<String>> words = new HashMap<>();
  private final Map<String, Set<String>> letters = new HashMap<>();
  /** The content words among {@link #words} ("code words:" lines): "zahlung", "rimborso". */
  private final Set<String> content = new HashSet<>();
  /** language → the letters it is written in besides a-z. */
  private final Map<String, Set<Integer>> alphabets = new HashMap<>();

  FunctionWords() {
    for (String line : Lines.of("/language/function-words.txt")) {
      int colon = line.indexOf(':');
      String[] head = line.substring(0, colon).strip().split("\\s+");
      if (head.length > 1 && head[1].equals("alphabet")) {
        Set<Integer> alphabet = new HashSet<>();
        line.substring(colon + 1).codePoints().filter(Character::isLetter).forEach(alphabet::add);
        alphabets.put(head[0], alphabet);
        continue;
      }
      Map<String, Set<String>> into = head.length > 1 && head[1].equals("letters") ? letters : words;
      boolean contentWords = head.length > 1 && head[1].equals("words");
      for (String w : line.substring(colon + 1).strip().split("\\s+")) {
        into.computeIfAbsent(w, x -> new HashSet<>()).add(head[0]);
        if (contentWords) {
          content.add(w);
        }
      }
    }
  }

  /**
   * The language with at least two of the text's function words, content words and letters, and more of them than
   * any other language; empty when none stands out so.
   */
  Optional<Lean> lean(String text) {
    Map<String, Set<String>> found = new HashMap<>(); // language → its words found
    String lower = text.replace('\u2019', '\'').toLowerCase(Locale.ROOT);
    Matcher m = WORD.matcher(lower);
    while (m.find()) {
      String w = m.group().replaceAll("^'+|'+$", "");
      // an elided article or pronoun ("j'ai", "l'app", "dell'app") counts by its parts
      for (String part : words.containsKey(w) ? List.of(w) : List.of(w.split("'"))) {
        for (String language : words.getOrDefault(part, Set.of())) {
          found.computeIfAbsent(language, x -> new LinkedHashSet<>()).add(part);
        }
      }
    }
    lower.codePoints().mapToObj(Character::toString).distinct().forEach(letter -> {
      for (String language : letters.getOrDefault(letter, Set.of())) {
        found.computeIfAbsent(language, x -> new LinkedHashSet<>()).add(letter);
      }
    });
    List<Map.Entry<String, Set<String>>> ranked = new ArrayList<>(found.entrySet());
    ranked.sort(Comparator.comparingInt((Map.Entry<String, Set<String>> e) -> e.getValue().size()).reversed());
    if (ranked.isEmpty() || ranked.get(0).getValue().size() < 2
        || ranked.size() > 1 && ranked.get(1).getValue().size() >= ranked.get(0).getValue().size()) {
      return Optional.empty();
    }
    Set<String> said = ranked.get(0).getValue();
    return Optional.of(new Lean(ranked.get(0).getKey(), List.copyOf(said), said.stream().anyMatch(content::contains)));
  }
}
