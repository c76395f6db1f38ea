package dev.forumdesk.telegram;

/**
 * The support desk the end-to-end tests and the benchmarks run: one forum group, a Level 2 group,
 * one supervisor and two agents (Alice for billing, Boris for technical questions).
 */
public final class SampleDesk {
  public static final long CHAT = -1001234567890L;

  private SampleDesk() {}

  /** @param maxOpen each agent's cap of open tickets */
  public static String yaml(int maxOpen) {
    return """
        support:
          chat-id: -1001234567890
          level2-chat-id: -1009876543210
          supervisors: [900001]
        agents:
          - {id: 1001, name: Alice, username: alice, team: general, languages: [en, ru], skills: [billing], level: 1, max-open: %d}
          - {id: 1002, name: Boris, username: boris, team: technical, languages: [ru, en], skills: [technical], level: 1, max-open: %d}
        """.formatted(maxOpen, maxOpen);
  }
}
