package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.POST;
import retrofit2.http.Path;

/**
 * Telegram Bot API methods as Retrofit calls. The bot token is not part of these paths: {@link
 * TelegramClient} adds it in an interceptor so it never sits in a Retrofit object or log line.
 */
interface BotApi {
  @POST("{method}")
  Call<ApiResponse> call(@Path("method") String method, @Body JsonNode params);
}
