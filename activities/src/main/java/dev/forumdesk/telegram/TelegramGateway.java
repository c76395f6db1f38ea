package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;

/** Our port to the Bot API: a real HTTP client, or the local demo sink in demo mode. */
public interface TelegramGateway {
  SendOutcome call(String method, JsonNode params);

  /** How long a call waits for Telegram's answer, when it is bounded: "no answer within 10 s". */
  default java.util.Optional<java.time.Duration> timeout() {
    return java.util.Optional.empty();
  }
}
