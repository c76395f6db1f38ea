package dev.forumdesk.bench.micro;

import dev.forumdesk.nlp.Languages;
import dev.forumdesk.nlp.Sentiment;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A new topic's NLP once lingua's models are loaded (the worker warms them up at its start): its
 * language from title and message, as routing and the acknowledgement read it, and its sentiment.
 * The demo desk's languages (en, ru, es, de).
 */
@State(Scope.Benchmark)
public class LanguageBenchmark {
  private Languages languages;
  private Sentiment sentiment;

  @Setup
  public void setUp() {
    languages = new Languages(Set.of("en", "ru", "es", "de"), "en");
    languages.warmUp();
    sentiment = new Sentiment();
  }

  /** A clear English message under a title: lingua's high-accuracy reading once. */
  @Benchmark
  public Languages.Guess detectEnglishMessage() {
    return languages.detect("Refund for order 7",
        "The charge appeared twice on my card this morning, please refund invoice 117 as soon as you can.", "en");
  }

  /** A short Italian message (unserved) from an account without a code: the function words and both detectors. */
  @Benchmark
  public Languages.Guess detectShortUnservedMessage() {
    return languages.detect("Help", "Come cancello il mio account?", null);
  }

  @Benchmark
  public Sentiment.Score scoreSarcasticComplaint() {
    return sentiment.score("You deleted all my files. Fantastic job, thanks for nothing.");
  }
}
