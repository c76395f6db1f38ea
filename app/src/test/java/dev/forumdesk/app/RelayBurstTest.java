package dev.forumdesk.app;

import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relay mode under a burst of new customers: each one's first private message opens a topic in the
 * agents' forum, and every topic spends the forum's budget (Telegram posts its "topic created"
 * message), as do the customers' relayed messages. The fake Bot API enforces Telegram's 1 a second
 * per chat and 20 a minute per group with 429s.
 */
class RelayBurstTest {
  static final String YAML = AppFixture.CONFIG.replace("support:\n", "support:\n  mode: relay\n");
  /** 8 topics and 16 relayed messages: past the forum's 20 a minute. */
  static final int CUSTOMERS = 8;

  @RegisterExtension final AppFixture f = AppFixture.perTest(YAML);

  @Test
  void aBurstOfNewCustomersOpensTheirTopicsWithinTheForumsBudgetAndRelaysEveryMessageOnceInOrder() throws Exception {
    java.time.Instant start = java.time.Instant.now();
    long now = start.getEpochSecond();
    long update = 1_000;
    for (int c = 1; c <= CUSTOMERS; c++) {
      UpdateJson.Sender customer = new UpdateJson.Sender(7000 + c, "Customer" + c, null, "en");
      f.postUpdate(UpdateJson.privateText(update++, 1, customer, "first from " + c, now));
      f.postUpdate(UpdateJson.privateText(update++, 2, customer, "second from " + c, now));
    }

    Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> relayed().values().stream().mapToInt(List::size).sum() >= 2 * CUSTOMERS);
    Thread.sleep(1_000); // anything sent twice would follow at once

    java.time.Instant last = f.telegram.sent().stream().filter(c -> c.params().path("text").asText().startsWith("💬"))
        .map(FakeTelegram.Call::at).max(java.util.Comparator.naturalOrder()).orElseThrow();
    System.out.printf("relay burst: %d new customers, %d messages relayed, the last %d ms after the first was posted;"
        + " %d calls answered 429%n", CUSTOMERS, 2 * CUSTOMERS, Duration.between(start, last).toMillis(),
        f.telegram.count429());
    assertThat(f.telegram.count429()).as("429s from the fake Bot API").isZero();
    List<FakeTelegram.Call> topics = f.telegram.calls("createForumTopic");
    assertThat(topics).hasSize(CUSTOMERS).allMatch(t -> t.status() == 200);
    Map<Long, List<String>> relayed = relayed();
    assertThat(relayed).hasSize(CUSTOMERS);
    for (int c = 1; c <= CUSTOMERS; c++) {
      String name = "Customer" + c;
      assertThat(relayed.values()).as(name + "'s messages, once each and in order, in one topic")
          .contains(List.of("💬 <b>" + name + "</b>: first from " + c, "💬 <b>" + name + "</b>: second from " + c));
    }
  }

  /** The customers' messages the agents' forum got, by topic, in the order they came. */
  private Map<Long, List<String>> relayed() {
    return f.telegram.sent().stream()
        .filter(c -> c.params().path("chat_id").asLong() == CHAT)
        .filter(c -> c.params().path("text").asText().startsWith("💬"))
        .collect(Collectors.groupingBy(c -> c.params().path("message_thread_id").asLong(),
            Collectors.mapping(c -> c.params().path("text").asText(), Collectors.toList())));
  }
}
