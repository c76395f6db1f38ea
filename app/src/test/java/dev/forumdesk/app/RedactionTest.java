package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.forumdesk.telegram.UpdateJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every log line the app writes, rendered with the production pattern, plus the health and
 * metrics pages: the bot token, webhook secret and API token never appear in any of them.
 */
class RedactionTest {
  @TempDir Path dir;

  @Test
  void secretsNeverAppearInLogsHealthOrMetrics() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger - %redactedMsg%n%redactedEx"); // as logback.xml
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    root.addAppender(appender);
    String health;
    String metrics;
    try (AppFixture f = new AppFixture(dir)) {
      long now = UpdateJson.now();
      var bob = new UpdateJson.Sender(5001, "Bob", "bob", "en");
      f.telegram.script(500, 403); // a retried ack, then a refused one: both logged
      f.postUpdate(UpdateJson.topicCreated(1, AppFixture.CHAT, 42, bob, "Refund", now));
      f.postUpdate(UpdateJson.topicCreated(2, AppFixture.CHAT, 43, bob, "Other", now));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> f.telegram.calls("sendMessage").size() >= 3);
      // a library that logs a request URL, and an exception carrying secrets in its message
      LoggerFactory.getLogger("okhttp3.OkHttpClient").warn("POST {}/bot{}/sendMessage secret={} api={}",
          f.telegram.url(), AppFixture.TOKEN, AppFixture.SECRET, AppFixture.API_TOKEN,
          new IOException("call to /bot" + AppFixture.TOKEN + "/sendMessage failed"));
      health = f.get("/observe/health").body();
      metrics = f.get("/observe/metrics").body();
    } finally {
      root.detachAppender(appender);
      appender.stop();
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("Telegram refused outbox message").contains("<redacted>/sendMessage failed");
    for (String text : List.of(logs, health, metrics)) {
      assertThat(text).doesNotContain(AppFixture.TOKEN).doesNotContain(AppFixture.SECRET)
          .doesNotContain(AppFixture.API_TOKEN);
    }
    assertThat(metrics).contains("forumdesk_outbox_sent_total");
  }
}
