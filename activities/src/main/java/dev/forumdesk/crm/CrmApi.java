package dev.forumdesk.crm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import retrofit2.Call;
import retrofit2.http.GET;
import retrofit2.http.Path;

/**
 * The CRM HTTP contract we call (README, "CRM"): {@code GET {crm.url}/customers/{telegramUserId}}
 * → 200 {@code {"tier":"gold","name":"Bob",...}} (other fields ignored), 404 for an unknown
 * customer.
 */
public interface CrmApi {
  @GET("customers/{id}")
  Call<Customer> customer(@Path("id") long telegramUserId);

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Customer(String tier, String name) {}
}
