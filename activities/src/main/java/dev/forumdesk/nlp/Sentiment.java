package dev.forumdesk.nlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 *
 * <p>A negated word is named with its negation ("not happy"); a negated negative word counts for
 * nothing: "I'm not angry, just confused" is neither anger nor praise (audit 10, F7).
 *
 * <p>Two rules read what words alone miss (audit 9, F8), on cue words of {@code sentiment/cues.txt}:
 * <ul>
 *   <li><em>sarcasm</em>: praise marked {@code ironic} (great, perfect, отлично) aimed at a failure
 *       of the service counts against, as much as it would have counted for. Praise goes by the
 *       last outcome its sentence tells, else the last one before it, else the message's last: a
 *       failure ({@code damage}: "Great, the update deleted all my files", "deleted all my files.
 *       Fantastic job."; a fix denied: "you still haven't found it"; or a {@code fault} in a
 *       message complaining of one coming back, with a {@code repeat} cue: "Great, another outage.
 *       Just great.") or a {@code fix} ("The app crashed again, but you fixed it. Great!", "thanks
 *       for the help"). Damage with a first-person subject ({@code self}: "I lost my password",
 *       "My phone broke", "Ich habe mein Passwort verloren"), or none but an {@code accident}
 *       ("Deleted the invoice by mistake") or a first-person form ({@code mine}: "He perdido mi
 *       contraseña", "Потерял пароль"), is the customer's own and no failure: "I lost my
 *       password. Great support!" is praise. An {@code attempt} denied ("The fix didn't help.
 *       Great.", "It did not work") is a failure, as a fix denied is. A delivery that failed ("Awesome,
 *       my order arrived broken.", "never arrived", "is missing"; "kam kaputt an", "llegó roto",
 *       "пришёл сломанным") is the service's failure whoever is named (audit 13, F8). A failure
 *       after a fix in its sentence, with no
 *       {@code contrast} between, is what the fix undid and scores nothing: "Great, you found the
 *       files I lost!" is praise (audit 12). Only an {@code event} or fault that did not recur
 *       ("did not happen again", "never crashed again") is good news; a negated failure that
 *       recurred ("doesn't work again", "didn't run again") is the fault coming back (audit 11, F4);
 *   <li><em>churn</em>: leaving the service in a hurry (a {@code leave}, a {@code service} and an
 *       {@code urgent} cue in one sentence: "cancel my subscription immediately") in a message that
 *       shows displeasure otherwise (a negative word that is none of these cues: "I'm tired of
 *       this", or a {@code refund} demand) is anger. The hurry alone is not: "Please cancel my
 *       account immediately, the company is closing." is no upset customer (audit 10, F7).
 * </ul>
 */
public final class Sentiment {
  static final List<String> LANGUAGES = List.of("en", "ru", "es", "de");

  /** VADER's normalization constant: score = sum / sqrt(sum² + ALPHA). */
  private static final double ALPHA = 15;

  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "don't", "isn't", "didn't", "doesn't", "wasn't", "won't", "hasn't", "haven't",
          "не", "нет", "ни", "nicht", "kein", "keine", "nunca");
  private static final Pattern WORD = Pattern.compile("[\\p{L}']+");
  /** What ends a clause: a negation before it says nothing of the words after it. */
  private static final Pattern CLAUSE_END = Pattern.compile("[.,;:!?()«»\"]");
  /** What ends a sentence: the churn rule's cues must share one. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.;!?\\n]");
  /** What a churn demand adds: "cancel my subscription immediately" is anger, not a mild -0.36. */
  private static final double CHURN = -2;

  /** A lexicon term's score and its mark: {@code polite} (never negated), {@code ironic} (sarcasm turns it). */
  private record Entry(double score, String mark) {}

  /** A lexicon term found at word {@code at}. */
  private record Hit(int at, Terms.Found<Entry> found) {}

  private final Terms<Entry> lexicon = new Terms<>();
  /**
   * Cue words of the rules, by kind (repeat, fault, event, damage, mine, fix, attempt, self, time,
   * accident, and, contrast, leave, service, urgent, refund).
   */
  private final Terms<String> cues = new Terms<>();

  public record Score(double score, String reason) {}

  public Sentiment() {
    for (String lang : LANGUAGES) {
      load("/sentiment/" + lang + ".txt");
    }
    for (String line : Lines.of("/sentiment/cues.txt")) {
      int space = line.indexOf(' ');
      cues.put(line.substring(space + 1).strip().toLowerCase(Locale.ROOT), line.substring(0, space));
    }
  }

  private void load(String resource) {
    for (String line : Lines.of(resource)) {
      String mark = null;
      for (String m : List.of("polite", "ironic")) {
        if (line.endsWith(" " + m)) {
          mark = m;
          line = line.substring(0, line.length() - m.length()).strip();
        }
      }
      int space = line.lastIndexOf(' ');
      lexicon.put(line.substring(0, space).toLowerCase(Locale.ROOT),
          new Entry(Double.parseDouble(line.substring(space + 1)), mark));
    }
  }

  public Score score(String text) {
    if (text == null || text.isBlank()) {
      return new Score(0, "sentiment 0.00: no text");
    }
    text = text.replace('\u2019', '\''); // "didn’t" as phones type it
    List<String> words = new ArrayList<>();
    List<Boolean> shouted = new ArrayList<>();
    List<Integer> clauses = new ArrayList<>();
    List<Integer> sentences = new ArrayList<>();
    int clause = 0;
    int sentence = 0;
    int end = 0;
    Matcher m = WORD.matcher(text);
    Matcher between = CLAUSE_END.matcher(text);
    Matcher stop = SENTENCE_END.matcher(text);
    while (m.find()) {
      if (between.region(end, m.start()).find()) {
        clause++;
      }
      if (stop.region(end, m.start()).find()) {
        sentence++;
      }
      end = m.end();
      String w = m.group();
      words.add(w.toLowerCase(Locale.ROOT));
      shouted.add(w.length() >= 3 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT)));
      clauses.add(clause);
      sentences.add(sentence);
    }
    Cues found = cues(words, clauses, sentences);
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      Terms.Found<Entry> hit = lexicon.at(words, clauses, i);
      if (hit != null) {
        hits.add(new Hit(i, hit));
        i += hit.words() - 1; // a phrase's later words are part of it, not words of their own
      }
    }
    double sum = 0;
    List<String> negative = new ArrayList<>();
    List<String> positive = new ArrayList<>();
    // a negative word none of the churn cues, or a refund demand: the churn rule's condition
    boolean displeasure = found.sentences().containsKey("refund");
    for (Hit h : hits) {
      Terms.Found<Entry> hit = h.found();
      int i = h.at();
      double s = hit.value().score();
      String term = hit.term();
      boolean courtesy = "polite".equals(hit.value().mark());
      String negation = courtesy ? null : negation(words, clauses, i);
      if (found.undone()[i]) {
        s = 0; // "the files I lost", which the fix found: what was undone is no mood
      } else if (negation != null) {
        s = s < 0 ? 0 : -0.5 * s; // "not good" is mildly bad; "not angry" no anger, and no praise either
        term = negation + " " + term;
      } else if (s > 0 && "ironic".equals(hit.value().mark()) && aimedAtAFailure(found, i, sentences.get(i))) {
        s = -s; // "Great, another outage", "deleted all my files. Fantastic job.": sarcasm
        term += " (sarcasm)";
      }
      if (shouted.get(i)) {
        s *= 1.5;
      }
      if (s != 0) { // a negated anger word is neither a reason nor displeasure
        sum += s;
        displeasure |= s < 0 && !found.churnCue()[i];
        (s < 0 ? negative : positive).add(term);
      }
    }
    for (int churn : displeasure ? churnSentences(found.sentences()) : List.<Integer>of()) {
      sum += CHURN;
      String leave = found.word().get("leave" + churn);
      String urgent = found.word().get("urgent" + churn);
      // its words are said once, in the phrase: not "cancel, now, cancel … right now" (audit 16 F6)
      Set<String> phrase = new HashSet<>(Arrays.asList((leave + " " + urgent).split(" ")));
      negative.removeIf(phrase::contains);
      negative.add(leave + " … " + urgent);
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
   * The rules' cues of a message.
   *
   * @param sentences kind → the sentences a cue of it occurs in
   * @param word kind and sentence → the first cue's words there, as a reason names them
   * @param churnCue the words of the churn rule's own cues, which are no displeasure of their own
   * @param outcomes what the message says happened, in its order: failures (damage not the
   *     customer's own; a fix denied; a fault, when the message complains of one coming back) and fixes
   * @param undone the words of a loss a fix undid ("found the files I lost"), which score nothing
   */
  private record Cues(Map<String, Set<Integer>> sentences, Map<String, String> word, boolean[] churnCue,
      List<Outcome> outcomes, boolean[] undone) {}

  /**
   * What happened at word {@code at} of a sentence: a failure of the service, or none (a fix of
   * it, the customer's own loss).
   */
  private record Outcome(int at, int end, int sentence, boolean failure) {}

  /**
   * Whether praise at word {@code at} is aimed at a failure: the last outcome its sentence tells,
   * else the last one before it ("deleted all my files. Fantastic job."), else the last of the
   * message ("Great. The update deleted all my files.") is a failure. Praise for a fix, or with
   * no outcome told, is praise.
   */
  private static boolean aimedAtAFailure(Cues found, int at, int sentence) {
    Outcome inSentence = null;
    Outcome before = null;
    Outcome last = null;
    for (Outcome o : found.outcomes()) {
      inSentence = o.sentence() == sentence ? o : inSentence;
      before = o.at() < at ? o : before;
      last = o;
    }
    Outcome target = inSentence != null ? inSentence : before != null ? before : last;
    return target != null && target.failure();
  }

  private static final Set<String> CHURN_CUES = Set.of("leave", "service", "urgent");

  /**
   * The cues of a message, read with their negations. A repeat after a negated event or fault
   * ("did not happen again", "never crashed again", "nicht wieder passiert") is good news and no
   * repeat; any other negated repeat ("doesn't work again", "didn't run again", "won't start
   * again") is a failure coming back: a repeat and a fault. Negated damage or refund ("no data was
   * lost", "I don't need a refund") is none; a negated fix ("still haven't found") is a failure.
   */
  private Cues cues(List<String> words, List<Integer> clauses, List<Integer> sentences) {
    Map<String, Set<Integer>> in = new HashMap<>();
    Map<String, String> word = new HashMap<>();
    boolean[] churnCue = new boolean[words.size()];
    List<Outcome> wrong = new ArrayList<>(); // what went wrong: damage, a fix denied, a fault that came back
    List<Outcome> faults = new ArrayList<>();
    List<Outcome> fixes = new ArrayList<>();
    List<Integer> contrasts = new ArrayList<>();
    List<Integer> arrivals = new ArrayList<>(); // "arrived", "llegó": a delivery, failed where damage is in its sentence
    List<Integer> damaged = new ArrayList<>(); // "damaged", "broken", "kaputt": what a delivery may have brought
    int goodNews = -1; // the word after a negated event or fault: a repeat there did not recur
    for (int i = 0; i < words.size(); i++) {
      Terms.Found<String> cue = cues.at(words, clauses, i);
      if (cue == null) {
        continue;
      }
      String kind = cue.value();
      int next = i + cue.words();
      boolean negated = negation(words, clauses, i) != null;
      List<String> kinds = List.of(kind);
      if (CHURN_CUES.contains(kind)) {
        Arrays.fill(churnCue, i, next, true);
      }
      if (kind.equals("wreck")) { // "broken": a fault, and damage a delivery brought
        kind = "fault";
        kinds = List.of(kind);
        if (!negated) {
          damaged.add(i);
        }
      }
      if (kind.equals("arrival") || kind.equals("undelivered") || kind.equals("damaged") || kind.equals("intact")) {
        // a delivery that failed is the service's failure whoever is named ("My phone arrived
        // broken"): never there ("never arrived", "is missing"), or arrived with damage
        boolean denied = negation(words, clauses, i, 3) != null; // "hasn't arrived", "no part is missing"
        if (kind.equals("undelivered") && !denied || kind.equals("arrival") && denied) {
          wrong.add(new Outcome(i, next, sentences.get(i), true));
        } else if (kind.equals("arrival")) {
          arrivals.add(i);
        } else if (kind.equals("damaged") && !denied) {
          damaged.add(i);
        }
        kinds = List.of();
      } else if (negated && (kind.equals("event") || kind.equals("fault"))) {
        goodNews = next; // "did not happen", "never crashed": no fault
        kinds = List.of();
      } else if (kind.equals("repeat") && (goodNews == i || negated && followedBy(words, clauses, next, "event"))) {
        kinds = List.of(); // "did not happen again", "nicht wieder passiert"
      } else if (kind.equals("repeat") && negated) {
        kinds = List.of("repeat", "fault"); // "doesn't work again": the failure came back
        faults.add(new Outcome(i, next, sentences.get(i), true));
      } else if (kind.equals("fault")) {
        faults.add(new Outcome(i, next, sentences.get(i), true));
      } else if (kind.equals("contrast")) {
        contrasts.add(i);
        kinds = List.of();
      } else if (kind.equals("damage") || kind.equals("mine") || kind.equals("fix") || kind.equals("attempt")) {
        boolean denied = negation(words, clauses, i, 3) != null; // "no data was lost", "still haven't found"
        if (kind.equals("fix") || kind.equals("attempt")) {
          // a fix denied is a failure: "you still haven't found the files I lost", "the fix didn't
          // help"; an attempt not denied ("please help") tells no outcome
          if (denied || kind.equals("fix")) {
            (denied ? wrong : fixes).add(new Outcome(i, next, sentences.get(i), denied));
          }
        } else if (!denied) { // the customer's own loss is no failure of the service, but a fix may undo it
          wrong.add(new Outcome(i, next, sentences.get(i), !customersOwn(words, clauses, i, kind.equals("mine"))));
        }
        kinds = List.of();
      } else if (kind.equals("refund") && negation(words, clauses, i, 3) != null) {
        kinds = List.of(); // "I don't need a refund"
      }
      for (String k : kinds) {
        in.computeIfAbsent(k, x -> new HashSet<>()).add(sentences.get(i));
        word.putIfAbsent(k + sentences.get(i), cue.term());
      }
      i = next - 1;
    }
    // an arrival with damage in its sentence ("arrived broken", "kam kaputt an", "llegó roto")
    for (int a : arrivals) {
      damaged.stream().filter(d -> sentences.get(d).equals(sentences.get(a))).findFirst().ifPresent(d -> {
        int at = Math.max(a, d);
        wrong.add(new Outcome(at, at + cues.at(words, clauses, at).words(), sentences.get(at), true));
      });
    }
    // a fault counts as a failure in a complaint of one coming back; "Perfect, the outage is over" is none
    if (in.containsKey("repeat") && in.containsKey("fault")) {
      wrong.addAll(faults);
    }
    boolean[] undone = new boolean[words.size()];
    List<Outcome> outcomes = new ArrayList<>(fixes);
    for (Outcome w : wrong) {
      if (fixes.stream().anyMatch(f -> undid(f, w, contrasts))) {
        Arrays.fill(undone, w.at(), w.end(), true); // "you found the files I lost": the fix's object
      } else if (w.failure()) { // "I lost my password. Great support!" is praise
        outcomes.add(w);
      }
    }
    outcomes.sort(Comparator.comparingInt(Outcome::at));
    return new Cues(in, word, churnCue, List.copyOf(outcomes), undone);
  }

  /**
   * Whether a failure is what a fix undid: it follows the fix in its sentence with no contrast
   * between ("found the files I lost", "die Dateien wiederhergestellt, die ich gelöscht hatte";
   * not "restored my files, but then deleted my settings").
   */
  private static boolean undid(Outcome fix, Outcome failure, List<Integer> contrasts) {
    return fix.sentence() == failure.sentence() && fix.at() < failure.at()
        && contrasts.stream().noneMatch(c -> c > fix.at() && c < failure.at());
  }

  /**
   * Whether the damage at word {@code at} is the customer's own doing or plain circumstance, no
   * failure of the service. Its subject is what its part of the clause (from the clause's start or
   * the last {@code and} or {@code contrast} cue before it) says before it: the customer's own when
   * that names a {@code self} cue ("I lost my password", "My phone broke", "Ich habe mein Passwort
   * verloren", "я потерял"), or names nothing (a {@code time} cue names no one: "Вчера потерял пароль")
   * but tells an {@code accident} ("Deleted the invoice by mistake"; not "You deleted my account by
   * mistake", nor "deleted all my files") or is a {@code mine} cue, damage in a first-person form
   * ("he perdido", "потерял", "удалила": not "удалили", they deleted).
   *
   * @param firstPerson whether the damage is a {@code mine} cue
   */
  private boolean customersOwn(List<String> words, List<Integer> clauses, int at, boolean firstPerson) {
    boolean self = false;
    boolean subject = false; // words before the damage that are none of these cues: "you", "the update"
    boolean accident = false;
    int clause = clauses.get(at);
    for (int i = clauses.indexOf(clause); i < words.size() && clauses.get(i) == clause; i++) {
      Terms.Found<String> cue = cues.at(words, clauses, i);
      String kind = cue == null ? "" : cue.value();
      if (kind.equals("and") || kind.equals("contrast")) {
        if (i > at) {
          break;
        }
        self = subject = accident = false; // "I updated the app and it deleted all my files": a new subject
      } else if (kind.equals("accident")) {
        accident = true;
      } else if (i < at) {
        self |= kind.equals("self");
        subject |= !kind.equals("self") && !kind.equals("time"); // "yesterday" names no one
      }
      i += cue == null ? 0 : cue.words() - 1;
    }
    // a first-person form with no other subject is the customer's own: Spanish and Russian name no
    // pronoun ("He perdido mi contraseña", "Потерял пароль", as "I lost my password")
    return self || (accident || firstPerson) && !subject;
  }

  /** Whether a cue of the kind starts at word {@code i}. */
  private boolean followedBy(List<String> words, List<Integer> clauses, int i, String kind) {
    if (i >= words.size()) {
      return false;
    }
    Terms.Found<String> cue = cues.at(words, clauses, i);
    return cue != null && cue.value().equals(kind);
  }

  /** The sentences that leave the service in a hurry: a leave, a service and an urgent cue in each. */
  private static List<Integer> churnSentences(Map<String, Set<Integer>> cueSentences) {
    return cueSentences.getOrDefault("leave", Set.of()).stream()
        .filter(n -> cueSentences.getOrDefault("service", Set.of()).contains(n)
            && cueSentences.getOrDefault("urgent", Set.of()).contains(n))
        .sorted().toList();
  }

  /** The negation up to two words before word {@code i}, in its clause; null for none. */
  private static String negation(List<String> words, List<Integer> clauses, int i) {
    return negation(words, clauses, i, 2);
  }

  /** The negation up to {@code span} words before word {@code i}, in its clause; null for none. */
  private static String negation(List<String> words, List<Integer> clauses, int i, int span) {
    for (int j = Math.max(0, i - span); j < i; j++) {
      if (NEGATIONS.contains(words.get(j)) && clauses.get(j).equals(clauses.get(i))) {
        return words.get(j);
      }
    }
    return null;
  }

  /** Words, phrases of up to four words, and stems (written with a trailing {@code *}), each with a value. */
  private static final class Terms<V> {
    private final Map<String, V> exact = new HashMap<>();
    /** stem → value, matched on word prefixes; the longest stem wins. */
    private final Map<String, V> stems = new HashMap<>();

    /** A term found at a word: the words as a reason names them, its value, how many words it took. */
    record Found<V>(String term, V value, int words) {}

    void put(String term, V value) {
      if (term.endsWith("*")) {
        stems.put(term.substring(0, term.length() - 1), value);
      } else {
        exact.put(term, value);
      }
    }

    /** The term at word {@code i}: the longest phrase within its clause, the word, or its longest stem; null for none. */
    Found<V> at(List<String> words, List<Integer> clauses, int i) {
      for (int n = 4; n >= 2; n--) {
        if (i + n <= words.size() && clauses.get(i).equals(clauses.get(i + n - 1))) {
          String phrase = String.join(" ", words.subList(i, i + n));
          V v = exact.get(phrase);
          if (v != null) {
            return new Found<>(phrase, v, n);
          }
        }
      }
      String word = words.get(i);
      V e = exact.get(word);
      if (e != null) {
        return new Found<>(word, e, 1);
      }
      for (int len = Math.min(word.length(), 16); len >= 3; len--) {
        V v = stems.get(word.substring(0, len));
        if (v != null) {
          return new Found<>(word, v, 1);
        }
      }
      return null;
    }
  }
}
