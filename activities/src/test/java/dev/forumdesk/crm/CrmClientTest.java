package dev.forumdesk.crm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CrmClientTest {
  static final TierTable TABLE = new TierTable(Map.of(5001L, "gold"), "standard");

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  final MockWebServer crm = new MockWebServer();
  final TestClock clock = new TestClock();
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  CrmClient client;

  @BeforeEach
  void start() throws Exception {
    crm.start();
    // generous: the shared CI machine is slow; only the slow-CRM tests use a short one
    client = new CrmClient(Optional.of(crm.url("/api/").toString()), Duration.ofSeconds(5), TABLE, clock);
    logs.start();
    ((Logger) LoggerFactory.getLogger(CrmClient.class)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(CrmClient.class)).detachAppender(logs);
    crm.close();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void aGoodAnswerGivesTheCrmTierFromTheDocumentedPath() throws Exception {
    crm.enqueue(json(200, "{\"tier\":\"platinum\",\"name\":\"Bob\",\"since\":\"2020\"}"));
    assertThat(client.tier(5001)).isEqualTo(new CrmClient.Tier("platinum", "tier platinum: CRM"));
    assertThat(crm.takeRequest().getUrl().encodedPath()).isEqualTo("/api/customers/5001");
  }

  @Test
  void theCrmsTierIsTakenInLowerCaseAsConfigNamesTiers() {
    crm.enqueue(json(200, "{\"tier\":\" Gold \"}"));
    assertThat(client.tier(42)).isEqualTo(new CrmClient.Tier("gold", "tier gold: CRM"));
  }

  @Test
  void unknownCustomerIsNotAFailure() {
    crm.enqueue(json(404, "{}"));
    assertThat(client.tier(7)).satisfies(t -> {
      assertThat(t.tier()).isEqualTo("standard");
      assertThat(t.reason()).contains("not in the CRM");
    });
    assertThat(logs.list).isEmpty();
  }

  @Test
  void serverErrorsAreRetriedOnceThenFallBackWithAReason() {
    crm.enqueue(json(503, "down"));
    crm.enqueue(json(500, "still down"));
    CrmClient.Tier t = client.tier(5001);
    assertThat(t.tier()).isEqualTo("gold");
    assertThat(t.reason()).isEqualTo("tier gold: CRM HTTP 500, built-in tier table");
    assertThat(crm.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRetryThatSucceedsIsNotAFallback() {
    crm.enqueue(json(502, "blip"));
    crm.enqueue(json(200, "{\"tier\":\"silver\"}"));
    assertThat(client.tier(5001).tier()).isEqualTo("silver");
  }

  @Test
  void malformedJsonFallsBackWithoutRetrying() {
    crm.enqueue(json(200, "{\"tier\": gold"));
    CrmClient.Tier t = client.tier(42);
    assertThat(t.tier()).isEqualTo("standard");
    assertThat(t.reason()).startsWith("tier standard: CRM answer malformed").endsWith("default tier");
    assertThat(crm.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anAnswerWithoutATierFallsBack() {
    crm.enqueue(json(200, "{\"name\":\"Bob\"}"));
    assertThat(client.tier(5001).reason()).isEqualTo("tier gold: CRM answer without a tier, built-in tier table");
  }

  static MockResponse slow(int code, Duration delay) {
    return new MockResponse.Builder().code(code).headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
        .addHeader("Content-Type", "application/json").body("{\"tier\":\"gold\"}").build();
  }

  CrmClient impatient(Duration timeout) {
    return new CrmClient(Optional.of(crm.url("/api/").toString()), timeout, TABLE, clock);
  }

  /** Generous bounds (the shared CI machine is slow): the point is "about crm.timeout", not 2 × it. */
  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Test
  void aSlowCrmFallsBackWithinTheTimeoutForAllAttemptsTogether() {
    crm.enqueue(slow(200, Duration.ofSeconds(30)));
    crm.enqueue(slow(200, Duration.ofSeconds(30)));
    long start = System.nanoTime();
    CrmClient.Tier t = impatient(Duration.ofMillis(500)).tier(42);
    assertThat(since(start)).isLessThan(Duration.ofMillis(1500));
    assertThat(t).isEqualTo(new CrmClient.Tier("standard", "tier standard: CRM timed out after PT0.5S, default tier"));
    assertThat(crm.getRequestCount()).as("no time was left for a retry").isEqualTo(1);
  }

  @Test
  void aRetryGetsOnlyTheTimeLeft() {
    crm.enqueue(json(503, "blip"));
    crm.enqueue(slow(200, Duration.ofSeconds(30)));
    long start = System.nanoTime();
    CrmClient.Tier t = impatient(Duration.ofMillis(500)).tier(5001);
    assertThat(since(start)).isLessThan(Duration.ofMillis(1500));
    assertThat(t.reason()).isEqualTo("tier gold: CRM timed out after PT0.5S, built-in tier table");
    assertThat(crm.getRequestCount()).isEqualTo(2);
  }

  @Test
  void noRetryWhenTooLittleTimeIsLeftForItToHelp() {
    crm.enqueue(slow(503, Duration.ofMillis(900)));
    crm.enqueue(json(200, "{\"tier\":\"silver\"}"));
    CrmClient.Tier t = impatient(Duration.ofSeconds(1)).tier(42);
    assertThat(t.tier()).isEqualTo("standard");
    assertThat(crm.getRequestCount()).isEqualTo(1);
  }

  @Test
  void theWarningIsLoggedOncePerMinuteNotPerTicketAndTheCircuitOpens() {
    for (int i = 0; i < 12; i++) {
      crm.enqueue(json(200, "garbage"));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(client.tier(5001).tier()).isEqualTo("gold");
    }
    assertThat(logs.list).hasSize(1);
    assertThat(logs.list.getFirst().getFormattedMessage()).contains("CRM answer malformed");

    // five failures in a row: the circuit is open, no call goes out
    int calls = crm.getRequestCount();
    assertThat(client.tier(5001).reason()).contains("CRM circuit open");
    assertThat(crm.getRequestCount()).isEqualTo(calls);

    clock.now = clock.now.plusSeconds(61);
    client.tier(5001); // half-open probe, fails again
    assertThat(crm.getRequestCount()).isEqualTo(calls + 1);
    assertThat(logs.list).hasSize(2);
  }

  @Test
  void withoutACrmTheTierTableAnswers() {
    CrmClient none = new CrmClient(Optional.empty(), Duration.ofSeconds(1), TABLE, clock);
    assertThat(none.tier(5001)).isEqualTo(new CrmClient.Tier("gold", "tier gold: built-in tier table"));
    assertThat(none.tier(1)).isEqualTo(new CrmClient.Tier("standard", "tier standard: default tier"));
  }
}
