package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  static final long GROUP = -1001234567890L;

  @Test
  void aGroupGetsTwentyMessagesPerMinuteButTopicEditsDoNotSpendThem() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < 20; i++) {
      assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(2L * i))).as("message " + i).isTrue();
    }
    Instant later = t.plusSeconds(45);
    assertThat(limits.tryAcquire(GROUP, true, later)).as("21st message within the minute").isFalse();
    assertThat(limits.tryAcquire(GROUP, false, later)).as("editForumTopic is not a message").isTrue();
    assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(61))).as("the window slid past the first").isTrue();
  }

  @Test
  void callsAnEarlierProcessMadeSpendTheWindowsOfANewOne() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < 20; i++) {
      limits.remember(GROUP, true, t.plusSeconds(2L * i));
    }
    limits.remember(GROUP, false, t.plusSeconds(40));
    Instant restart = t.plusSeconds(45);
    assertThat(limits.tryAcquire(GROUP, true, restart)).as("21st message of the minute after a restart").isFalse();
    assertThat(limits.nextRoom(GROUP, true, restart)).isEqualTo(t.plus(limits.memory()));
    assertThat(limits.tryAcquire(GROUP, false, restart)).as("an edit still goes").isTrue();
    assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(61))).isTrue();
  }

  @Test
  void aRetryAfterBlocksEverythingToThatChat() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    limits.block(GROUP, t.plusSeconds(5));
    assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(1))).isFalse();
    assertThat(limits.tryAcquire(GROUP, false, t.plusSeconds(1))).isFalse();
    assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(6))).isTrue();
  }

  @Test
  void thirtyCallsPerSecondOverallIncludeEdits() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < 30; i++) {
      assertThat(limits.tryAcquire(-100L - i, false, t)).isTrue();
    }
    assertThat(limits.tryAcquire(-500L, false, t)).isFalse();
    assertThat(limits.tryAcquire(42L, true, t)).isFalse();
  }

  @Test
  void nextRoomIsWhenTheOldestSendLeavesTheTightestWindow() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.nextRoom(GROUP, true, t)).as("nothing sent yet").isEqualTo(t);
    for (int i = 0; i < 20; i++) {
      assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(2L * i))).isTrue();
    }
    Instant later = t.plusSeconds(45);
    Instant room = limits.nextRoom(GROUP, true, later);
    assertThat(room).as("the first send leaves the minute (and its 100 ms margin)").isEqualTo(t.plusMillis(60_100));
    assertThat(limits.tryAcquire(GROUP, true, room.minusMillis(1))).isFalse();
    assertThat(limits.tryAcquire(GROUP, true, room)).isTrue();
    assertThat(limits.nextRoom(GROUP, false, later)).as("an edit is held by no group window").isEqualTo(later);
  }

  @Test
  void nextRoomHonoursARetryAfter() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    limits.block(GROUP, t.plusSeconds(7));
    assertThat(limits.nextRoom(GROUP, true, t)).isEqualTo(t.plusSeconds(7));
    assertThat(limits.nextRoom(GROUP, false, t)).isEqualTo(t.plusSeconds(7));
  }

  @Test
  void aSlowCallCountsFromWhenItReturnedAsTelegramCountsOnArrival() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.tryAcquireCall(GROUP, true, true, t)).isTrue();
    limits.settled(GROUP, true, t, t.plusMillis(900)); // the call took 900 ms
    assertThat(limits.tryAcquire(GROUP, true, t.plusMillis(1_900))).as("1/s per chat (+ 100 ms), from 0.9 s").isFalse();
    for (int i = 1; i < 20; i++) {
      assertThat(limits.tryAcquire(GROUP, true, t.plusSeconds(3L * i))).isTrue();
    }
    assertThat(limits.nextRoom(GROUP, true, t.plusSeconds(58)))
        .as("a minute (and the margin) after the first message returned, not after it left")
        .isEqualTo(t.plusMillis(900 + 60_100));
    assertThat(limits.tryAcquire(GROUP, true, t.plusMillis(60_100))).isFalse();
  }

  static final long STAFF_FORUM = -1009876543210L;

  /**
   * Audit 15, F3: ten escalations' topics and summaries took the staff forum's 20 messages of the
   * minute, and the breach due meanwhile waited 35 s for the oldest to leave the window. A staff
   * group keeps its last 4 for the supervisors' calls; the customers' forum keeps none.
   */
  @Test
  void aStaffForumKeepsFourOfItsTwentyForTheSupervisorsCallsAndTheSupportForumNone() {
    RateLimits limits = RateLimits.telegram(GROUP);
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < 16; i++) {
      assertThat(limits.tryAcquire(STAFF_FORUM, true, false, t.plusSeconds(2L * i))).as("topic or summary " + i).isTrue();
    }
    Instant later = t.plusSeconds(35);
    assertThat(limits.tryAcquire(STAFF_FORUM, true, false, later)).as("a 17th topic within the minute").isFalse();
    assertThat(limits.nextRoom(STAFF_FORUM, true, false, later))
        .as("the 17th waits for the first to leave the minute (and its 100 ms margin)").isEqualTo(t.plusMillis(60_100));
    assertThat(limits.nextRoom(STAFF_FORUM, true, true, later)).as("a call may go now").isEqualTo(later);
    for (int i = 0; i < 4; i++) {
      assertThat(limits.tryAcquire(STAFF_FORUM, true, true, later.plusSeconds(2L * i))).as("call " + i).isTrue();
    }
    assertThat(limits.tryAcquire(STAFF_FORUM, true, true, later.plusSeconds(10)))
        .as("Telegram's 20 a minute hold for the calls too").isFalse();
    assertThat(limits.nextRoom(STAFF_FORUM, true, false, later.plusSeconds(10)))
        .as("with 20 in the window, the others wait for 5 of them to leave: the 5th send's minute")
        .isEqualTo(t.plusMillis(8_000 + 60_100));
    assertThat(limits.tryAcquire(STAFF_FORUM, true, false, t.plusMillis(60_100 + 6_000)))
        .as("4 of the minute left: still the calls' reserve").isFalse();
    assertThat(limits.tryAcquire(STAFF_FORUM, true, false, t.plusMillis(60_100 + 8_000))).isTrue();

    for (int i = 0; i < 20; i++) {
      assertThat(limits.tryAcquire(GROUP, true, false, t.plusSeconds(2L * i)))
          .as("acknowledgement %d in the customers' forum", i).isTrue();
    }
    assertThat(limits.tryAcquire(GROUP, true, true, t.plusSeconds(45))).as("the 21st of the minute").isFalse();
  }

  @Test
  void telegramsLimitsWithoutAForumKeepNoReserve() {
    RateLimits limits = RateLimits.telegram();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < 20; i++) {
      assertThat(limits.tryAcquire(STAFF_FORUM, true, false, t.plusSeconds(2L * i))).as("message " + i).isTrue();
    }
  }

  /**
   * With calls to several chats under way at once, each call's send moves to when that call
   * returned: moving the last send (another chat's, taken later) counted the slow call from when it
   * began, and the overall window had room 100 ms too early.
   */
  @Test
  void callsUnderWayAtOnceEachCountFromWhenTheyReturned() {
    RateLimits limits = new RateLimits(2, 1, 20); // two calls a second overall make the window visible
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    long slow = 5001;
    long quick = 5002;
    assertThat(limits.tryAcquire(slow, true, t)).isTrue();
    assertThat(limits.tryAcquire(quick, true, t.plusMillis(100))).isTrue();
    limits.settled(slow, true, t, t.plusMillis(900)); // the first call took 900 ms; the second is still under way
    assertThat(limits.nextRoom(5003, true, t.plusMillis(1_000)))
        .as("the quick call's send (0.1 s) leaves first, a second and the margin later, not the slow one's")
        .isEqualTo(t.plusMillis(100 + 1_100));
    limits.settled(quick, true, t.plusMillis(100), t.plusMillis(1_000));
    assertThat(limits.nextRoom(5003, true, t.plusMillis(1_000))).as("both from when they returned")
        .isEqualTo(t.plusMillis(900 + 1_100));
    assertThat(limits.nextRoom(slow, true, t.plusMillis(1_000))).as("the slow chat's own second, from 0.9 s")
        .isEqualTo(t.plusMillis(900 + 1_100));
  }

  /** A call that outlasted the window still counts from when it returned, where Telegram may count it. */
  @Test
  void aCallLongerThanTheWindowCountsFromWhenItReturned() {
    RateLimits limits = new RateLimits(1, 1, 20);
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.tryAcquire(5001, true, t)).isTrue();
    assertThat(limits.tryAcquire(5002, true, t.plusMillis(1_200))).as("the window let the first send go").isTrue();
    limits.settled(5001, true, t, t.plusMillis(1_500));
    assertThat(limits.nextRoom(5003, true, t.plusMillis(1_600))).isEqualTo(t.plusMillis(1_500 + 1_100));
  }

  /**
   * A call under way still counts in the overall window after a second: it may reach Telegram that
   * late (a slow connection), and the window let another send go in the second Telegram counted it
   * in. It leaves the window a second (and the margin) after it returned.
   */
  @Test
  void aCallUnderWayCountsInTheOverallWindowUntilItReturns() {
    RateLimits limits = new RateLimits(1, 1, 20);
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.tryAcquireCall(5001, true, true, t)).isTrue();
    assertThat(limits.tryAcquireCall(5002, true, true, t.plusMillis(1_200))).as("the first call is still under way")
        .isFalse();
    assertThat(limits.nextRoom(5002, true, t.plusMillis(1_200))).as("no room from the past: a look again later")
        .isAfter(t.plusMillis(1_200));
    limits.settled(5001, true, t, t.plusMillis(1_500));
    assertThat(limits.tryAcquireCall(5002, true, true, t.plusMillis(2_500))).isFalse();
    assertThat(limits.nextRoom(5002, true, t.plusMillis(2_500))).isEqualTo(t.plusMillis(1_500 + 1_100));
    assertThat(limits.tryAcquireCall(5002, true, true, t.plusMillis(2_600))).isTrue();
  }

  /** A call whose end is never told (its sender failed before it) holds its slot a minute at most. */
  @Test
  void aCallNeverSettledLetsItsSlotGoAfterAMinute() {
    RateLimits limits = new RateLimits(1, 1, 20);
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.tryAcquireCall(5001, true, true, t)).isTrue();
    assertThat(limits.tryAcquireCall(5002, true, true, t.plusSeconds(59))).isFalse();
    assertThat(limits.tryAcquireCall(5002, true, true, t.plus(RateLimits.UNDER_WAY_AT_MOST).plusMillis(1))).isTrue();
  }

  /** Only the calls under way stay: the sends around them leave the window when they are due to. */
  @Test
  void sendsAroundACallUnderWayLeaveTheWindowInTime() {
    RateLimits limits = new RateLimits(2, 1, 20);
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(limits.tryAcquireCall(5001, true, true, t)).isTrue();
    assertThat(limits.tryAcquireCall(5002, true, true, t.plusMillis(100))).isTrue();
    limits.settled(5002, true, t.plusMillis(100), t.plusMillis(200));
    assertThat(limits.nextRoom(5003, true, t.plusMillis(1_000))).as("the returned call's send leaves, not the other's")
        .isEqualTo(t.plusMillis(200 + 1_100));
    assertThat(limits.tryAcquireCall(5003, true, true, t.plusMillis(1_300))).isTrue();
    assertThat(limits.tryAcquireCall(5004, true, true, t.plusMillis(1_400))).as("the first call still under way")
        .isFalse();
  }
}
