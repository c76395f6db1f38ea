package dev.forumdesk.crm;

import dev.forumdesk.json.Json;
import dev.forumdesk.log.OncePer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * Customer tier from the CRM (Retrofit + OkHttp) within {@code crm.timeout} for the whole lookup,
 * one retry for transient failures in the time left, and a circuit breaker. Never throws: any
 * failure answers the built-in tier with a reason, and the warning is logged at most once a minute.
 */
public final class CrmClient {
  private static final Logger log = LoggerFactory.getLogger(CrmClient.class);
  static final int ATTEMPTS = 2;

  public record Tier(String tier, String reason) {}

  private final Optional<CrmApi> api;
  private final Duration timeout;
  private final TierTable table;
  private final CircuitBreaker breaker;
  private final OncePer warn;

  public CrmClient(Optional<String> url, Duration timeout, TierTable table, Clock clock) {
    this.timeout = timeout;
    this.table = table;
    this.breaker = new CircuitBreaker(5, Duration.ofSeconds(30), clock);
    this.warn = new OncePer(Duration.ofMinutes(1), clock);
    this.api = url.map(u -> new Retrofit.Builder()
        .baseUrl(u.endsWith("/") ? u : u + "/")
        .client(new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).build())
        .addConverterFactory(JacksonConverterFactory.create(Json.mapper()))
        .build()
        .create(CrmApi.class));
  }

  public Tier tier(long telegramUserId) {
    if (api.isEmpty()) {
      return table.lookup(telegramUserId, "");
    }
    if (!breaker.allow()) {
      return table.lookup(telegramUserId, "CRM circuit open, ");
    }
    // One deadline for all attempts: routing's customer activity has room for one crm.timeout
    // (ConfigLoader bounds it), and when it is killed mid-retry the customer's history goes too.
    long deadline = System.nanoTime() + timeout.toNanos();
    String problem = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1 && deadline - System.nanoTime() < timeout.toNanos() / 4) {
        break; // a call with less than a quarter of its usual time would rarely finish
      }
      try {
        Call<CrmApi.Customer> call = api.get().customer(telegramUserId);
        call.timeout().deadlineNanoTime(deadline);
        Response<CrmApi.Customer> r = call.execute();
        if (r.code() == 404) {
          breaker.success();
          return table.lookup(telegramUserId, "not in the CRM, ");
        }
        if (r.isSuccessful()) {
          CrmApi.Customer c = r.body();
          if (c != null && c.tier() != null && !c.tier().isBlank()) {
            breaker.success();
            String tier = TierTable.normal(c.tier());
            return new Tier(tier, "tier " + tier + ": CRM");
          }
          problem = "CRM answer without a tier";
          break; // the same request will get the same answer
        }
        problem = "CRM HTTP " + r.code();
        if (r.code() < 500) {
          break;
        }
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        problem = "CRM answer malformed (" + e.getOriginalMessage() + ")";
        break; // the same request will get the same answer
      } catch (IOException e) {
        problem = e instanceof InterruptedIOException && deadline - System.nanoTime() <= 0
            ? "CRM timed out after " + timeout
            : "CRM unreachable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
      } catch (RuntimeException e) {
        problem = "CRM call failed (" + e.getClass().getSimpleName() + ")";
      }
    }
    breaker.failure();
    String why = problem;
    warn.run(() -> log.warn("CRM lookup failed, using built-in tiers: {} (logged at most once a minute)", why));
    return table.lookup(telegramUserId, why + ", ");
  }
}
