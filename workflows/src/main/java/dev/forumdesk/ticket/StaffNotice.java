package dev.forumdesk.ticket;

import java.util.Arrays;
import java.util.Optional;

/**
 * The bot's notices in a ticket's topic that are written for staff: SLA words, an agent's reason,
 * the supervisors' mention. In group mode the customer reads the topic, so the activity that posts
 * them shows {@link #forCustomer} there instead and sends the notice where staff read
 * (PrivateNotes.inTopic). Known by how their text starts ({@link Notices} and {@link Transitions}
 * build them from {@link #start}): the workflow posts them as it always did, and its history stays
 * the same.
 */
public enum StaffNotice {
  /** "⚠️ No agent has answered within 1 min. @sam, please take a look." */
  FIRST_RESPONSE_BREACH("⚠️ No agent has answered within ", null, true),
  /** "🚨 Still unanswered 1 min after the escalation: moved to Level 2. @sam, please take a look." */
  ESCALATION_CHAIN("🚨 Still unanswered ", null, true),
  /** /escalate's answer: "⬆️ Escalated to Level 2: customer angry. @sam, please take a look." */
  ESCALATED("⬆️ Escalated to Level 2", "⬆️ A specialist will join shortly.", true),
  /** /hold's answer: "⏸ On hold: waiting for bank. SLA clocks paused." */
  ON_HOLD("⏸ On hold", "⏸ This ticket is on hold; we will get back to you.", false),
  /** /resume's answer, or the customer's message that ended a hold: "▶️ Resumed: the customer wrote; status …" */
  RESUMED("▶️ Resumed", "▶️ We are back on it.", false);

  private final String start;
  private final String forCustomer;
  private final boolean callsSupervisors;

  StaffNotice(String start, String forCustomer, boolean callsSupervisors) {
    this.start = start;
    this.forCustomer = forCustomer;
    this.callsSupervisors = callsSupervisors;
  }

  /** How the notice's text starts. */
  String start() {
    return start;
  }

  /** What a customer reading the topic is shown instead; empty: nothing (a breach is no news to them). */
  public Optional<String> forCustomer() {
    return Optional.ofNullable(forCustomer);
  }

  /** Whether the notice calls the supervisors, who must hear of it when the topic no longer says it. */
  public boolean callsSupervisors() {
    return callsSupervisors;
  }

  /** The staff notice {@code html} is, if it is one. */
  public static Optional<StaffNotice> of(String html) {
    return Arrays.stream(values()).filter(n -> html.startsWith(n.start)).findFirst();
  }
}
