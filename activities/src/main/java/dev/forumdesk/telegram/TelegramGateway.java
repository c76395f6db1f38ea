package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;

/** Our port to the Bot API: a real HTTP client, or the local demo sink in demo mode. */
public interface TelegramGateway {
  SendOutcome call(String method, JsonNode params);
}
