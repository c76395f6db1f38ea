package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * Retrofit + OkHttp client for {@code {TELEGRAM_API_URL}/bot{token}/{method}}. Errors are
 * classified into {@link SendOutcome}s; their descriptions never contain the token.
 */
public final class TelegramClient implements TelegramGateway {
  private final BotApi api;
  private final String token;
  private final Duration timeout;

  public TelegramClient(String apiUrl, String token, Duration timeout) {
    this.token = token;
    this.timeout = timeout;
    OkHttpClient http =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .readTimeout(timeout)
            .addInterceptor(
                chain -> {
                  HttpUrl url = chain.request().url();
                  HttpUrl withToken =
                      url.newBuilder()
                          .encodedPath(
                              url.encodedPath().replaceFirst("/([^/]+)$", "/bot" + token + "/$1"))
                          .build();
                  return chain.proceed(chain.request().newBuilder().url(withToken).build());
                })
            .build();
    String base = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    this.api =
        new Retrofit.Builder()
            .baseUrl(base)
            .client(http)
            .addConverterFactory(JacksonConverterFactory.create(Json.mapper()))
            .build()
            .create(BotApi.class);
  }

  @Override
  public java.util.Optional<Duration> timeout() {
    return java.util.Optional.of(timeout);
  }

  @Override
  public SendOutcome call(String method, JsonNode params) {
    try {
      Response<ApiResponse> response = api.call(method, params).execute();
      if (response.isSuccessful() && response.body() != null && response.body().ok()) {
        return new SendOutcome.Sent(response.body().result());
      }
      ApiResponse error = errorBody(response);
      int code = error.errorCode() != null ? error.errorCode() : response.code();
      String description = redact(method + ": " + code + " " + error.description());
      if (code == 429) {
        return new SendOutcome.RetryAfter(error.retryAfterSeconds(), description);
      }
      if (code >= 400 && code < 500) {
        return new SendOutcome.Rejected(code, description);
      }
      return new SendOutcome.Transient(description);
    } catch (ConnectException | UnknownHostException e) {
      // nothing reached Telegram: safe to repeat any method
      return new SendOutcome.Transient(redact(method + ": " + e), false);
    } catch (IOException | RuntimeException e) {
      // a timeout or a connection lost mid-call: Telegram may have acted on it
      return new SendOutcome.Transient(redact(method + ": " + e), true);
    }
  }

  private static ApiResponse errorBody(Response<ApiResponse> response) {
    if (response.body() != null) {
      return response.body();
    }
    try (ResponseBody body = response.errorBody()) {
      if (body != null) {
        return Json.mapper().readValue(body.string(), ApiResponse.class);
      }
    } catch (IOException | RuntimeException ignored) {
      // not Telegram's JSON envelope (a proxy's HTML page, say): fall back to the status line
    }
    return new ApiResponse(false, null, response.code(), response.message(), null);
  }

  private String redact(String text) {
    return text.replace(token, "<redacted>");
  }
}
