package dev.forumdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.nlp.Languages;
import dev.forumdesk.nlp.Sentiment;
import dev.forumdesk.ticket.Priority;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Language + category accuracy of the default pipeline (lingua over the four demo languages, the
 * built-in category library) on the labelled dev set copied from ../shared/dev-data. Prints the
 * numbers; the floors are what we measured, so a regression fails.
 */
class RoutingAccuracyTest {
  @Test
  void languageAndCategoryOnTheDevSet() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(
        RoutingAccuracyTest.class.getResourceAsStream("/routing-dev.jsonl"), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          rows.add(Json.mapper().readTree(line));
        }
      }
    }
    Languages languages = new Languages(Set.of("en", "ru", "es", "de"), "en");
    Sentiment sentiment = new Sentiment();
    RoutingRules rules = RoutingRules.builtin();
    int lang = 0, cat = 0, both = 0, angry = 0;
    List<String> misses = new ArrayList<>();
    for (JsonNode r : rows) {
      String text = r.get("text").asText();
      String code = r.hasNonNull("from_language_code") ? r.get("from_language_code").asText() : null;
      String l = languages.detect(text, code).language();
      double s = sentiment.score(text).score();
      RoutingDecision d = Router.route(new RoutingInput(null, text, l, s, null, 1, null, Priority.NORMAL, 1), rules);
      boolean lok = l.equals(r.get("language").asText());
      boolean cok = d.category().equals(r.get("category").asText());
      boolean aok = (s < rules.negativeSentimentThreshold()) == r.get("angry").asBoolean();
      lang += lok ? 1 : 0;
      cat += cok ? 1 : 0;
      both += lok && cok ? 1 : 0;
      angry += aok ? 1 : 0;
      if (!lok || !cok || !aok) {
        misses.add(String.format(Locale.ROOT, "%s/%s/%.2f for %s", l, d.category(), s, r));
      }
    }
    int n = rows.size();
    System.out.printf(Locale.ROOT, "routing-dev.jsonl (%d rows): language %.1f%%, category %.1f%%, both %.1f%%,"
        + " angry %.1f%%%n", n, 100.0 * lang / n, 100.0 * cat / n, 100.0 * both / n, 100.0 * angry / n);
    misses.forEach(m -> System.out.println("  miss: " + m));
    assertThat(n).isEqualTo(24);
    assertThat((double) both / n).as("language + category accuracy").isGreaterThanOrEqualTo(0.90);
    assertThat((double) angry / n).as("angry = sentiment below threshold").isGreaterThanOrEqualTo(0.90);
  }
}
