package dev.forumdesk.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.forumdesk.retry.Backoff;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The bot learns its own @username with getMe, in the background, without blocking start-up. */
class BotIdentityTest {
  static final String TOKEN = "42:bot-identity-test-token";
  static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));

  final FakeTelegram telegram = new FakeTelegram(TOKEN);
  final TelegramClient client = new TelegramClient(telegram.url(), TOKEN, Duration.ofSeconds(5));
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void listen() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(BotIdentity.class)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(BotIdentity.class)).detachAppender(logs);
    telegram.close();
  }

  @Test
  void getMeTeachesTheBotItsUsernameAndItIsLoggedOnce() {
    telegram.username("Acme_SupportBot");
    try (BotIdentity identity = BotIdentity.unknown().learnInBackground(client, FAST)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> identity.username().isPresent());
      assertThat(identity.username()).contains("Acme_SupportBot");
      assertThat(identity.isAnotherBot("OtherBot")).isTrue();
      assertThat(identity.isAnotherBot("acme_supportbot")).isFalse();
      assertThat(identity.isAnotherBot("ACME_SUPPORTBOT")).isFalse();
      assertThat(telegram.calls("getMe")).hasSize(1).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
      assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.INFO).singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains("@Acme_SupportBot"));
    }
  }

  @Test
  void whileTelegramFailsAnySuffixIsOursAndGetMeIsRetriedWithBackoff() {
    telegram.script(502, 500, 429, 500);
    Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    try (BotIdentity identity = BotIdentity.unknown().learnInBackground(client, backoff)) {
      assertThat(identity.isAnotherBot("OtherBot")).isFalse();
      // the 429 says retry_after 2: the next attempt waits for it, not for the short backoff
      await().atMost(Duration.ofSeconds(15)).until(() -> identity.username().isPresent());
      assertThat(identity.username()).contains("ForumdeskBot");
      assertThat(telegram.calls("getMe")).extracting(FakeTelegram.Call::status).containsExactly(502, 500, 429, 500, 200);
      var calls = telegram.calls("getMe");
      assertThat(Duration.between(calls.get(2).at(), calls.get(3).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
    // one warning for the outage, one INFO when learned; never the token
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.INFO).hasSize(1);
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
  }

  @Test
  void startUpDoesNotWaitForAnUnreachableTelegram() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TelegramGateway hanging = (method, params) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new SendOutcome.Transient(method + ": timeout", true);
    };
    long t0 = System.nanoTime();
    try (BotIdentity identity = BotIdentity.unknown().learnInBackground(hanging, FAST)) {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(identity.username()).isEmpty();
      assertThat(identity.isAnotherBot("OtherBot")).isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aSuffixIsAnotherBotOnlyWhenOurNameIsKnownAndDiffers() {
    BotIdentity unknown = BotIdentity.unknown();
    assertThat(unknown.isAnotherBot("OtherBot")).isFalse();
    BotIdentity known = BotIdentity.known("@ForumdeskBot");
    assertThat(known.username()).contains("ForumdeskBot");
    assertThat(known.isAnotherBot("forumdeskbot")).isFalse();
    assertThat(known.isAnotherBot("")).isFalse();
    assertThat(known.isAnotherBot("ForumdeskBot2")).isTrue();
  }
}
