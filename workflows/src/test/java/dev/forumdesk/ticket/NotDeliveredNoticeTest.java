package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Relay mode's notice to the agents when a message to the customer was refused for good: only a
 * chat closed to the bot stops what follows (audit 16b, F1: an agent's 4,096-character reply,
 * refused as too long, was reported as "Nothing reaches them until they write to the bot again").
 */
class NotDeliveredNoticeTest {
  @Test
  void aChatClosedToTheBotStopsWhatFollows() {
    assertThat(Notices.notDelivered("Bob", "sendMessage: 403 Forbidden: bot was blocked by the user"))
        .isEqualTo("⚠️ <b>Bob</b> did not get your message: they have blocked the bot."
            + " Nothing reaches them until they write to the bot again.");
    assertThat(Notices.notDelivered("Bob", "sendMessage: 403 Forbidden: user is deactivated"))
        .endsWith("their Telegram account is deleted. Nothing reaches them until they write to the bot again.");
  }

  @Test
  void aMessageRefusedForItselfSaysTheOthersStillReachThem() {
    assertThat(Notices.notDelivered("Bob", "sendMessage: 400 Bad Request: message is too long"))
        .isEqualTo("⚠️ <b>Bob</b> did not get your message: Telegram refused it (sendMessage: 400 Bad Request:"
            + " message is too long). Your other messages still reach them: send it again in another form.");
  }
}
