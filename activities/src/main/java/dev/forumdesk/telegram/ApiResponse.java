package dev.forumdesk.telegram;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Telegram's response envelope: {ok, result} or {ok:false, error_code, description, parameters}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiResponse(
    boolean ok, JsonNode result, Integer errorCode, String description, Parameters parameters) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Parameters(Integer retryAfter, Long migrateToChatId) {}

  public int retryAfterSeconds() {
    return parameters == null || parameters.retryAfter() == null ? 1 : parameters.retryAfter();
  }
}
