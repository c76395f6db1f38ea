package dev.forumdesk.bench.micro;

import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.telegram.UpdateJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The webhook's CPU work before the inbox write: Jackson parse of the body, then classify. */
@State(Scope.Benchmark)
public class UpdateParsingBenchmark {
  private String topicCreated;
  private String message;
  private UpdateClassifier classifier;

  @Setup
  public void setUp() {
    UpdateJson.Sender bob = new UpdateJson.Sender(5001, "Bob", "bob", "en");
    topicCreated = UpdateJson.topicCreated(1, BenchApp.CHAT, 42, bob, "Refund for order 7", 1_700_000_000L);
    message = UpdateJson.text(2, BenchApp.CHAT, 42, 43,
        bob, "Hello, the charge appeared twice on my card, invoice 2024-117. Please refund.", 1_700_000_000L);
    classifier = new UpdateClassifier(ConfigLoader.fromYaml(BenchApp.CONFIG), (chat, thread) -> java.util.Optional.empty());
  }

  @Benchmark
  public Classified parseAndClassifyTopicCreated() throws Exception {
    return classifier.classify(Json.mapper().readValue(topicCreated, Update.class));
  }

  @Benchmark
  public Classified parseAndClassifyMessage() throws Exception {
    return classifier.classify(Json.mapper().readValue(message, Update.class));
  }
}
