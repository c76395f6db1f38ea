package dev.forumdesk.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BurstTest {
  @Test
  void minimumIsSetByTheGroupMinuteOrTheChatSecond() {
    assertThat(Burst.minimumSeconds(1)).isZero();
    assertThat(Burst.minimumSeconds(20)).isEqualTo(19.0); // one a second for one chat
    assertThat(Burst.minimumSeconds(21)).isEqualTo(60.0); // the 21st waits for the next minute
    assertThat(Burst.minimumSeconds(40)).isEqualTo(79.0); // then one a second again
    assertThat(Burst.minimumSeconds(500)).isEqualTo(24 * 60.0 + 19);
  }
}
