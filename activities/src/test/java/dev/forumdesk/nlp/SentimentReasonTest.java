package dev.forumdesk.nlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Audit 16, F6: the reason an agent reads in /why named the hurried cancellation's words twice,
 * "sentiment -0.84: unacceptable, cancel, now, cancel … right now". They are named once, in the
 * phrase; the score is the same.
 */
class SentimentReasonTest {
  @Test
  void aHurriedCancellationsWordsAreNamedOnceInItsPhrase() {
    Sentiment.Score s = new Sentiment()
        .score("This is unacceptable, I want a refund. Cancel my account right now.");
    assertThat(s.score()).isLessThan(-0.5);
    assertThat(s.reason()).matches("sentiment -0\\.\\d\\d: unacceptable, cancel … right now");
  }
}
