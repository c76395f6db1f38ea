package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.worker.EmbeddedTemporal;
import dev.forumdesk.worker.TemporalConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The webhook role's dispatcher starts tickets on several threads at once; after a restart each of
 * them asked Temporal and logged "this Temporal server cannot list search attributes" (8 times in
 * 5 ms, audit 18a F5). Asked once, said once.
 */
class SearchAttributeCheckTest {
  @Test
  void ticketsStartedAtOnceAskTheServerOnceAndWarnOnce() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(SearchAttributeCheck.class);
    logged.start();
    logger.addAppender(logged);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        TemporalConnection onPort = new TemporalConnection(temporal.target(), "default")) {
      onPort.missingSearchAttributes(List.of("TicketStatus")); // connected, as after the start
      SearchAttributeCheck check = new SearchAttributeCheck(onPort);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(threads.submit(() -> {
          go.await();
          return check.getAsBoolean();
        }));
      }
      go.countDown();
      for (Future<Boolean> a : answers) {
        assertThat(a.get()).as("the test server cannot list them").isFalse();
      }
      assertThat(check.getAsBoolean()).isFalse();
      assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("this Temporal server cannot list search attributes: tickets run without them");
    } finally {
      threads.shutdownNow();
      logger.detachAppender(logged);
    }
  }
}
